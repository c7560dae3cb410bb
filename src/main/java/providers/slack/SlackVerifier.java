package providers.slack;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

import providers.webhooks.Forms;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Json;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.PayloadRedaction;
import providers.webhooks.Response;
import providers.webhooks.Signatures;
import providers.webhooks.TimestampedHmac;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookVerifier;

/**
 * Slack: {@code X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:" + ts + ":" + body)>} with
 * {@code X-Slack-Request-Timestamp} in unix seconds. Events API bodies are JSON (url_verification is the
 * handshake); interactivity and slash commands are form-encoded and signed the same way.
 */
@Component
public final class SlackVerifier implements WebhookVerifier {

    /** Slack issues the app's signing secret; the receiver cannot choose it. */
    public static final WebhookScheme SCHEME = WebhookScheme.builder("slack", WebhookScheme.Secret.PROVIDER_ISSUED).build();

    static final String SIGNATURE = "x-slack-signature";
    static final String TIMESTAMP = "x-slack-request-timestamp";

    @Override
    public WebhookScheme scheme() {
        return SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        Verdict.Rejected refused = TimestampedHmac.check(request, context, SIGNATURE, TIMESTAMP, false);
        if (refused != null) {
            return refused;
        }
        if (Forms.isForm(request)) {
            return new Verdict.Verified(Signatures.bodyHash(request.body()), null);
        }
        JsonNode body;
        try {
            body = Json.object(request.body());
        } catch (MalformedWebhookException e) {
            return Verdict.Rejected.malformed(e.getMessage());
        }
        if ("url_verification".equals(Json.text(body, "type"))) {
            String challenge = Json.text(body, "challenge");
            if (challenge == null) {
                return Verdict.Rejected.malformed("url_verification without a challenge");
            }
            return new Verdict.Handshake(Response.text(challenge), null);
        }
        // retries (X-Slack-Retry-Num) carry the same event_id, so it is the dedupe key
        String eventId = Json.text(body, "event_id");
        return new Verdict.Verified(eventId != null ? eventId : Signatures.bodyHash(request.body()), null);
    }

    /** Slack's payloads carry the app's verification token, in JSON or in a form (slash command, interactivity). */
    @Override
    public String redact(String body) {
        JsonNode root = PayloadRedaction.json(body);
        if (root instanceof ObjectNode object) {
            return PayloadRedaction.replace(object, "token") ? Json.write(object) : body;
        }
        if (root != null || body.indexOf('=') < 0) {
            return body;
        }
        // a form (slash command, or interactivity with its JSON in "payload"): the token field and the payload's token
        List<String> fields = new ArrayList<>();
        for (String pair : body.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (name.equals("token")) {
                pair = name + "=" + URLEncoder.encode(PayloadRedaction.REDACTED, StandardCharsets.UTF_8);
            } else if (name.equals("payload") && eq > 0) {
                try {
                    String payload = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    String redacted = redact(payload);
                    if (!redacted.equals(payload)) {
                        pair = name + "=" + URLEncoder.encode(redacted, StandardCharsets.UTF_8);
                    }
                } catch (IllegalArgumentException malformed) {
                    pair = name + "=" + URLEncoder.encode(PayloadRedaction.REDACTED, StandardCharsets.UTF_8);
                }
            }
            fields.add(pair);
        }
        return String.join("&", fields);
    }
}
