package providers;

import java.util.List;

/**
 * A provider as the catalog shows it. {@code credentialFields} lists what {@code connect/api-key}
 * must be given; fields marked secret are never echoed.
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
        int defaultRateLimitPerMinute) {

    public record CredentialField(String name, boolean required, boolean secret, String description) {
    }
}
