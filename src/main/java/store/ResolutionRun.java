package store;

import java.time.OffsetDateTime;

/**
 * A batch entity-resolution run over a tenant's shards of one type: where it is and what it found.
 *
 * @param phase         {@code keys} (indexing blocking keys under the rules in force) or {@code matching}
 * @param cursorShardId the last shard of the current phase whose page is committed (null: the phase has not started)
 * @param attempts      how many times a hub took the run up: more than one means it resumed after a crash or a stop
 */
public record ResolutionRun(String id, String tenantId, String shardType, Status status, Phase phase, String cursorShardId,
                            long shardsTotal, long shardsIndexed, long shardsMatched, Counts counts, int attempts, String error,
                            String requestedBy, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    public enum Status implements WireValue { QUEUED, RUNNING, COMPLETED, FAILED }

    public enum Phase implements WireValue { KEYS, MATCHING }

    /** What a page (or the run so far) found: pairs scored, shards merged into another, pairs sent to review, shards without keys. */
    public record Counts(long pairsCompared, long merged, long inReview, long unblocked) {

        public static final Counts NONE = new Counts(0, 0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(pairsCompared + o.pairsCompared, merged + o.merged, inReview + o.inReview, unblocked + o.unblocked);
        }
    }

    public boolean active() {
        return status == Status.QUEUED || status == Status.RUNNING;
    }
}
