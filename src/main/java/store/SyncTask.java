package store;

import java.time.OffsetDateTime;

/** What to sync (a provider entity, full or incremental) and when (cron, or the integration's frequency). */
public record SyncTask(
        String id,
        String tenantId,
        String integrationId,
        String name,
        String entity,
        String mode,
        String schedule,
        boolean enabled,
        OffsetDateTime nextRunAt,
        OffsetDateTime lastRunAt,
        String lastExecutionId,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
}
