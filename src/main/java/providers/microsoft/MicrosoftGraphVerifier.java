package providers.microsoft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

import providers.webhooks.Hmac;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Json;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.PayloadRedaction;
import providers.webhooks.Response;
import providers.webhooks.Signatures;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookVerifier;

/**
 * Microsoft Graph: no signature. Subscription validation arrives as {@code ?validationToken=...} and is
 * answered with the decoded token as text/plain; every notification in {@code value[]} must carry the
 * registered clientState. Graph wants a 202 within 3 s.
 */
@Component
public final class MicrosoftGraphVerifier implements WebhookVerifier {

    /**
     * clientState is whatever the subscriber puts in the subscription request. Basic notifications carry no delivery
     * id and two edits of one item look alike, so the derived id tells duplicates apart only within ten minutes
     * (Graph's retries come sooner). Graph sends only to https URLs: registrations are given the hub's https receiver
     * URL ({@code hub.webhooks.https-public-url}, or the sandbox TLS port's).
     */
    public static final WebhookScheme SCHEME = WebhookScheme.builder("microsoft_graph", WebhookScheme.Secret.HUB_GENERATED)
            .dedupeWindow(Duration.ofMinutes(10)).httpsReceiver().build();

    static final String VALIDATION_TOKEN = "validationToken";
    private static final int MAX_TOKEN_LENGTH = 4096;

    @Override
    public WebhookScheme scheme() {
        return SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        // the query map is already decoded: echoing it as is avoids decoding the token twice
        String token = request.query().get(VALIDATION_TOKEN);
        if (token != null) {
            if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
                return Verdict.Rejected.unreadable("validationToken is empty or too long");
            }
            return new Verdict.Handshake(Response.text(token), null);
        }
        if (!context.hasSecret()) {
            return Verdict.Rejected.noSecret();
        }
        JsonNode value;
        try {
            value = Json.object(request.body()).get("value");
        } catch (MalformedWebhookException e) {
            return Verdict.Rejected.unreadable(e.getMessage());
        }
        if (value == null || !value.isArray() || value.isEmpty()) {
            return Verdict.Rejected.unreadable("no notifications in value[]");
        }
        List<String> keys = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isObject()) {
                return Verdict.Rejected.unreadable("a notification is not an object");
            }
            String clientState = Json.text(item, "clientState");
            if (clientState == null) {
                return Verdict.Rejected.unauthorized("notification without clientState");
            }
            if (!Signatures.matchesText(context.secret(), clientState)) {
                return Verdict.Rejected.unauthorized("clientState mismatch");
            }
            keys.add(dedupeKey(item));
        }
        return new Verdict.Verified(deliveryId(keys), accepted());
    }

    /**
     * Graph has no delivery id; the optional notification id is used when present. Basic notifications for
     * two edits of one item are identical, so the receiver should dedupe Graph ids only for a short time.
     */
    private static String dedupeKey(JsonNode item) {
        return String.join("\u001f", nullSafe(Json.text(item, "id")), nullSafe(Json.text(item, "subscriptionId")),
                nullSafe(Json.text(item, "changeType")), nullSafe(Json.text(item, "lifecycleEvent")),
                nullSafe(Json.text(item, "resource")), nullSafe(Json.text(item, "resourceData", "id")));
    }

    private static String deliveryId(List<String> keys) {
        keys.sort(null);
        return "sha256:" + Signatures.hex(Hmac.digest(Signatures.utf8(String.join("\n", keys))));
    }

    private static Response accepted() {
        return Response.empty(202);
    }

    private static String nullSafe(String value) {
        return value == null ? "" : value;
    }

    /** Graph repeats the subscription's clientState (the proof the hub checks) and its validationTokens in every notification. */
    @Override
    public String redact(String body) {
        JsonNode root = PayloadRedaction.json(body);
        if (root == null || !(root.get("value") instanceof ArrayNode items)) {
            return body;
        }
        boolean changed = false;
        for (JsonNode item : items) {
            if (item instanceof ObjectNode notification) {
                changed |= PayloadRedaction.replace(notification, "clientState");
            }
        }
        if (root instanceof ObjectNode object) {
            changed |= PayloadRedaction.replace(object, "validationTokens");
        }
        return changed ? Json.write(root) : body;
    }
}
