package store;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonRawValue;

/** A shard as the API shows it: its data, where it came from, and its edges to other shards. */
public record Shard(
        String id,
        String shardType,
        @JsonRawValue String structuredData,
        long version,
        boolean deleted,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        List<ExternalRelationship> externalRelationships,
        List<Relation> relationships,
        List<IncomingRelation> incomingRelationships) {

    /** A link to a provider record; {@code syncError} is the last failed write-back, until one succeeds. */
    public record ExternalRelationship(String integrationId, String entity, String externalId, String syncDirection,
                                       OffsetDateTime lastSyncedAt, String externalVersion, String syncError, OffsetDateTime syncErrorAt) {
    }

    /**
     * An edge to another shard, kept by the target's provider record and resolved to whichever shard holds that record
     * now. {@code status} is {@code resolved}, or {@code orphaned} while the target record has no shard (not synced yet)
     * or its shard is deleted; {@code targetShardId} is then null. An orphaned relation mends itself when the target
     * record arrives or comes back.
     */
    public record Relation(String type, String targetShardType, String targetShardId, String targetIntegrationId,
                           String targetEntity, String targetExternalId, String status) {

        public static final String RESOLVED = "resolved";
        public static final String ORPHANED = "orphaned";
    }

    /** An edge from another shard to this one (through one of this shard's provider records). */
    public record IncomingRelation(String type, String sourceShardId, String sourceShardType, String integrationId, String entity,
                                   String externalId) {
    }
}
