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
        Status status,
        OffsetDateTime expiresAt,
        OffsetDateTime lastRefreshedAt,
        OffsetDateTime lastTestedAt,
        String lastError,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime credentialsSetAt,
        Integer rotationMaxAgeDays,
        Integer rotationWarnDays) {

    /**
     * How the connection is doing ({@code auth_failed}: the provider refused to renew its token, reconnect).
     * {@link #value()} is its spelling in the column and the JSON.
     */
    public enum Status implements WireValue {
        CONNECTED, ERROR, DISCONNECTED, AUTH_FAILED;

        @Override
        public String toString() {
            return value();
        }

        /** The constant spelled {@code value}; refuses an unknown spelling, naming the allowed ones. */
        public static Status of(String value) {
            return WireValue.parse(Status.class, value);
        }
    }

    /** Where the credentials stand under the rotation policy. {@link #value()} is its spelling in the JSON. */
    public enum CredentialState implements WireValue {
        OK, ROTATION_DUE, ROTATION_OVERDUE;

        @Override
        public String toString() {
            return value();
        }

        /** The constant spelled {@code value}; refuses an unknown spelling, naming the allowed ones. */
        public static CredentialState of(String value) {
            return WireValue.parse(CredentialState.class, value);
        }
    }

    /** When the credentials must have been replaced by, under the rotation policy; null without one. */
    @JsonProperty
    public OffsetDateTime rotateBy() {
        return rotationMaxAgeDays == null || credentialsSetAt == null ? null : credentialsSetAt.plusDays(rotationMaxAgeDays);
    }

    /** {@code ok}, {@code rotation_due} (within the warning period) or {@code rotation_overdue}. */
    @JsonProperty
    public CredentialState credentialState() {
        OffsetDateTime by = rotateBy();
        OffsetDateTime now = OffsetDateTime.now();
        if (by == null || now.isBefore(by.minusDays(rotationWarnDays == null ? 0 : rotationWarnDays))) {
            return CredentialState.OK;
        }
        return now.isBefore(by) ? CredentialState.ROTATION_DUE : CredentialState.ROTATION_OVERDUE;
    }
}
