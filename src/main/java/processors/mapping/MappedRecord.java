package processors.mapping;

import java.util.List;
import java.util.Map;

/**
 * A provider record mapped to a shard.
 *
 * @param externalId      the provider's record id
 * @param externalVersion the provider's change marker as received (for example SystemModstamp), or null when not mapped
 * @param structuredData  the shard's fields, nested, in mapping order
 * @param modifiedAt      when the provider last changed the record, as received, where the mapping names it apart from the
 *                        change marker ({@code modifiedAt}); null otherwise
 * @param derived         the shards of other types the record also yields ({@link DerivedMapping}), each under its own
 *                        source entity; the record's relationships include one to each
 */
public record MappedRecord(String externalId, String externalVersion, String shardType, Map<String, Object> structuredData,
                           List<RelationshipRef> relationships, String modifiedAt, List<Derived> derived) {

    /** A derived shard's mapped record and the source entity it is linked under (Lead.company). */
    public record Derived(String entity, MappedRecord record) {
    }

    public MappedRecord(String externalId, String externalVersion, String shardType, Map<String, Object> structuredData,
                        List<RelationshipRef> relationships, String modifiedAt) {
        this(externalId, externalVersion, shardType, structuredData, relationships, modifiedAt, List.of());
    }

    public MappedRecord(String externalId, String externalVersion, String shardType, Map<String, Object> structuredData,
                        List<RelationshipRef> relationships) {
        this(externalId, externalVersion, shardType, structuredData, relationships, null);
    }

    /** When the provider last changed the record: {@code modifiedAt}, else the change marker where it is a time; null when unknown. */
    public String modifiedAtOrVersion() {
        return modifiedAt != null ? modifiedAt : externalVersion;
    }
}
