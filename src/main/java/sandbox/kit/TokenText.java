package sandbox.kit;

import java.security.SecureRandom;
import java.util.Base64;

/** Random text for opaque tokens and codes; each sandbox wraps it in its provider's prefixes and shapes. */
public final class TokenText {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenText() {
    }

    public static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** {@code n} random bytes in URL-safe base64 without padding. */
    public static String urlSafe(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(n));
    }

    /** {@code n} random bytes in standard base64 with padding (characters clients must URL-encode). */
    public static String base64(int n) {
        return Base64.getEncoder().encodeToString(randomBytes(n));
    }
}
