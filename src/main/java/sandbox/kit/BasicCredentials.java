package sandbox.kit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A client's id and secret from an {@code Authorization: Basic base64(id:secret)} header (OAuth client authentication). */
public record BasicCredentials(String id, String secret) {

    /** The pair in the header; null when it has none or is not base64 of {@code id:secret} (a missing colon: an empty secret). */
    public static BasicCredentials of(String authorization) {
        String encoded = AccessTokens.bearer(authorization, "Basic");
        if (encoded == null) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? new BasicCredentials(decoded, "") : new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
