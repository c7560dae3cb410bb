package store;

import java.time.OffsetDateTime;
import java.util.List;

/** A shard write waiting to reach (or done reaching) the provider. */
public record OutboxEntry(
        long seq,
        String id,
        String tenantId,
        String integrationId,
        String shardId,
        String entity,
        String externalId,
        String operation,
        List<String> changedFields,
        String status,
        int attempts,
        String outcome,
        OffsetDateTime createdAt,
        OffsetDateTime relayedAt,
        OffsetDateTime finishedAt) {

    public static final String CREATE = "create";
    public static final String UPDATE = "update";
    public static final String DELETE = "delete";

    public static final String PENDING = "pending";
    public static final String RELAYED = "relayed";
    public static final String DONE = "done";
    public static final String HELD = "held";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";

    public boolean finished() {
        return finishedAt != null;
    }
}
