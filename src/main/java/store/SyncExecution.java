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
        Status status,
        String phase,
        Counts counts,
        boolean morePending,
        String error,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime finishedAt,
        Long durationMs,
        String notice) {

    /**
     * A run without a notice. {@code notice}: what operators should know about the run beyond its counts (the provider
     * refused the change marker and the pass became a full pass), or null.
     */
    public SyncExecution(String id, String tenantId, String integrationId, String taskId, String entity, String mode, String trigger,
                         Status status, String phase, Counts counts, boolean morePending, String error, OffsetDateTime createdAt,
                         OffsetDateTime startedAt, OffsetDateTime finishedAt, Long durationMs) {
        this(id, tenantId, integrationId, taskId, entity, mode, trigger, status, phase, counts, morePending, error, createdAt, startedAt,
                finishedAt, durationMs, null);
    }

    /** Where a run stands. {@link #value()} is its spelling in the column and the JSON. */
    public enum Status implements WireValue {
        PENDING, RUNNING, COMPLETED, PARTIAL, FAILED, CANCELLED;

        @Override
        public String toString() {
            return value();
        }

        /** The constant spelled {@code value}; refuses an unknown spelling, naming the allowed ones. */
        public static Status of(String value) {
            return WireValue.parse(Status.class, value);
        }
    }

    public boolean finished() {
        return switch (status) {
            case COMPLETED, PARTIAL, FAILED, CANCELLED -> true;
            case PENDING, RUNNING -> false;
        };
    }

    /** Whether a retry may run it again: it ended without doing all its work. */
    public boolean retryable() {
        return status == Status.FAILED || status == Status.PARTIAL || status == Status.CANCELLED;
    }

    /** Record counts; also used as the increment a committed page adds. */
    /**
     * {@code skipped}: records an integrator's record filter left out (not written, not failed). Entity resolution:
     * {@code merged} records joined a shard that existed (not created), {@code inReview} got their own shard and a
     * possible match for a person to decide, {@code unblocked} had no blocking key, so were never compared;
     * {@code pairsCompared}: the pairs of a record and a candidate scored.
     */
    public record Counts(long processed, long created, long updated, long unchanged, long deleted, long failed, long skipped,
                         long merged, long inReview, long unblocked, long pairsCompared) {

        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0);

        public Counts(long processed, long created, long updated, long unchanged, long deleted, long failed) {
            this(processed, created, updated, unchanged, deleted, failed, 0);
        }

        public Counts(long processed, long created, long updated, long unchanged, long deleted, long failed, long skipped) {
            this(processed, created, updated, unchanged, deleted, failed, skipped, 0, 0, 0, 0);
        }

        public Counts plus(Counts o) {
            return new Counts(processed + o.processed, created + o.created, updated + o.updated, unchanged + o.unchanged,
                    deleted + o.deleted, failed + o.failed, skipped + o.skipped, merged + o.merged, inReview + o.inReview,
                    unblocked + o.unblocked, pairsCompared + o.pairsCompared);
        }

        /** Records that reached the store one way or another. */
        public long succeeded() {
            return created + updated + unchanged + deleted;
        }
    }

    public record RecordFailure(String externalId, String reason) {
    }
}
