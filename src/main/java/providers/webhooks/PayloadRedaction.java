package providers.webhooks;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the verifiers' {@link WebhookVerifier#redact} share: the marker that replaces a secret in a logged
 * body, and reading and editing JSON bodies. Microsoft Graph repeats the subscription's clientState and its
 * validationTokens in every notification; Slack's payloads carry the app's verification token; a Salesforce
 * Outbound Message may carry a session id. Handshake tokens (Graph validationToken, Slack challenge, Zoom
 * plainToken, Notion verification_token) are never logged with a body at all.
 */
public final class PayloadRedaction {

    public static final String REDACTED = "[redacted]";

    private PayloadRedaction() {
    }

    /** Replaces the field's value with {@link #REDACTED}; true when the node had the field. */
    public static boolean replace(ObjectNode node, String field) {
        if (!node.has(field)) {
            return false;
        }
        node.put(field, REDACTED);
        return true;
    }

    /** The body as JSON, or null when it is not JSON. */
    public static JsonNode json(String text) {
        try {
            return Json.tree(text.getBytes(StandardCharsets.UTF_8));
        } catch (MalformedWebhookException notJson) {
            return null;
        }
    }
}
