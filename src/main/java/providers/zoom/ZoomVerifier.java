package providers.zoom;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import providers.webhooks.Hmac;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Json;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.Response;
import providers.webhooks.Signatures;
import providers.webhooks.TimestampedHmac;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookVerifier;

/**
 * Zoom: {@code x-zm-signature: v0=<hex HMAC-SHA256(secret token, "v0:" + x-zm-request-timestamp + ":" +
 * body)>}. Zoom does not document the timestamp's unit or a replay window; its samples treat it as seconds,
 * so seconds are assumed and a millisecond value is recognised by its size; the window is the context's
 * tolerance (5 minutes by default, as third-party verifiers use). The endpoint.url_validation handshake is
 * answered only once its signature checks.
 */
@Component
public final class ZoomVerifier implements WebhookVerifier {

    /** Zoom generates the Secret Token on the app's feature page. */
    public static final WebhookScheme SCHEME = WebhookScheme.builder("zoom", WebhookScheme.Secret.PROVIDER_ISSUED).build();

    static final String SIGNATURE = "x-zm-signature";
    static final String TIMESTAMP = "x-zm-request-timestamp";
    static final String TRACKING_ID = "x-zm-trackingid";

    @Override
    public WebhookScheme scheme() {
        return SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        Verdict.Rejected refused = TimestampedHmac.check(request, context, SIGNATURE, TIMESTAMP, true);
        if (refused != null) {
            return refused;
        }
        JsonNode body;
        try {
            body = Json.object(request.body());
        } catch (MalformedWebhookException e) {
            return Verdict.Rejected.malformed(e.getMessage());
        }
        String event = Json.text(body, "event");
        if ("endpoint.url_validation".equals(event)) {
            return handshake(body, context);
        }
        return new Verdict.Verified(deliveryId(request, body, event), null);
    }

    private static Verdict handshake(JsonNode body, VerificationContext context) {
        String plainToken = Json.text(body, "payload", "plainToken");
        if (plainToken == null) {
            return Verdict.Rejected.malformed("url_validation without payload.plainToken");
        }
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("plainToken", plainToken);
        answer.put("encryptedToken", Signatures.hex(Hmac.sha256(context.secret(), Signatures.utf8(plainToken))));
        byte[] json = Json.write(answer).getBytes(StandardCharsets.UTF_8);
        return new Verdict.Handshake(new Response(200, "application/json", json), null);
    }

    private static String deliveryId(InboundWebhook request, JsonNode body, String event) {
        String tracking = request.header(TRACKING_ID);
        if (tracking != null && !tracking.isBlank()) {
            return tracking.trim();
        }
        String eventTs = Json.text(body, "event_ts");
        if (event != null && eventTs != null) {
            String objectId = Json.text(body, "payload", "object", "id");
            if (objectId == null) {
                objectId = Json.text(body, "payload", "object", "uuid");
            }
            return event + ":" + eventTs + (objectId == null ? "" : ":" + objectId);
        }
        return Signatures.bodyHash(request.body());
    }
}
