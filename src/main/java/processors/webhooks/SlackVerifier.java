package processors.webhooks;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Slack: {@code X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:" + ts + ":" + body)>} with
 * {@code X-Slack-Request-Timestamp} in unix seconds. Events API bodies are JSON (url_verification is the
 * handshake); interactivity and slash commands are form-encoded and signed the same way.
 */
final class SlackVerifier implements WebhookVerifier {

    static final String SIGNATURE = "x-slack-signature";
    static final String TIMESTAMP = "x-slack-request-timestamp";

    private static final byte[] VERSION = Signatures.utf8("v0:");
    private static final byte[] COLON = Signatures.utf8(":");

    @Override
    public WebhookScheme scheme() {
        return WebhookScheme.SLACK;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        String signature = request.header(SIGNATURE);
        if (signature == null) {
            return Verdict.Rejected.missingHeader(SIGNATURE);
        }
        String timestamp = request.header(TIMESTAMP);
        if (timestamp == null) {
            return Verdict.Rejected.missingHeader(TIMESTAMP);
        }
        if (!context.hasSecret()) {
            return Verdict.Rejected.noSecret();
        }
        Verdict.Rejected stale = TimestampWindow.checkSeconds(TIMESTAMP, timestamp, context);
        if (stale != null) {
            return stale;
        }
        byte[] expected = Hmac.sha256(context.secret(), VERSION, Signatures.utf8(timestamp.trim()), COLON,
                request.body());
        if (!signature.startsWith("v0=") || !Signatures.matchesHex(expected, signature.substring(3))) {
            return Verdict.Rejected.unauthorized("signature mismatch");
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
