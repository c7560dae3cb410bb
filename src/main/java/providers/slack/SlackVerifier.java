package providers.slack;

import com.fasterxml.jackson.databind.JsonNode;

import providers.webhooks.Forms;
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
 * Slack: {@code X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:" + ts + ":" + body)>} with
 * {@code X-Slack-Request-Timestamp} in unix seconds. Events API bodies are JSON (url_verification is the
 * handshake); interactivity and slash commands are form-encoded and signed the same way.
 */
public final class SlackVerifier implements WebhookVerifier {

    static final String SIGNATURE = "x-slack-signature";
    static final String TIMESTAMP = "x-slack-request-timestamp";

    @Override
    public WebhookScheme scheme() {
        return WebhookScheme.SLACK;
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
}
