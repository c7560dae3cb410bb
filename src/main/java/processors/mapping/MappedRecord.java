package processors.mapping;

import java.util.List;
import java.util.Map;

/**
 * A provider record mapped to a shard.
 *
 * @param externalId      the provider's record id
 * @param externalVersion the provider's change marker as received (for example SystemModstamp), or null when not mapped
 * @param structuredData  the shard's fields, nested, in mapping order
 */
public record MappedRecord(String externalId, String externalVersion, String shardType, Map<String, Object> structuredData,
                           List<RelationshipRef> relationships) {
}
