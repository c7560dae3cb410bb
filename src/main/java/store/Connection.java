package store;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.OffsetDateTime;

/**
 * An integration's connection: the name of its secret in the vault and how the connection is doing,
 * the token's expiry and last refresh, and the credentials' rotation policy (never the secret).
 */
public record Connection(
        String integrationId,
        String tenantId,
        String authType,
        String secretName,
        String status,
        OffsetDateTime expiresAt,
        OffsetDateTime lastRefreshedAt,
        OffsetDateTime lastTestedAt,
        String lastError,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime credentialsSetAt,
        Integer rotationMaxAgeDays,
        Integer rotationWarnDays) {

    /** Connection statuses. */
    public static final String CONNECTED = "connected";
    public static final String ERROR = "error";
    public static final String DISCONNECTED = "disconnected";

    public static final String CREDENTIALS_OK = "ok";
    public static final String ROTATION_DUE = "rotation_due";
    public static final String ROTATION_OVERDUE = "rotation_overdue";

    /** When the credentials must have been replaced by, under the rotation policy; null without one. */
    @JsonProperty
    public OffsetDateTime rotateBy() {
        return rotationMaxAgeDays == null || credentialsSetAt == null ? null : credentialsSetAt.plusDays(rotationMaxAgeDays);
    }

    /** {@code ok}, {@code rotation_due} (within the warning period) or {@code rotation_overdue}. */
    @JsonProperty
    public String credentialState() {
        OffsetDateTime by = rotateBy();
        OffsetDateTime now = OffsetDateTime.now();
        if (by == null || now.isBefore(by.minusDays(rotationWarnDays == null ? 0 : rotationWarnDays))) {
            return CREDENTIALS_OK;
        }
        return now.isBefore(by) ? ROTATION_DUE : ROTATION_OVERDUE;
    }
}
