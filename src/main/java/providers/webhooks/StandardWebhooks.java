package providers.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks (standardwebhooks.com) signatures: {@code v1,} + base64 HMAC-SHA256(key, id + "." +
 * timestamp + "." + body), where the key is the base64 part of a {@code whsec_} secret. Used by the verifier,
 * by tests and by the hub's benchmark to sign deliveries.
 */
public final class StandardWebhooks {

    public static final String SECRET_PREFIX = "whsec_";

    /** The receiver may hand the sender a whsec_ secret; 24+ random bytes per the spec. */
    public static final WebhookScheme SCHEME = WebhookScheme.builder("standard_webhooks", WebhookScheme.Secret.HUB_GENERATED)
            .secretFormat(() -> SECRET_PREFIX + Base64.getEncoder().encodeToString(WebhookScheme.randomKey())).build();

    private static final byte[] DOT = {'.'};

    private StandardWebhooks() {
    }

    /**
     * The {@code webhook-signature} value for one delivery: {@code v1,<base64>}.
     *
     * @param secret a {@code whsec_} secret (or its base64 part alone)
     */
    public static String sign(String secret, String webhookId, long timestampSeconds, byte[] body) {
        byte[] key = keys(secret.getBytes(StandardCharsets.UTF_8)).get(0);
        return "v1," + Base64.getEncoder().encodeToString(signature(key, webhookId, Long.toString(timestampSeconds), body));
    }

    /** A new secret: {@code whsec_} + base64 of 32 random bytes (the spec asks for at least 24). */
    public static String newSecret() {
        return SCHEME.newSecret();
    }

    static byte[] signature(byte[] key, String webhookId, String timestamp, byte[] body) {
        return Hmac.sha256(key, webhookId.getBytes(StandardCharsets.UTF_8), DOT,
                timestamp.getBytes(StandardCharsets.UTF_8), DOT, body);
    }

    /**
     * The HMAC keys a stored secret stands for. {@code whsec_<base64>}: the decoded bytes. Without the prefix
     * the reference libraries still base64-decode, while some senders use the text as is: both are tried,
     * decoded first; either is derived from the registered secret, so the check is no weaker.
     */
    static List<byte[]> keys(byte[] secret) {
        String text = new String(secret, StandardCharsets.UTF_8).trim();
        List<byte[]> keys = new ArrayList<>(2);
        if (text.startsWith(SECRET_PREFIX)) {
            byte[] decoded = Signatures.decodeBase64(text.substring(SECRET_PREFIX.length()));
            if (decoded != null && decoded.length > 0) {
                keys.add(decoded);
            }
            return keys;
        }
        byte[] decoded = Signatures.decodeBase64(text);
        if (decoded != null && decoded.length > 0) {
            keys.add(decoded);
        }
        if (!text.isEmpty()) {
            keys.add(text.getBytes(StandardCharsets.UTF_8));
        }
        return keys;
    }
}
