package processors.mapping;

import java.util.List;
import java.util.Map;

/**
 * A relationship declared in a mapping: which provider field holds the related record's id, and what that record is.
 * A polymorphic reference (Salesforce's Task.WhatId: an Account, an Opportunity, ...) has several targets, the one
 * whose {@code idPrefix} starts the id naming the related record; an id no target claims makes no link.
 */
public final class RelationshipRule {

    /**
     * One object the related id may name.
     *
     * @param idPrefix how ids of this object start (case-sensitive), or null for the single target of a plain reference
     */
    public record Target(String idPrefix, String entity, String shardType) {
    }

    private final String type;
    private final FieldPath source;
    private final List<Target> targets;

    RelationshipRule(String type, FieldPath source, List<Target> targets) {
        if (targets.isEmpty() || (targets.size() > 1 && targets.stream().anyMatch(t -> t.idPrefix() == null))) {
            throw new IllegalArgumentException("a relationship has one target, or several told apart by idPrefix");
        }
        this.type = type;
        this.source = source;
        this.targets = List.copyOf(targets);
    }

    public String type() {
        return type;
    }

    public String source() {
        return source.toString();
    }

    /** The objects the id may name, in declared order: one for a plain reference. */
    public List<Target> targets() {
        return targets;
    }

    /** Whether the target is chosen by the id's prefix. */
    public boolean polymorphic() {
        return targets.get(0).idPrefix() != null;
    }

    /** The reference in this record, or null when the record does not link to one (or to no object a target names). */
    RelationshipRef resolve(Map<String, ?> record) {
        Object value = source.get(record);
        if (value == FieldPath.MISSING || Transforms.isBlank(value)) {
            return null;
        }
        String id = Transforms.text(value);
        for (Target target : targets) {
            if (target.idPrefix() == null || id.startsWith(target.idPrefix())) {
                return new RelationshipRef(type, target.entity(), target.shardType(), id);
            }
        }
        return null;
    }
}
