package store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Where a provider sends webhooks for an integration: the verification scheme, the event patterns
 * subscribed to, non-secret scheme settings, the vault name of the secret, health counters, and the provider's
 * subscription with what its last renewal did.
 */
public record WebhookRegistration(
        String id,
        String tenantId,
        String integrationId,
        String scheme,
        List<String> events,
        Map<String, String> settings,
        String secretName,
        Status status,
        int consecutiveFailures,
        long totalFailures,
        OffsetDateTime lastSuccessAt,
        OffsetDateTime lastFailureAt,
        String lastFailureReason,
        String providerWebhookId,
        String callbackUrl,
        OffsetDateTime expiresAt,
        OffsetDateTime lastRenewedAt,
        String lastRenewal,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    /** How deliveries to the registration are doing. {@link #value()} is its spelling in the column and the JSON. */
    public enum Status implements WireValue {
        ACTIVE, FAILING, DISABLED;

        @Override
        public String toString() {
            return value();
        }

        /** The constant spelled {@code value}; refuses an unknown spelling, naming the allowed ones. */
        public static Status of(String value) {
            return WireValue.parse(Status.class, value);
        }
    }

}
