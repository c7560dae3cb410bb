package store;

import java.time.OffsetDateTime;

/** An integration's connection: the name of its secret in the vault and how the connection is doing. */
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
        OffsetDateTime updatedAt) {
}
