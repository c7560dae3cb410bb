package store;

import java.time.OffsetDateTime;

/** One run of a sync: what triggered it, where it is, and what it did to how many records. */
public record SyncExecution(
        String id,
        String tenantId,
        String integrationId,
        String taskId,
        String entity,
        String mode,
        String trigger,
        String status,
        String phase,
        Counts counts,
        boolean morePending,
        String error,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime finishedAt,
        Long durationMs) {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String PARTIAL = "partial";
    public static final String FAILED = "failed";

    public boolean finished() {
        return COMPLETED.equals(status) || PARTIAL.equals(status) || FAILED.equals(status);
    }

    /** Record counts; also used as the increment a committed page adds. */
    /** {@code skipped}: records an integrator's record filter left out (not written, not failed). */
    public record Counts(long processed, long created, long updated, long unchanged, long deleted, long failed, long skipped) {

        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0);

        public Counts(long processed, long created, long updated, long unchanged, long deleted, long failed) {
            this(processed, created, updated, unchanged, deleted, failed, 0);
        }

        public Counts plus(Counts o) {
            return new Counts(processed + o.processed, created + o.created, updated + o.updated, unchanged + o.unchanged,
                    deleted + o.deleted, failed + o.failed, skipped + o.skipped);
        }

        /** Records that reached the store one way or another. */
        public long succeeded() {
            return created + updated + unchanged + deleted;
        }
    }

    public record RecordFailure(String externalId, String reason) {
    }
}
