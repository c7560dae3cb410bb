package processors.mapping;

import java.util.Map;

/** A relationship declared in a mapping: which provider field holds the related record's id, and what that record is. */
public final class RelationshipRule {

    private final String type;
    private final FieldPath source;
    private final String targetEntity;
    private final String targetShardType;

    RelationshipRule(String type, FieldPath source, String targetEntity, String targetShardType) {
        this.type = type;
        this.source = source;
        this.targetEntity = targetEntity;
        this.targetShardType = targetShardType;
    }

    public String type() {
        return type;
    }

    public String source() {
        return source.toString();
    }

    public String targetEntity() {
        return targetEntity;
    }

    public String targetShardType() {
        return targetShardType;
    }

    /** The reference in this record, or null when the record does not link to one. */
    RelationshipRef resolve(Map<String, ?> record) {
        Object id = source.get(record);
        if (id == FieldPath.MISSING || Transforms.isBlank(id)) {
            return null;
        }
        return new RelationshipRef(type, targetEntity, targetShardType, Transforms.text(id));
    }
}
