package processors.matching;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules a tenant gets without rules of its own: {@code c_company} and {@code c_contact} are matched out of the box,
 * other shard types only once a tenant sets rules for them.
 *
 * <p>Contacts compare {@code email}, {@code phone}, {@code mobile}, {@code firstName}, {@code lastName},
 * {@code birthDate} ({@code yyyy-MM-dd}), {@code street} (the street lines as one text), {@code city}, {@code state},
 * {@code postalCode} and {@code country}; companies {@code name}, {@code domain}, {@code phone} and the
 * {@code address.*} fields. An equal email or web domain alone decides; an equal phone or name alone does not.
 *
 * <p>The contact weights, similarity floors and thresholds were tuned on FEBRL 4 (person records with typos, swapped
 * and missing values; {@code bash bench/matching-febrl.sh}): names are also compared crosswise (entered the wrong way
 * round), a similarity below a field's floor counts as a disagreement (Jaro-Winkler rates unrelated names and streets
 * about 0.5), and the same birth date at the same street is evidence of its own. Known weak spot: without an email,
 * two people sharing a phone and an address (a household, an office line) agree on much of the weight, and only the
 * names tell them apart; tenants with many such records should raise {@code thresholds.match}. The company weights
 * follow the same reasoning but were not measured on labelled data.
 */
public final class DefaultMatchRules {

    private static final Map<String, Map<String, Object>> DOCUMENTS = Map.of(
            "c_contact", contact(),
            "c_company", company());

    private DefaultMatchRules() {
    }

    /** The shard types that have defaults. */
    public static Set<String> shardTypes() {
        return DOCUMENTS.keySet();
    }

    /** The default rules of a shard type; empty when it is matched only by a tenant's own rules. */
    public static Optional<MatchRules> forType(String shardType) {
        Map<String, Object> document = DOCUMENTS.get(shardType);
        return document == null ? Optional.empty() : Optional.of(MatchRules.read(ShardFields.any(shardType), document));
    }

    /** The fields the default rules of a shard type name (none for a type without defaults). */
    @SuppressWarnings("unchecked")
    public static Set<String> fields(String shardType) {
        Map<String, Object> document = DOCUMENTS.get(shardType);
        Set<String> fields = new LinkedHashSet<>();
        if (document == null) {
            return fields;
        }
        for (Object item : (List<Object>) document.get("fields")) {
            fields.add((String) ((Map<String, Object>) item).get("field"));
            fields.addAll((List<String>) ((Map<String, Object>) item).getOrDefault("alsoAgainst", List.of()));
        }
        for (Object rule : (List<Object>) document.get("customRules")) {
            for (Object item : (List<Object>) ((Map<String, Object>) rule).get("fields")) {
                fields.add((String) ((Map<String, Object>) item).get("field"));
            }
        }
        for (Object key : (List<Object>) document.get("blockingKeys")) {
            BlockingKeyDefinition.parse("blockingKeys", (String) key).parts().forEach(p -> fields.add(p.field()));
        }
        return fields;
    }

    private static Map<String, Object> contact() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("fields", List.of(
                field("email", "email", "exact", 6),
                field("phone", "phone", "exact", 3, "mobile"),
                field("mobile", "phone", "exact", 3, "phone"),
                field("firstName", "person_name", "jaro_winkler", 1.5, 0.6, "lastName"),
                field("lastName", "person_name", "jaro_winkler", 2, 0.6, "firstName"),
                field("birthDate", "date", "levenshtein", 2, 0.7),
                field("street", "text", "jaro_winkler", 1.5, 0.65),
                field("city", "text", "jaro_winkler", 1, 0.7),
                field("state", "text", "exact", 0.5),
                field("postalCode", "postal_code", "levenshtein", 1, 0.5),
                field("country", "text", "exact", 0.5)));
        document.put("customRules", List.of(custom("same_birth_date_and_street", 2, 0.95,
                field("birthDate", "date", "exact", 1), field("street", "text", "jaro_winkler", 1))));
        document.put("blockingKeys", List.of("email", "phone", "phone(mobile)", "metaphone(lastName)+postalCode",
                "metaphone(firstName)+birthDate", "birthDate+postalCode", "metaphone(firstName)+metaphone(lastName)",
                "metaphone(lastName)+birthDate", "postalCode+metaphone(city)", "metaphone(lastName)+metaphone(city)", "birthDate",
                "metaphone(street)+metaphone(city)", "metaphone(street)+postalCode"));
        document.put("thresholds", Map.of("match", 0.7, "review", 0.55));
        document.put("minComparedWeight", 6);
        document.put("survivorship", "prefer_external");
        return document;
    }

    private static Map<String, Object> company() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("fields", List.of(
                field("name", "company_name", "jaro_winkler", 3, 0.75),
                field("domain", "domain", "exact", 5),
                field("phone", "phone", "exact", 3),
                field("address.street", "text", "jaro_winkler", 1, 0.65),
                field("address.city", "text", "jaro_winkler", 1, 0.7),
                field("address.postalCode", "postal_code", "exact", 1),
                field("address.country", "text", "exact", 0.5)));
        document.put("customRules", List.of());
        document.put("blockingKeys", List.of("domain", "phone", "name", "prefix(name, 4)+address.city", "metaphone(name)+address.postalCode"));
        document.put("thresholds", Map.of("match", 0.8, "review", 0.65));
        document.put("minComparedWeight", 5);
        document.put("survivorship", "prefer_external");
        return document;
    }

    private static Map<String, Object> custom(String name, double weight, double minSimilarity, Object... fields) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", name);
        rule.put("fields", List.of(fields));
        rule.put("weight", weight);
        rule.put("minSimilarity", minSimilarity);
        return rule;
    }

    private static Map<String, Object> field(String field, String normalizer, String comparator, double weight, String... alsoAgainst) {
        return field(field, normalizer, comparator, weight, 0, alsoAgainst);
    }

    private static Map<String, Object> field(String field, String normalizer, String comparator, double weight, double minSimilarity,
                                             String... alsoAgainst) {
        Map<String, Object> item = new LinkedHashMap<>();
        if (minSimilarity > 0) {
            item.put("minSimilarity", minSimilarity);
        }
        item.put("field", field);
        item.put("normalizer", normalizer);
        item.put("comparator", comparator);
        item.put("weight", weight);
        if (alsoAgainst.length > 0) {
            item.put("alsoAgainst", List.of(alsoAgainst));
        }
        return item;
    }
}
