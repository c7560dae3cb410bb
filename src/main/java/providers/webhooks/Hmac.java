package providers.webhooks;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC and plain SHA-256 over byte parts, without building intermediate strings. */
public final class Hmac {

    // Mac lookups go through the provider list; one instance per thread keeps verification cheap
    private static final ThreadLocal<Mac> SHA256 = ThreadLocal.withInitial(() -> mac("HmacSHA256"));
    private static final ThreadLocal<Mac> SHA1 = ThreadLocal.withInitial(() -> mac("HmacSHA1"));

    private Hmac() {
    }

    /** HMAC-SHA256 of the parts, concatenated; key must not be empty. */
    public static byte[] sha256(byte[] key, byte[]... parts) {
        return compute(SHA256.get(), "HmacSHA256", key, parts);
    }

    /** HMAC-SHA1, only for GitHub's legacy header. */
    public static byte[] sha1(byte[] key, byte[]... parts) {
        return compute(SHA1.get(), "HmacSHA1", key, parts);
    }

    /** Plain SHA-256 of the parts, concatenated. */
    public static byte[] digest(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] compute(Mac mac, String algorithm, byte[] key, byte[]... parts) {
        try {
            mac.init(new SecretKeySpec(key, algorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise " + algorithm);
        }
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    private static Mac mac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
