package processors.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shard of another type that a provider record also yields (a Salesforce Lead's company, from its company name,
 * email domain and phone), linked from the record's own shard by {@code relationship}. Its source is the record itself
 * under the entity {@code <entity>.<name>} (Lead.company), so it has a link, a content hash and a sync of its own;
 * it is read, never written back. A record whose required derived fields are missing or blank yields no derived shard
 * (a lead without a company name), where the same gap in its own fields would fail it.
 */
public final class DerivedMapping {

    private final String name;
    private final String entity;
    private final String shardType;
    private final String relationship;
    private final List<FieldRule> fields;

    DerivedMapping(String name, String entity, String shardType, String relationship, List<FieldRule> fields) {
        this.name = name;
        this.entity = entity;
        this.shardType = shardType;
        this.relationship = relationship;
        this.fields = List.copyOf(fields);
    }

    public String name() {
        return name;
    }

    /** The source entity of the derived shard's link: the record's entity, a dot and the name (Lead.company). */
    public String entity() {
        return entity;
    }

    public String shardType() {
        return shardType;
    }

    /** The relationship type from the record's own shard to the derived one (works_at). */
    public String relationship() {
        return relationship;
    }

    public List<FieldRule> fields() {
        return fields;
    }

    /**
     * The derived shard of one record, or null when a required field is missing or blank.
     *
     * @throws MappingException when a transform fails
     */
    MappedRecord map(Map<String, ?> providerRecord, String recordId, String version, String modifiedAt, String label) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (FieldRule rule : fields) {
            Object value;
            try {
                value = rule.value(providerRecord);
            } catch (MappingException e) {
                throw new MappingException(label + " record '" + recordId + "', derived " + name + ": " + e.getMessage());
            }
            if (rule.required() && (value == FieldPath.MISSING || Transforms.isBlank(value))) {
                return null;
            }
            if (value != FieldPath.MISSING) {
                rule.targetPath().put(data, value);
            }
        }
        return new MappedRecord(recordId, version, shardType, data, List.of(), modifiedAt);
    }
}
