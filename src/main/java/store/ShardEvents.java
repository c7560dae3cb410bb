package store;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.util.RawValue;

/**
 * The {@code shard.created}, {@code shard.updated} and {@code shard.deleted} events: which shard (id and type), where the
 * change came from ({@code origin}: {@code sync}, {@code api}, {@code write-back}), the record it came through when it
 * came from a provider, the fields changed when known, and the shard's structured data after a create or update, so a
 * receiver needs no call back.
 */
public final class ShardEvents {

    public static final String CREATED = "shard.created";
    public static final String UPDATED = "shard.updated";
    public static final String DELETED = "shard.deleted";

    public static final String SYNC = "sync";
    public static final String API = "api";
    public static final String WRITE_BACK = "write-back";

    private ShardEvents() {
    }

    /** Where a provider record was: its integration, provider, entity and id (all null for a change made in Castiel). */
    public record Source(String integrationId, String provider, String entity, String externalId) {

        public static final Source NONE = new Source(null, null, null, null);
    }

    /**
     * One shard event. {@code dataJson}: the shard's structured data as stored (written into the event as is, not parsed
     * again), null for a deletion; {@code changedFields}: null when not known (a sync replaces the record's values).
     */
    public static Event.New of(String type, String tenantId, String shardId, String shardType, String origin, Source source,
                               String dataJson, List<String> changedFields) {
        Map<String, Object> data = EventStore.data("shardId", shardId, "shardType", shardType, "origin", origin,
                "integrationId", source.integrationId(), "provider", source.provider(), "entity", source.entity(),
                "externalId", source.externalId(), "changedFields", changedFields,
                "structuredData", dataJson == null ? null : new RawValue(dataJson));
        return new Event.New(tenantId, type, shardId, data);
    }
}
