package providers.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/** Constant-time comparison of computed signatures with presented ones, and body hashes for dedupe. */
public final class Signatures {

    private static final HexFormat HEX = HexFormat.of();

    private Signatures() {
    }

    /** True when presented is the hex (either case) of expected; compared in constant time. */
    public static boolean matchesHex(byte[] expected, String presented) {
        byte[] decoded = decodeHex(presented);
        return decoded != null && MessageDigest.isEqual(expected, decoded);
    }

    /** True when presented is the standard base64 of expected; compared in constant time. */
    public static boolean matchesBase64(byte[] expected, String presented) {
        byte[] decoded = decodeBase64(presented);
        return decoded != null && MessageDigest.isEqual(expected, decoded);
    }

    /** Equality of two secrets or tokens in constant time (for equal lengths). */
    public static boolean matchesText(byte[] expected, String presented) {
        return presented != null && MessageDigest.isEqual(expected, utf8(presented));
    }

    /** The dedupe id of last resort: "sha256:" + hex SHA-256 of the body. */
    public static String bodyHash(byte[] body) {
        return "sha256:" + HEX.formatHex(Hmac.digest(body));
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] decodeBase64(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] decodeHex(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        if (trimmed.length() % 2 != 0) {
            return null;
        }
        try {
            return HEX.parseHex(trimmed);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
