package processors.mapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates a mapping spec and compiles it. The same rules apply to YAML files and to per-integration overrides,
 * and every error points at the offending node. Unknown keys are errors: a typo must not pass silently.
 */
final class MappingCompiler {

    /** The shard types Castiel knows. */
    static final List<String> SHARD_TYPES = hub.ShardTypes.ALL;

    private static final List<String> ROOT_KEYS = List.of("provider", "entity", "shardType", "externalId", "externalVersion", "modifiedAt", "fields",
            "relationships", "derived");
    private static final List<String> FIELD_KEYS = List.of("target", "source", "expression", "transform", "required", "default", "direction", "writeTo",
            "type", "maxLength");
    private static final List<String> RELATIONSHIP_KEYS = List.of("type", "source", "targetEntity", "targetShardType", "targets");
    private static final List<String> DERIVED_KEYS = List.of("name", "shardType", "relationship", "fields");
    private static final List<String> TARGET_KEYS = List.of("idPrefix", "targetEntity", "targetShardType");

    private MappingCompiler() {
    }

    /** Compiles a whole mapping file. */
    static EntityMapping compile(SpecNode root, String origin) {
        Map<String, SpecNode> entries = entries(root, "a mapping", ROOT_KEYS);
        String provider = text(required(root, entries, "provider")).toLowerCase(Locale.ROOT);
        String entity = text(required(root, entries, "entity"));
        String shardType = shardType(required(root, entries, "shardType"));
        FieldPath externalId = sourcePath(required(root, entries, "externalId"));
        SpecNode versionNode = entries.get("externalVersion");
        FieldPath externalVersion = versionNode == null || versionNode.isNull() ? null : sourcePath(versionNode);
        SpecNode modifiedNode = entries.get("modifiedAt");
        FieldPath modifiedAt = modifiedNode == null || modifiedNode.isNull() ? null : sourcePath(modifiedNode);

        SpecNode fieldsNode = required(root, entries, "fields");
        List<SpecNode> items = list(fieldsNode, "a list of fields");
        if (items.isEmpty()) {
            throw fieldsNode.error("a mapping needs at least one field");
        }
        List<Compiled> fields = new ArrayList<>();
        for (SpecNode item : items) {
            fields.add(new Compiled(field(item), item));
        }
        checkFieldSet(fields);

        List<RelationshipRule> relationships = new ArrayList<>();
        SpecNode relationshipsNode = entries.get("relationships");
        if (relationshipsNode != null && !relationshipsNode.isNull()) {
            Set<String> seen = new HashSet<>();
            for (SpecNode item : list(relationshipsNode, "a list of relationships")) {
                RelationshipRule relationship = relationship(item);
                if (!seen.add(relationship.type() + "\u0000" + relationship.source())) {
                    throw item.error("duplicate relationship '" + relationship.type() + "' from '" + relationship.source() + "'");
                }
                relationships.add(relationship);
            }
        }
        List<DerivedMapping> derived = new ArrayList<>();
        SpecNode derivedNode = entries.get("derived");
        if (derivedNode != null && !derivedNode.isNull()) {
            Set<String> names = new HashSet<>();
            for (SpecNode item : list(derivedNode, "a list of derived shards (name, shardType, relationship, fields)")) {
                DerivedMapping d = derived(item, entity);
                if (!names.add(d.name())) {
                    throw item.keyError("name", "duplicate derived shard '" + d.name() + "'");
                }
                if (relationships.stream().anyMatch(r -> r.type().equals(d.relationship()))) {
                    throw item.keyError("relationship", "relationship '" + d.relationship() + "' is also one of the"
                            + " record's relationships; name the link to the derived shard apart");
                }
                derived.add(d);
            }
        }
        return new EntityMapping(provider, entity, shardType, externalId, externalVersion, modifiedAt,
                fields.stream().map(Compiled::rule).toList(), relationships, derived, origin);
    }

    /** Applies field overrides: each replaces the base field with the same target, in place, or is appended. */
    static EntityMapping withOverrides(EntityMapping base, SpecNode overrides) {
        List<SpecNode> items = list(overrides, "a list of field mappings");
        List<Compiled> fields = new ArrayList<>();
        for (FieldRule rule : base.fields()) {
            fields.add(new Compiled(rule, null));
        }
        Map<String, SpecNode> overridden = new HashMap<>();
        for (SpecNode item : items) {
            FieldRule rule = field(item);
            SpecNode earlier = overridden.put(rule.target(), item);
            if (earlier != null) {
                throw targetNode(item).error("duplicate target '" + rule.target() + "' (already at " + earlier.where() + ")");
            }
            int index = indexOf(fields, rule.target());
            if (index >= 0) {
                fields.set(index, new Compiled(rule, item));
            } else {
                fields.add(new Compiled(rule, item));
            }
        }
        checkFieldSet(fields);
        String origin = items.isEmpty() ? base.origin() : base.origin() + " + " + items.size() + " field override(s)";
        return base.withFields(fields.stream().map(Compiled::rule).toList(), origin);
    }

    private static FieldRule field(SpecNode node) {
        Map<String, SpecNode> entries = entries(node, "a field (target, source or expression, ...)", FIELD_KEYS);
        FieldPath target = targetPath(required(node, entries, "target"));
        SpecNode sourceNode = present(entries.get("source"));
        SpecNode expressionNode = present(entries.get("expression"));
        if (sourceNode != null && expressionNode != null) {
            throw node.keyError("expression", "field '" + target + "' has both source and expression; use one");
        }
        if (sourceNode == null && expressionNode == null) {
            throw node.error("field '" + target + "' needs a source or an expression");
        }
        FieldPath source = sourceNode == null ? null : sourcePath(sourceNode);
        Template expression = expressionNode == null ? null : template(expressionNode);
        List<Transform> transforms = transforms(present(entries.get("transform")));
        boolean required = flag(present(entries.get("required")));
        Object defaultValue = defaultValue(present(entries.get("default")));
        SpecNode directionNode = present(entries.get("direction"));
        Direction direction = directionNode == null ? Direction.BOTH : direction(directionNode);
        SpecNode writeToNode = present(entries.get("writeTo"));
        FieldPath writeTo = writeToNode == null ? null : sourcePath(writeToNode);
        FieldType type = type(present(entries.get("type")));
        Integer maxLength = maxLength(present(entries.get("maxLength")));

        if (expression != null && direction == Direction.OUTBOUND) {
            throw directionNode.error("field '" + target + "' is an expression, which can only be read; use direction: inbound");
        }
        if (direction == Direction.OUTBOUND && (required || defaultValue != null)) {
            throw node.keyError(required ? "required" : "default", "field '" + target + "' is outbound only; required and default apply when reading");
        }
        FieldRule rule = new FieldRule(target, source, expression, transforms, required, defaultValue, direction, writeTo, type, maxLength);
        if (direction == Direction.OUTBOUND && !rule.writable()) {
            throw directionNode.error("field '" + target + "' is outbound only but cannot be written back: " + lossyTransform(transforms) + " is not reversible");
        }
        if (writeToNode != null && !rule.writable()) {
            String why = expression != null ? "it is an expression"
                    : direction == Direction.INBOUND ? "it is inbound only"
                    : lossyTransform(transforms) + " is not reversible";
            throw writeToNode.error("writeTo has no effect: field '" + target + "' is not written back because " + why);
        }
        return rule;
    }

    private static List<Transform> transforms(SpecNode node) {
        List<Transform> transforms = new ArrayList<>();
        if (node == null) {
            return transforms;
        }
        List<SpecNode> items = node.kind() == SpecNode.Kind.LIST ? node.items() : List.of(node);
        for (SpecNode item : items) {
            transforms.add(transform(item));
        }
        return transforms;
    }

    private static Transform transform(SpecNode item) {
        String name;
        SpecNode argNode;
        if (item.kind() == SpecNode.Kind.SCALAR && item.scalar() instanceof String text) {
            name = text;
            argNode = null;
        } else if (item.kind() == SpecNode.Kind.MAP && item.entries().size() == 1) {
            Map.Entry<String, SpecNode> only = item.entries().entrySet().iterator().next();
            name = only.getKey();
            argNode = present(only.getValue());
        } else {
            throw item.error("expected a transform name or {name: argument}, got " + item.describe());
        }
        if (!Transforms.isKnown(name)) {
            throw argNode == null && item.kind() == SpecNode.Kind.SCALAR ? item.error(Transforms.unknownMessage(name))
                    : item.keyError(name, Transforms.unknownMessage(name));
        }
        try {
            return Transforms.create(name, argNode == null ? null : argNode.toValue());
        } catch (IllegalArgumentException e) {
            throw (argNode != null ? argNode : item).error(e.getMessage());
        }
    }

    /** A derived shard: its fields are read only (inbound), so a direction other than inbound or a writeTo is an error. */
    private static DerivedMapping derived(SpecNode node, String entity) {
        Map<String, SpecNode> entries = entries(node, "a derived shard (name, shardType, relationship, fields)", DERIVED_KEYS);
        SpecNode nameNode = required(node, entries, "name");
        String name = text(nameNode);
        if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw nameNode.error("a derived shard's name is a word of letters, digits and _ (it names the source entity "
                    + entity + ".<name>), got '" + name + "'");
        }
        String shardType = shardType(required(node, entries, "shardType"));
        String relationship = text(required(node, entries, "relationship"));
        SpecNode fieldsNode = required(node, entries, "fields");
        List<SpecNode> items = list(fieldsNode, "a list of fields");
        if (items.isEmpty()) {
            throw fieldsNode.error("derived shard '" + name + "' needs at least one field");
        }
        List<Compiled> fields = new ArrayList<>();
        for (SpecNode item : items) {
            SpecNode direction = present(item.kind() == SpecNode.Kind.MAP ? item.entries().get("direction") : null);
            FieldRule rule = field(item);
            if (direction != null && rule.direction() != Direction.INBOUND) {
                throw direction.error("derived shard '" + name + "' is read from the record, never written back:"
                        + " its fields are inbound only");
            }
            if (item.entries().containsKey("writeTo")) {
                throw item.keyError("writeTo", "derived shard '" + name + "' is never written back; writeTo has no effect");
            }
            fields.add(new Compiled(rule.inboundOnly(), item));
        }
        checkFieldSet(fields);
        return new DerivedMapping(name, entity + "." + name, shardType, relationship, fields.stream().map(Compiled::rule).toList());
    }

    private static RelationshipRule relationship(SpecNode node) {
        Map<String, SpecNode> entries = entries(node, "a relationship (type, source, and targetEntity with targetShardType, or targets)",
                RELATIONSHIP_KEYS);
        String type = text(required(node, entries, "type"));
        FieldPath source = sourcePath(required(node, entries, "source"));
        SpecNode targetsNode = present(entries.get("targets"));
        if (targetsNode == null) {
            return new RelationshipRule(type, source, List.of(new RelationshipRule.Target(null,
                    text(required(node, entries, "targetEntity")), shardType(required(node, entries, "targetShardType")))));
        }
        for (String single : List.of("targetEntity", "targetShardType")) {
            if (entries.containsKey(single)) {
                throw node.keyError(single, "relationship '" + type + "' has both " + single + " and targets; a polymorphic"
                        + " reference names each of its objects under targets (idPrefix, targetEntity, targetShardType)");
            }
        }
        List<SpecNode> items = list(targetsNode, "a list of targets (idPrefix, targetEntity, targetShardType)");
        if (items.isEmpty()) {
            throw targetsNode.error("relationship '" + type + "' needs at least one target");
        }
        List<RelationshipRule.Target> targets = new ArrayList<>();
        Map<String, SpecNode> prefixes = new LinkedHashMap<>();
        for (SpecNode item : items) {
            Map<String, SpecNode> target = entries(item, "a target (idPrefix, targetEntity, targetShardType)", TARGET_KEYS);
            SpecNode prefixNode = required(item, target, "idPrefix");
            String prefix = idPrefix(prefixNode);
            for (Map.Entry<String, SpecNode> earlier : prefixes.entrySet()) {
                if (prefix.startsWith(earlier.getKey()) || earlier.getKey().startsWith(prefix)) {
                    throw prefixNode.error("idPrefix '" + prefix + "' overlaps '" + earlier.getKey() + "' (at "
                            + earlier.getValue().where() + "): an id would match both");
                }
            }
            prefixes.put(prefix, prefixNode);
            targets.add(new RelationshipRule.Target(prefix, text(required(item, target, "targetEntity")),
                    shardType(required(item, target, "targetShardType"))));
        }
        return new RelationshipRule(type, source, targets);
    }

    /** The start of the ids of one object: text, as written (a YAML number would have lost its leading zeros). */
    private static String idPrefix(SpecNode node) {
        if (node.kind() != SpecNode.Kind.SCALAR || !(node.scalar() instanceof String text)) {
            throw node.error("idPrefix must be quoted text such as \"001\", got " + node.describe()
                    + (node.scalar() instanceof Number ? " (unquoted, YAML reads digits as a number)" : ""));
        }
        if (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
            throw node.error("idPrefix must be the first characters of an id, without spaces, got " + node.describe());
        }
        return text;
    }

    /** Duplicate targets, targets that are both a value and an object, and two fields writing back to one provider field. */
    private static void checkFieldSet(List<Compiled> fields) {
        Map<String, Compiled> byTarget = new HashMap<>();
        for (Compiled field : fields) {
            Compiled earlier = byTarget.put(field.rule().target(), field);
            if (earlier != null) {
                throw targetNode(field.node()).error("duplicate target '" + field.rule().target() + "' (already at " + earlier.node().where() + ")");
            }
        }
        for (int i = 0; i < fields.size(); i++) {
            for (int j = i + 1; j < fields.size(); j++) {
                Compiled a = fields.get(i);
                Compiled b = fields.get(j);
                Compiled blamed = b.node() != null ? b : a;
                Compiled other = blamed == b ? a : b;
                if (a.rule().targetPath().overlaps(b.rule().targetPath())) {
                    throw targetNode(blamed.node()).error("target '" + blamed.rule().target() + "' overlaps '" + other.rule().target()
                            + "': a shard field cannot be both a value and an object");
                }
                if (a.rule().writable() && b.rule().writable() && a.rule().writePath().equals(b.rule().writePath())) {
                    throw targetNode(blamed.node()).error("fields '" + other.rule().target() + "' and '" + blamed.rule().target()
                            + "' both write back to '" + a.rule().writePath() + "'; mark one direction: inbound");
                }
            }
        }
    }

    private static Map<String, SpecNode> entries(SpecNode node, String what, List<String> allowed) {
        if (node.kind() != SpecNode.Kind.MAP) {
            throw node.error("expected " + what + ", got " + node.describe());
        }
        Map<String, SpecNode> entries = node.entries();
        for (String key : entries.keySet()) {
            if (!allowed.contains(key)) {
                throw node.keyError(key, "unknown key '" + key + "' (allowed: " + String.join(", ", allowed) + ")");
            }
        }
        return entries;
    }

    private static SpecNode required(SpecNode parent, Map<String, SpecNode> entries, String key) {
        SpecNode node = entries.get(key);
        if (node == null) {
            throw parent.error("missing required key '" + key + "'");
        }
        if (node.isNull()) {
            throw parent.keyError(key, "'" + key + "' needs a value");
        }
        return node;
    }

    private static SpecNode present(SpecNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private static List<SpecNode> list(SpecNode node, String what) {
        if (node.kind() != SpecNode.Kind.LIST) {
            throw node.error("expected " + what + ", got " + node.describe());
        }
        return node.items();
    }

    private static String text(SpecNode node) {
        if (node.kind() != SpecNode.Kind.SCALAR || !(node.scalar() instanceof String text) || text.isBlank()) {
            throw node.error("expected text, got " + node.describe());
        }
        return text.strip();
    }

    private static boolean flag(SpecNode node) {
        if (node == null) {
            return false;
        }
        if (!(node.scalar() instanceof Boolean value)) {
            throw node.error("expected true or false, got " + node.describe());
        }
        return value;
    }

    private static Object defaultValue(SpecNode node) {
        if (node == null) {
            return null;
        }
        if (node.kind() != SpecNode.Kind.SCALAR) {
            throw node.error("default must be a single value (text, number or boolean), got " + node.describe());
        }
        return node.scalar();
    }

    private static FieldType type(SpecNode node) {
        if (node == null) {
            return null;
        }
        String text = text(node);
        return FieldType.of(text).orElseThrow(() -> node.error("unknown type '" + text + "' (known: "
                + String.join(", ", java.util.Arrays.stream(FieldType.values()).map(FieldType::key).toList()) + ")"));
    }

    private static Integer maxLength(SpecNode node) {
        if (node == null) {
            return null;
        }
        if (!(node.scalar() instanceof Integer value) || value < 1) {
            throw node.error("expected a positive whole number of characters, got " + node.describe());
        }
        return value;
    }

    private static Direction direction(SpecNode node) {
        String text = text(node);
        for (Direction direction : Direction.values()) {
            if (direction.key().equals(text)) {
                return direction;
            }
        }
        throw node.error("unknown direction '" + text + "' (known: inbound, outbound, both)");
    }

    private static String shardType(SpecNode node) {
        String text = text(node);
        if (!SHARD_TYPES.contains(text)) {
            throw node.error("unknown shard type '" + text + "' (known: " + String.join(", ", SHARD_TYPES) + ")");
        }
        return text;
    }

    private static FieldPath sourcePath(SpecNode node) {
        try {
            return FieldPath.source(text(node));
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static FieldPath targetPath(SpecNode node) {
        try {
            return FieldPath.target(text(node));
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static Template template(SpecNode node) {
        if (!(node.scalar() instanceof String text) || text.isBlank()) {
            throw node.error("expected a template text, got " + node.describe());
        }
        try {
            return Template.parse(text);
        } catch (IllegalArgumentException e) {
            throw node.error("expression: " + e.getMessage());
        }
    }

    private static String lossyTransform(List<Transform> transforms) {
        return transforms.stream().filter(t -> t.reverse().isEmpty()).map(t -> "transform '" + t.id() + "'").findFirst().orElse("the field");
    }

    private static int indexOf(List<Compiled> fields, String target) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).rule().target().equals(target)) {
                return i;
            }
        }
        return -1;
    }

    private static SpecNode targetNode(SpecNode field) {
        SpecNode target = field.entries().get("target");
        return target != null ? target : field;
    }

    /** A compiled field and the spec node it came from (null for base fields under overrides). */
    private record Compiled(FieldRule rule, SpecNode node) {
    }
}
