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
        List<Relation> relationships) {

    /** A link to a provider record; {@code syncError} is the last failed write-back, until one succeeds. */
    public record ExternalRelationship(String integrationId, String entity, String externalId, String syncDirection,
                                       OffsetDateTime lastSyncedAt, String externalVersion, String syncError, OffsetDateTime syncErrorAt) {
    }

    /** An edge to another shard; {@code targetShardId} is null until the target record has been synced. */
    public record Relation(String type, String targetShardType, String targetShardId, String targetIntegrationId,
                           String targetEntity, String targetExternalId) {
    }
}
