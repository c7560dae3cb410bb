package processors.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How one provider entity (Salesforce Account, ...) maps to one shard type, compiled once and applied to every synced record. */
public final class EntityMapping {

    private final String provider;
    private final String entity;
    private final String shardType;
    private final FieldPath externalId;
    private final FieldPath externalVersion;
    private final FieldPath modifiedAt;
    private final List<FieldRule> fields;
    private final List<RelationshipRule> relationships;
    private final List<DerivedMapping> derived;
    private final String origin;

    private final FieldRule[] inbound;
    private final FieldRule[] outbound;
    private final RelationshipRule[] relationshipArray;
    private final Set<String> writableTargets;
    private final int topLevelCapacity;

    EntityMapping(String provider, String entity, String shardType, FieldPath externalId, FieldPath externalVersion, FieldPath modifiedAt,
                  List<FieldRule> fields, List<RelationshipRule> relationships, List<DerivedMapping> derived, String origin) {
        this.provider = provider;
        this.entity = entity;
        this.shardType = shardType;
        this.externalId = externalId;
        this.externalVersion = externalVersion;
        this.modifiedAt = modifiedAt;
        this.fields = List.copyOf(fields);
        this.relationships = List.copyOf(relationships);
        this.derived = List.copyOf(derived);
        this.origin = origin;
        this.inbound = fields.stream().filter(f -> f.direction().reads()).toArray(FieldRule[]::new);
        this.outbound = fields.stream().filter(FieldRule::writable).toArray(FieldRule[]::new);
        this.relationshipArray = relationships.toArray(new RelationshipRule[0]);
        Set<String> writable = new LinkedHashSet<>();
        for (FieldRule rule : outbound) {
            writable.add(rule.target());
        }
        this.writableTargets = Collections.unmodifiableSet(writable);
        long topLevel = fields.stream().map(f -> f.target().split("\\.")[0]).distinct().count();
        // sized so the map never rehashes while a record is mapped
        this.topLevelCapacity = (int) (topLevel / 0.75f) + 1;
    }

    public String provider() {
        return provider;
    }

    public String entity() {
        return entity;
    }

    public String shardType() {
        return shardType;
    }

    public String externalIdPath() {
        return externalId.toString();
    }

    /** The provider path of the change marker, or null when the mapping has none. */
    public String externalVersionPath() {
        return externalVersion == null ? null : externalVersion.toString();
    }

    /**
     * The provider path of the record's last modification time, when the change marker is not one (a Dataverse etag);
     * null when the mapping has none (the change marker is then taken as the time, as Salesforce's SystemModstamp).
     */
    public String modifiedAtPath() {
        return modifiedAt == null ? null : modifiedAt.toString();
    }

    public List<FieldRule> fields() {
        return fields;
    }

    public List<RelationshipRule> relationships() {
        return relationships;
    }

    /** The shards of other types each record also yields. */
    public List<DerivedMapping> derived() {
        return derived;
    }

    /** Where the mapping was read from (file name, plus overrides), for logs and errors. */
    public String origin() {
        return origin;
    }

    /**
     * The top-level provider fields this mapping reads (id, change marker, sources, template paths,
     * relationship sources), in a stable order: what a fetch has to ask the provider for.
     */
    public Set<String> sourceFields() {
        Set<String> names = new LinkedHashSet<>();
        names.add(topLevel(externalId.toString()));
        if (externalVersion != null) {
            names.add(topLevel(externalVersion.toString()));
        }
        if (modifiedAt != null) {
            names.add(topLevel(modifiedAt.toString()));
        }
        for (FieldRule rule : inbound) {
            rule.source().ifPresent(source -> names.add(topLevel(source)));
            if (rule.template() != null) {
                rule.template().paths().forEach(path -> names.add(topLevel(path)));
            }
        }
        for (RelationshipRule relationship : relationships) {
            names.add(topLevel(relationship.source()));
        }
        for (DerivedMapping d : derived) {
            for (FieldRule rule : d.fields()) {
                rule.source().ifPresent(source -> names.add(topLevel(source)));
                if (rule.template() != null) {
                    rule.template().paths().forEach(path -> names.add(topLevel(path)));
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }

    private static String topLevel(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    /** Shard fields (dotted targets) that {@link #reverse} writes back; writes to any other field should be refused. */
    public Set<String> writableTargets() {
        return writableTargets;
    }

    public boolean isWritable(String target) {
        return writableTargets.contains(target);
    }

    /** The field whose target is {@code target} (a dotted path), if the mapping has one. */
    public java.util.Optional<FieldRule> field(String target) {
        return fields.stream().filter(f -> f.target().equals(target)).findFirst();
    }

    /**
     * Maps one provider record. Fields whose source the record does not carry at all are left out, so partial
     * payloads (webhooks, change events) do not clear them; fields present with null map to null.
     *
     * @throws MappingException when the record has no id, a required field is blank or a transform fails
     */
    public MappedRecord map(Map<String, ?> providerRecord) {
        Object id = externalId.get(providerRecord);
        if (id == FieldPath.MISSING || Transforms.isBlank(id)) {
            throw new MappingException(label() + ": record has no external id at '" + externalId + "'");
        }
        String recordId = Transforms.text(id);
        String version = null;
        if (externalVersion != null) {
            Object raw = externalVersion.get(providerRecord);
            version = raw == FieldPath.MISSING || raw == null ? null : Transforms.text(raw);
        }
        Map<String, Object> data = new LinkedHashMap<>(topLevelCapacity);
        for (FieldRule rule : inbound) {
            Object value;
            try {
                value = rule.read(providerRecord);
            } catch (MappingException e) {
                throw new MappingException(label() + " record '" + recordId + "': " + e.getMessage());
            }
            if (value != FieldPath.MISSING) {
                rule.targetPath().put(data, value);
            }
        }
        List<RelationshipRef> refs = relationshipArray.length == 0 ? List.of() : new ArrayList<>(relationshipArray.length);
        for (RelationshipRule relationship : relationshipArray) {
            RelationshipRef ref = relationship.resolve(providerRecord);
            if (ref != null) {
                refs.add(ref);
            }
        }
        String modified = null;
        if (modifiedAt != null) {
            Object raw = modifiedAt.get(providerRecord);
            modified = raw == FieldPath.MISSING || raw == null ? null : Transforms.text(raw);
        }
        if (derived.isEmpty()) {
            return new MappedRecord(recordId, version, shardType, data, refs, modified);
        }
        List<MappedRecord.Derived> yielded = new ArrayList<>(derived.size());
        List<RelationshipRef> withDerived = new ArrayList<>(refs);
        for (DerivedMapping d : derived) {
            MappedRecord record = d.map(providerRecord, recordId, version, modified, label());
            if (record != null) {
                yielded.add(new MappedRecord.Derived(d.entity(), record));
                withDerived.add(new RelationshipRef(d.relationship(), d.entity(), d.shardType(), recordId));
            }
        }
        return new MappedRecord(recordId, version, shardType, data, withDerived, modified, yielded);
    }

    /**
     * The provider fields for a shard's structured data: only writable fields, and only those present in the data,
     * so a partial change writes only what changed.
     *
     * @throws MappingException when a value cannot be converted back (for example an unparsable date)
     */
    public Map<String, Object> reverse(Map<String, ?> structuredData) {
        Map<String, Object> providerFields = new LinkedHashMap<>();
        for (FieldRule rule : outbound) {
            Object value = rule.targetPath().get(structuredData);
            if (value == FieldPath.MISSING) {
                continue;
            }
            try {
                rule.writePath().put(providerFields, rule.unread(value));
            } catch (MappingException e) {
                throw new MappingException(label() + ": " + e.getMessage());
            }
        }
        return providerFields;
    }

    /** The same mapping with another field list, for per-integration overrides. */
    EntityMapping withFields(List<FieldRule> newFields, String newOrigin) {
        return new EntityMapping(provider, entity, shardType, externalId, externalVersion, modifiedAt, newFields, relationships, derived,
                newOrigin);
    }

    @Override
    public String toString() {
        return label() + " -> " + shardType + " (" + origin + ")";
    }

    private String label() {
        return provider + "/" + entity;
    }
}
