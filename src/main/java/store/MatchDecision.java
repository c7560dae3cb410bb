package store;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One entity-resolution decision, with its explanation (JSON: each field's comparator, values, similarity and weight,
 * the total and the thresholds; for {@code fields}, the values that differ).
 *
 * @param shardId      the shard the source record joined (merge), may join (review), or was split from (unmerge)
 * @param otherShardId the record's own shard: created for it while a person reviews, or split out by an unmerge
 */
public record MatchDecision(String id, String shardType, Kind kind, Status status, String shardId, String otherShardId,
                            String integrationId, String entity, String externalId, Double score, @JsonRawValue String explanation,
                            Long shardVersion, Long otherVersion, OffsetDateTime createdAt, OffsetDateTime decidedAt, String decidedBy) {

    public enum Kind implements WireValue { MERGE, REVIEW, FIELDS, UNMERGE }

    public enum Status implements WireValue { APPLIED, PENDING, ACCEPTED, REJECTED, UNDONE }
}
