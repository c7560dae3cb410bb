package processors.matching;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a tenant's records of one shard type are matched: the comparisons of the score ({@link MatchField} and
 * {@link CustomRule}), the blocking keys that choose the candidates compared, the thresholds of the verdict, the weight
 * below which a total is scaled down, and how merged shards' fields survive. Read from and written to a JSON-shaped
 * document ({@link #read}, {@link #toDocument()}):
 *
 * <pre>{@code
 * {"fields": [{"field": "email", "normalizer": "email", "comparator": "exact", "weight": 6},
 *             {"field": "firstName", "normalizer": "person_name", "comparator": "jaro_winkler", "weight": 1.5,
 *              "alsoAgainst": ["lastName"], "minSimilarity": 0.8}, ...],
 *  "customRules": [{"name": "same_birth_and_place", "weight": 4, "minSimilarity": 1,
 *                   "fields": [{"field": "lastName", "normalizer": "person_name", "comparator": "exact", "weight": 1}, ...]}],
 *  "blockingKeys": ["email", "phone", "metaphone(lastName)+postalCode"],
 *  "thresholds": {"match": 0.85, "review": 0.7},
 *  "minComparedWeight": 6,
 *  "survivorship": "prefer_external",
 *  "sourcePriority": {"phone": ["salesforce", "hubspot"]}}
 * }</pre>
 *
 * <p>{@code minComparedWeight} says how much must be compared for a full score: the total is the weighted mean of the
 * similarities of what both records have, {@code sum(weight * similarity) / max(sum(weight), minComparedWeight)}, so a
 * pair that agrees on one light field alone (the city) stays below the thresholds while one that agrees on the email
 * (weighing as much as the minimum) matches. Rules whose weights add up to less than
 * {@code thresholds.match * minComparedWeight} could never match and are refused.
 */
public record MatchRules(String shardType, List<MatchField> fields, List<CustomRule> customRules, List<BlockingKeyDefinition> blockingKeys,
                         Thresholds thresholds, double minComparedWeight, Survivorship survivorship,
                         Map<String, List<String>> sourcePriority) {

    private static final Set<String> KEYS = Set.of("fields", "customRules", "blockingKeys", "thresholds", "minComparedWeight",
            "survivorship", "sourcePriority");
    private static final Set<String> FIELD_KEYS = Set.of("field", "normalizer", "comparator", "weight", "alsoAgainst", "minSimilarity");
    private static final Set<String> CUSTOM_KEYS = Set.of("name", "fields", "weight", "minSimilarity");
    private static final double MAX_WEIGHT = 1000;
    private static final int MAX_ITEMS = 50;

    public MatchRules {
        fields = List.copyOf(fields);
        customRules = List.copyOf(customRules);
        blockingKeys = List.copyOf(blockingKeys);
        Map<String, List<String>> priority = new LinkedHashMap<>();
        sourcePriority.forEach((field, sources) -> priority.put(field, List.copyOf(sources)));
        sourcePriority = java.util.Collections.unmodifiableMap(priority);
    }

    /** The sum of all comparisons' weights: the most a pair can have compared. */
    public double totalWeight() {
        return fields.stream().mapToDouble(MatchField::weight).sum() + customRules.stream().mapToDouble(CustomRule::weight).sum();
    }

    /** The highest total a pair can reach: 1, or less when the weights add up to less than {@code minComparedWeight}. */
    public double highestTotal() {
        return minComparedWeight <= 0 ? 1 : Math.min(1, totalWeight() / minComparedWeight);
    }

    /** The document {@link #read} reads back: what the API shows and the store keeps. */
    public Map<String, Object> toDocument() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("fields", fields.stream().map(MatchField::toDocument).toList());
        document.put("customRules", customRules.stream().map(CustomRule::toDocument).toList());
        document.put("blockingKeys", blockingKeys.stream().map(BlockingKeyDefinition::text).toList());
        Map<String, Object> cutOffs = new LinkedHashMap<>();
        cutOffs.put("match", thresholds.match());
        cutOffs.put("review", thresholds.review());
        document.put("thresholds", cutOffs);
        document.put("minComparedWeight", minComparedWeight);
        document.put("survivorship", survivorship.id());
        document.put("sourcePriority", sourcePriority);
        return document;
    }

    /**
     * Reads and checks a rules document for a shard type.
     *
     * @throws InvalidMatchRulesException naming the part at fault: an unknown key, a field no mapping of the shard type
     *                                    targets, an unknown normalizer, comparator, function or source, a weight out of
     *                                    range, thresholds out of order or outside (0, 1], weights that cannot reach the
     *                                    match threshold
     */
    public static MatchRules read(ShardFields known, Map<String, ?> document) {
        return new Reader(known).read(document);
    }

    private static final class Reader {

        private final ShardFields known;

        Reader(ShardFields known) {
            this.known = known;
        }

        MatchRules read(Map<String, ?> document) {
            if (document == null) {
                throw new InvalidMatchRulesException("rules", "a rules document is required");
            }
            unknownKeys("", document, KEYS);
            List<MatchField> fields = new ArrayList<>();
            List<?> fieldItems = list("fields", document.get("fields"), true);
            if (fieldItems.isEmpty()) {
                throw new InvalidMatchRulesException("fields", "at least one field is needed");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < fieldItems.size(); i++) {
                MatchField field = field("fields[" + i + "]", fieldItems.get(i));
                if (!seen.add(field.field() + "/" + field.normalizer() + "/" + field.comparator().id())) {
                    throw new InvalidMatchRulesException("fields[" + i + "]", "'" + field.field() + "' is already compared with "
                            + field.normalizer() + " and " + field.comparator().id());
                }
                fields.add(field);
            }
            List<CustomRule> custom = new ArrayList<>();
            List<?> customItems = list("customRules", document.get("customRules"), false);
            Set<String> names = new HashSet<>();
            for (int i = 0; i < customItems.size(); i++) {
                CustomRule rule = custom("customRules[" + i + "]", customItems.get(i));
                if (!names.add(rule.name())) {
                    throw new InvalidMatchRulesException("customRules[" + i + "].name", "'" + rule.name() + "' names two rules");
                }
                custom.add(rule);
            }
            List<BlockingKeyDefinition> keys = new ArrayList<>();
            List<?> keyItems = list("blockingKeys", document.get("blockingKeys"), true);
            if (keyItems.isEmpty()) {
                throw new InvalidMatchRulesException("blockingKeys", "at least one blocking key is needed: without one no record is ever compared");
            }
            Set<String> keyTexts = new HashSet<>();
            for (int i = 0; i < keyItems.size(); i++) {
                String path = "blockingKeys[" + i + "]";
                if (!(keyItems.get(i) instanceof String text)) {
                    throw new InvalidMatchRulesException(path, "expected text such as \"metaphone(lastName)+postalCode\"");
                }
                BlockingKeyDefinition key = BlockingKeyDefinition.parse(path, text);
                for (BlockingKeyDefinition.Part part : key.parts()) {
                    knownField(path, part.field());
                }
                if (!keyTexts.add(key.text())) {
                    throw new InvalidMatchRulesException(path, "'" + key.text() + "' is listed twice");
                }
                keys.add(key);
            }
            Thresholds thresholds = thresholds(document.get("thresholds"));
            double minCompared = document.get("minComparedWeight") == null ? 0
                    : number("minComparedWeight", document.get("minComparedWeight"), 0, MAX_WEIGHT, true);
            Survivorship survivorship = Survivorship.PREFER_EXTERNAL;
            if (document.get("survivorship") != null) {
                try {
                    survivorship = Survivorship.of(text("survivorship", document.get("survivorship")));
                } catch (IllegalArgumentException e) {
                    throw new InvalidMatchRulesException("survivorship", e.getMessage());
                }
            }
            Map<String, List<String>> priority = sourcePriority(document.get("sourcePriority"));
            MatchRules rules = new MatchRules(known.shardType(), fields, custom, keys, thresholds, minCompared, survivorship, priority);
            if (rules.highestTotal() < thresholds.match()) {
                throw new InvalidMatchRulesException("fields", String.format(java.util.Locale.ROOT,
                        "the weights add up to %s, so no total can exceed %.4f (%s / minComparedWeight %s), below the match threshold %s",
                        plain(rules.totalWeight()), rules.highestTotal(), plain(rules.totalWeight()), plain(minCompared), plain(thresholds.match())));
            }
            return rules;
        }

        private MatchField field(String path, Object item) {
            Map<String, ?> map = object(path, item);
            unknownKeys(path + ".", map, FIELD_KEYS);
            String field = text(path + ".field", map.get("field"));
            knownField(path + ".field", field);
            String normalizer = text(path + ".normalizer", map.get("normalizer"));
            if (!Normalizers.NAMES.contains(normalizer)) {
                throw new InvalidMatchRulesException(path + ".normalizer", "unknown normalizer '" + normalizer + "' (known: "
                        + String.join(", ", Normalizers.NAMES) + ")");
            }
            FieldComparator comparator;
            try {
                comparator = FieldComparator.of(text(path + ".comparator", map.get("comparator")));
            } catch (IllegalArgumentException e) {
                throw new InvalidMatchRulesException(path + ".comparator", e.getMessage());
            }
            double weight = number(path + ".weight", map.get("weight"), 0, MAX_WEIGHT, false);
            List<?> otherItems = list(path + ".alsoAgainst", map.get("alsoAgainst"), false);
            List<String> others = new ArrayList<>();
            for (int i = 0; i < otherItems.size(); i++) {
                String other = text(path + ".alsoAgainst[" + i + "]", otherItems.get(i));
                knownField(path + ".alsoAgainst[" + i + "]", other);
                if (other.equals(field) || others.contains(other)) {
                    throw new InvalidMatchRulesException(path + ".alsoAgainst[" + i + "]", "'" + other + "' is compared already");
                }
                others.add(other);
            }
            double min = map.get("minSimilarity") == null ? 0 : number(path + ".minSimilarity", map.get("minSimilarity"), 0, 1, true);
            return new MatchField(field, normalizer, comparator, weight, others, min);
        }

        private CustomRule custom(String path, Object item) {
            Map<String, ?> map = object(path, item);
            unknownKeys(path + ".", map, CUSTOM_KEYS);
            String name = text(path + ".name", map.get("name"));
            List<?> partItems = list(path + ".fields", map.get("fields"), true);
            if (partItems.isEmpty() || partItems.size() > MAX_ITEMS) {
                throw new InvalidMatchRulesException(path + ".fields", "a custom rule combines 1 to " + MAX_ITEMS + " fields");
            }
            List<MatchField> parts = new ArrayList<>();
            for (int i = 0; i < partItems.size(); i++) {
                parts.add(field(path + ".fields[" + i + "]", partItems.get(i)));
            }
            double weight = number(path + ".weight", map.get("weight"), 0, MAX_WEIGHT, false);
            double min = map.get("minSimilarity") == null ? 1 : number(path + ".minSimilarity", map.get("minSimilarity"), 0, 1, true);
            return new CustomRule(name, parts, weight, min);
        }

        private Thresholds thresholds(Object value) {
            Map<String, ?> map = object("thresholds", value);
            unknownKeys("thresholds.", map, Set.of("match", "review"));
            double match = number("thresholds.match", map.get("match"), 0, 1, false);
            double review = number("thresholds.review", map.get("review"), 0, 1, false);
            if (review > match) {
                throw new InvalidMatchRulesException("thresholds.review", "review (" + plain(review) + ") must not be above match ("
                        + plain(match) + "): between them a person decides");
            }
            return new Thresholds(match, review);
        }

        private Map<String, List<String>> sourcePriority(Object value) {
            Map<String, List<String>> priority = new LinkedHashMap<>();
            if (value == null) {
                return priority;
            }
            Map<String, ?> map = object("sourcePriority", value);
            for (Map.Entry<String, ?> entry : map.entrySet()) {
                String path = "sourcePriority." + entry.getKey();
                knownField(path, entry.getKey());
                List<?> items = list(path, entry.getValue(), true);
                if (items.isEmpty()) {
                    throw new InvalidMatchRulesException(path, "list the sources from the most trusted down");
                }
                List<String> sources = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    String source = text(path + "[" + i + "]", items.get(i));
                    if (!known.knowsSource(source)) {
                        throw new InvalidMatchRulesException(path + "[" + i + "]", "unknown source '" + source + "': no mapping of "
                                + known.shardType() + " comes from it (known: " + String.join(", ", new TreeSet<>(known.sources())) + ")");
                    }
                    if (sources.contains(source)) {
                        throw new InvalidMatchRulesException(path + "[" + i + "]", "'" + source + "' is listed twice");
                    }
                    sources.add(source);
                }
                priority.put(entry.getKey(), sources);
            }
            return priority;
        }

        private void knownField(String path, String field) {
            if (!known.knowsField(field)) {
                throw new InvalidMatchRulesException(path, "unknown field '" + field + "': no mapping of " + known.shardType()
                        + " targets it (known: " + known.knownFields() + ")");
            }
        }

        private static void unknownKeys(String prefix, Map<String, ?> map, Set<String> allowed) {
            for (String key : map.keySet()) {
                if (!allowed.contains(key)) {
                    throw new InvalidMatchRulesException(prefix + key, "unknown key (known: " + String.join(", ", new TreeSet<>(allowed)) + ")");
                }
            }
        }

        @SuppressWarnings("unchecked")
        private static Map<String, ?> object(String path, Object value) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new InvalidMatchRulesException(path, value == null ? "is required" : "expected an object");
            }
            for (Object key : map.keySet()) {
                if (!(key instanceof String)) {
                    throw new InvalidMatchRulesException(path, "expected an object with text keys");
                }
            }
            return (Map<String, ?>) map;
        }

        private static List<?> list(String path, Object value, boolean required) {
            if (value == null) {
                if (required) {
                    throw new InvalidMatchRulesException(path, "is required");
                }
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                throw new InvalidMatchRulesException(path, "expected a list");
            }
            if (list.size() > MAX_ITEMS) {
                throw new InvalidMatchRulesException(path, "at most " + MAX_ITEMS + " items");
            }
            return list;
        }

        private static String text(String path, Object value) {
            if (!(value instanceof String text) || text.isBlank()) {
                throw new InvalidMatchRulesException(path, value == null ? "is required" : "expected non-empty text");
            }
            if (text.length() > 200) {
                throw new InvalidMatchRulesException(path, "at most 200 characters");
            }
            return text;
        }

        /** A number in (min, max], or [min, max] when {@code minIncluded}. */
        private static double number(String path, Object value, double min, double max, boolean minIncluded) {
            if (!(value instanceof Number number)) {
                throw new InvalidMatchRulesException(path, value == null ? "is required" : "expected a number");
            }
            double d = number.doubleValue();
            if (!Double.isFinite(d) || d > max || d < min || (!minIncluded && d == min)) {
                throw new InvalidMatchRulesException(path, plain(d) + " is outside " + (minIncluded ? "[" : "(") + plain(min) + ", " + plain(max) + "]");
            }
            return d;
        }
    }

    static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
