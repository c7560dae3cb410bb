package security.vault;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hub's secret names as Azure Key Vault names ({@code [0-9a-zA-Z-]}, 1 to 127 characters,
 * compared without case). A name that is already lowercase letters, digits and dashes, at most 127
 * long, is used as it is: every name {@link security.SecretNames} builds from valid ids, so the vault
 * shows the same names as the hub. Any other name becomes its lowercase form with each other
 * character turned into a dash, cut to 110 characters, then a dash and the first 16 hex digits of
 * the SHA-256 of the original name: deterministic, and two names that differ only where the
 * clean-up changed them still map apart.
 */
public final class KeyVaultSecretNames {

    static final int MAX_LENGTH = 127;
    private static final int HASH_HEX = 16;
    private static final Pattern AS_IS = Pattern.compile("[0-9a-z-]{1," + MAX_LENGTH + "}");

    private KeyVaultSecretNames() {
    }

    public static String of(String hubName) {
        if (AS_IS.matcher(hubName).matches()) {
            return hubName;
        }
        String clean = hubName.toLowerCase(Locale.ROOT).replaceAll("[^0-9a-z-]", "-");
        String prefix = clean.substring(0, Math.min(clean.length(), MAX_LENGTH - HASH_HEX - 1));
        return prefix + "-" + sha256Hex(hubName).substring(0, HASH_HEX);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
