package security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** API keys: 256 random bits, shown once; the hub keeps only their SHA-256. */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final String TENANT_PREFIX = "chk_";
    static final String ADMIN_PREFIX = "cha_";

    private ApiKeys() {
    }

    public static String newTenantKey() {
        return TENANT_PREFIX + randomToken();
    }

    static String newAdminKey() {
        return ADMIN_PREFIX + randomToken();
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first characters of a key, safe to show and log so operators can tell keys apart. */
    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(12, key.length()));
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
