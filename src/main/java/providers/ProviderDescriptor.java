package providers;

import java.time.Duration;
import java.util.List;

/**
 * A provider as the catalog shows it. {@code credentialFields} lists what {@code connect/api-key}
 * must be given; fields marked secret are never echoed. The default rate limit is at most
 * {@code defaultRateLimit} calls in any {@code defaultRateWindow}, the provider's own window where it has one.
 */
public record ProviderDescriptor(
        String id,
        String name,
        String category,
        String status,
        String audience,
        List<String> authTypes,
        List<String> entities,
        List<CredentialField> credentialFields,
        int defaultRateLimit,
        Duration defaultRateWindow) {

    /** A provider whose default limit is counted per minute. */
    public ProviderDescriptor(String id, String name, String category, String status, String audience, List<String> authTypes,
                              List<String> entities, List<CredentialField> credentialFields, int defaultRateLimitPerMinute) {
        this(id, name, category, status, audience, authTypes, entities, credentialFields, defaultRateLimitPerMinute,
                Duration.ofMinutes(1));
    }

    /** The default limit as calls per minute, rounded down (the catalog's figure); the window itself may be longer or shorter. */
    public int defaultRateLimitPerMinute() {
        return (int) (defaultRateLimit * 60L / Math.max(1, defaultRateWindow.toSeconds()));
    }

    public record CredentialField(String name, boolean required, boolean secret, String description) {

        private static final java.util.Set<String> MULTILINE = java.util.Set.of("certificate", "privateKey", "serviceAccountJson");

        /** A value of several lines (a PEM, a key file's JSON): a form asks for it in a text box that keeps its newlines. */
        public boolean multiline() {
            return MULTILINE.contains(name);
        }
    }
}
