package store;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Where a provider sends webhooks for an integration: the verification scheme, the event patterns
 * subscribed to, non-secret scheme settings, the vault name of the secret, and health counters.
 */
public record WebhookRegistration(
        String id,
        String tenantId,
        String integrationId,
        String scheme,
        List<String> events,
        Map<String, String> settings,
        String secretName,
        String status,
        int consecutiveFailures,
        long totalFailures,
        OffsetDateTime lastSuccessAt,
        OffsetDateTime lastFailureAt,
        String lastFailureReason,
        String providerWebhookId,
        OffsetDateTime expiresAt,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public static final String ACTIVE = "active";
    public static final String FAILING = "failing";
    public static final String DISABLED = "disabled";
}
