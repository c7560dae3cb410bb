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
        Status status,
        int attempts,
        String outcome,
        OffsetDateTime createdAt,
        OffsetDateTime relayedAt,
        OffsetDateTime finishedAt,
        /** W3C traceparent of the request that made the write (null when not traced): the relay continues its trace. */
        String traceParent) {

    /** Where the write stands. {@link #value()} is its spelling in the column and the JSON. */
    public enum Status implements WireValue {
        PENDING, RELAYED, DONE, HELD, SKIPPED, FAILED;

        @Override
        public String toString() {
            return value();
        }

        /** The constant spelled {@code value}; refuses an unknown spelling, naming the allowed ones. */
        public static Status of(String value) {
            return WireValue.parse(Status.class, value);
        }
    }

    public static final String CREATE = "create";
    public static final String UPDATE = "update";
    public static final String DELETE = "delete";

    public boolean finished() {
        return finishedAt != null;
    }
}
