package providers.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a registration provides for verification. secret may be null when none is known yet (Notion before
 * its handshake) or the scheme has none.
 *
 * @param settings the scheme's non-secret settings, see {@link WebhookScheme#settingNames()}
 * @param publicUrl the endpoint's public URL as registered with the provider (HubSpot signs its origin;
 *     Pub/Sub's default audience is this URL)
 * @param tolerance how far a signed timestamp may be from now, both ways; null means 5 minutes
 * @param now the time to check timestamps and tokens against; null means the current time
 */
public record VerificationContext(byte[] secret, Map<String, String> settings, String publicUrl, Duration tolerance,
                                  Instant now) {

    static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    public VerificationContext {
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        tolerance = tolerance == null ? DEFAULT_TOLERANCE : tolerance.abs();
        now = now == null ? Instant.now() : now;
    }

    /** A context with a text secret (UTF-8), the given settings and public URL, default tolerance, now. */
    public static VerificationContext of(String secret, Map<String, String> settings, String publicUrl) {
        return new VerificationContext(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8), settings,
                publicUrl, null, null);
    }

    public boolean hasSecret() {
        return secret != null && secret.length > 0;
    }

    /** The setting's value, or null when absent or blank. */
    public String setting(String name) {
        String value = settings.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() {
        return "VerificationContext[secret=" + (hasSecret() ? "set" : "none") + ", settings=" + settings
                + ", publicUrl=" + publicUrl + ", tolerance=" + tolerance + ", now=" + now + "]";
    }
}
