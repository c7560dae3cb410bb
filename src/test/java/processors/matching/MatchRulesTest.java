package processors.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** Reading match rules: what is refused, and the error naming the part at fault. */
class MatchRulesTest {

    private static final ShardFields CONTACT = new ShardFields("c_contact",
            Set.of("firstName", "lastName", "email", "phone", "mobile", "city", "country", "birthDate", "street", "state", "postalCode"),
            Set.of("salesforce", "hubspot", "dynamics365"));

    @Test
    void theDefaultsReadBackFromTheirOwnDocument() {
        for (String type : DefaultMatchRules.shardTypes()) {
            MatchRules rules = DefaultMatchRules.forType(type).orElseThrow();
            assertThat(MatchRules.read(ShardFields.any(type), rules.toDocument())).isEqualTo(rules);
        }
        assertThat(DefaultMatchRules.forType("c_note")).isEmpty();
    }

    @Test
    void aValidDocumentReadsWithEveryPart() {
        MatchRules rules = MatchRules.read(CONTACT, valid());

        assertThat(rules.fields()).hasSize(2);
        assertThat(rules.fields().get(1).comparator()).isEqualTo(FieldComparator.JARO_WINKLER);
        assertThat(rules.blockingKeys()).extracting(BlockingKeyDefinition::text).containsExactly("email", "metaphone(lastName)+postalCode");
        assertThat(rules.thresholds()).isEqualTo(new Thresholds(0.9, 0.7));
        assertThat(rules.survivorship()).isEqualTo(Survivorship.PREFER_INTERNAL);
        assertThat(rules.sourcePriority()).containsEntry("email", List.of("hubspot", "salesforce"));
        assertThat(MatchRules.read(CONTACT, rules.toDocument())).isEqualTo(rules);
    }

    @Test
    void aFieldNoMappingTargetsIsNamed() {
        refused(d -> field(d, 1).put("field", "lastname"), "fields[1].field", "unknown field 'lastname': no mapping of c_contact targets it");
        refused(d -> d.put("blockingKeys", List.of("metaphone(surname)")), "blockingKeys[0]", "unknown field 'surname'");
        refused(d -> d.put("sourcePriority", Map.of("nickname", List.of("hubspot"))), "sourcePriority.nickname", "unknown field 'nickname'");
    }

    @Test
    void unknownComparatorsNormalizersFunctionsAndSourcesAreNamed() {
        refused(d -> field(d, 0).put("comparator", "soundex"), "fields[0].comparator",
                "unknown comparator 'soundex' (known: exact, jaro_winkler, levenshtein, double_metaphone)");
        refused(d -> field(d, 0).put("normalizer", "mail"), "fields[0].normalizer", "unknown normalizer 'mail'");
        refused(d -> d.put("blockingKeys", List.of("metafone(lastName)")), "blockingKeys[0]", "unknown function 'metafone'");
        refused(d -> d.put("blockingKeys", List.of("prefix(lastName)")), "blockingKeys[0]", "needs a length n from 1 to 20");
        refused(d -> d.put("blockingKeys", List.of("lastName +")), "blockingKeys[0]", "cannot read ''");
        refused(d -> d.put("sourcePriority", Map.of("email", List.of("zoho"))), "sourcePriority.email[0]",
                "unknown source 'zoho': no mapping of c_contact comes from it");
        refused(d -> d.put("survivorship", "newest_wins"), "survivorship", "unknown survivorship 'newest_wins'");
        refused(d -> d.put("weights", 1), "weights", "unknown key");
        refused(d -> field(d, 0).put("weigth", 1), "fields[0].weigth", "unknown key");
    }

    @Test
    void weightsThatCannotReachTheMatchThresholdAreRefused() {
        refused(d -> d.put("minComparedWeight", 10), "fields",
                "the weights add up to 8, so no total can exceed 0.8000 (8 / minComparedWeight 10), below the match threshold 0.9");
        refused(d -> field(d, 0).put("weight", 0), "fields[0].weight", "0 is outside (0, 1000]");
        refused(d -> field(d, 0).put("weight", -1), "fields[0].weight", "outside (0, 1000]");
        refused(d -> field(d, 0).put("weight", "heavy"), "fields[0].weight", "expected a number");
        refused(d -> d.put("fields", List.of()), "fields", "at least one field is needed");
    }

    @Test
    void thresholdsOutOfOrderOrOutsideTheRangeAreRefused() {
        refused(d -> d.put("thresholds", Map.of("match", 0.6, "review", 0.8)), "thresholds.review",
                "review (0.8) must not be above match (0.6)");
        refused(d -> d.put("thresholds", Map.of("match", 1.2, "review", 0.8)), "thresholds.match", "1.2 is outside (0, 1]");
        refused(d -> d.put("thresholds", Map.of("match", 0.9, "review", 0)), "thresholds.review", "0 is outside (0, 1]");
        refused(d -> d.put("thresholds", Map.of("match", 0.9)), "thresholds.review", "is required");
        refused(d -> d.remove("thresholds"), "thresholds", "is required");
        assertThat(MatchRules.read(CONTACT, with(d -> d.put("thresholds", Map.of("match", 1, "review", 1)))).thresholds())
                .as("no review band").isEqualTo(new Thresholds(1, 1));
    }

    @Test
    void blockingKeysAndCustomRulesAreChecked() {
        refused(d -> d.put("blockingKeys", List.of()), "blockingKeys", "at least one blocking key is needed");
        refused(d -> d.put("blockingKeys", List.of("email", "email")), "blockingKeys[1]", "'email' is listed twice");
        refused(d -> d.put("customRules", List.of(Map.of("name", "x", "weight", 1, "fields", List.of(Map.of("field", "birthday",
                "normalizer", "date", "comparator", "exact", "weight", 1))))), "customRules[0].fields[0].field", "unknown field 'birthday'");
        refused(d -> d.put("customRules", List.of(Map.of("name", "x", "weight", 1, "minSimilarity", 2, "fields", List.of(Map.of("field",
                "birthDate", "normalizer", "date", "comparator", "exact", "weight", 1))))), "customRules[0].minSimilarity", "outside [0, 1]");
        refused(d -> field(d, 1).put("alsoAgainst", List.of("lastName")), "fields[1].alsoAgainst[0]", "'lastName' is compared already");
    }

    private static void refused(Consumer<Map<String, Object>> change, String field, String message) {
        Map<String, Object> document = with(change);
        assertThatThrownBy(() -> MatchRules.read(CONTACT, document))
                .isInstanceOfSatisfying(InvalidMatchRulesException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.problem()).contains(message);
                    assertThat(e.getMessage()).startsWith(field + ": ");
                });
    }

    private static Map<String, Object> with(Consumer<Map<String, Object>> change) {
        Map<String, Object> document = valid();
        change.accept(document);
        return document;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> field(Map<String, Object> document, int index) {
        return ((List<Map<String, Object>>) document.get("fields")).get(index);
    }

    private static Map<String, Object> valid() {
        Map<String, Object> document = new LinkedHashMap<>();
        List<Map<String, Object>> fields = new ArrayList<>();
        fields.add(new LinkedHashMap<>(Map.of("field", "email", "normalizer", "email", "comparator", "exact", "weight", 6)));
        fields.add(new LinkedHashMap<>(Map.of("field", "lastName", "normalizer", "person_name", "comparator", "jaro_winkler", "weight", 2)));
        document.put("fields", fields);
        document.put("blockingKeys", List.of("email", "metaphone( lastName ) + postalCode"));
        document.put("thresholds", Map.of("match", 0.9, "review", 0.7));
        document.put("survivorship", "prefer_internal");
        document.put("sourcePriority", Map.of("email", List.of("hubspot", "salesforce")));
        return document;
    }
}
