package sandbox.kit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The digests providers sign webhooks and tokens with: HMAC-SHA256 keyed with a secret over the concatenation of the
 * parts (GitHub's {@code sha256=}, Slack's and Zoom's {@code v0=}, Notion's, HubSpot's v3, Salesforce's token
 * signature), HMAC-SHA1 (GitHub's legacy header) and the plain SHA-256 of HubSpot's legacy v1 signature. Encode the
 * result with {@code HexFormat} or {@code Base64}. (The hub's verifiers have their own; a sandbox imports nothing of
 * the hub.)
 */
public final class Hmac {

    private Hmac() {
    }

    /** HMAC-SHA256 with the secret (UTF-8) over the parts, in order, with nothing between them. */
    public static byte[] sha256(String secret, byte[]... parts) {
        return mac("HmacSHA256", secret, parts);
    }

    /** HMAC-SHA1, for legacy headers that still use it (GitHub's {@code X-Hub-Signature: sha1=}). */
    public static byte[] sha1(String secret, byte[]... parts) {
        return mac("HmacSHA1", secret, parts);
    }

    /** HMAC-SHA256 over text parts, each in UTF-8. */
    public static byte[] sha256(String secret, String... parts) {
        byte[][] bytes = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = utf8(parts[i]);
        }
        return sha256(secret, bytes);
    }

    /** A plain SHA-256 digest of the parts, in order (not keyed). */
    public static byte[] digest(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mac(String algorithm, String secret, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
