package processors.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Each kind of comparison decides a case the others miss; missing values; the explanation. */
class RecordMatcherTest {

    private final RecordMatcher matcher = new RecordMatcher(new Normalizers("US"));

    @Test
    void exactOnNormalizedValuesMatchesTheSameAddressWrittenTwoWays() {
        // a name change (marriage): the names disagree, the mailbox is the same once Gmail's dots and tags are ignored
        Map<String, Object> incoming = Map.of("email", "Jane.Doe+crm@GoogleMail.com", "lastName", "Doe");
        Map<String, Object> candidate = Map.of("email", "janedoe@gmail.com", "lastName", "Miller");
        MatchRules namesOnly = rules(List.of(field("lastName", "person_name", "jaro_winkler", 2)), List.of(), 0.8, 0.6, 0);
        MatchRules withEmail = rules(List.of(field("lastName", "person_name", "jaro_winkler", 2), field("email", "email", "exact", 8)),
                List.of(), 0.8, 0.6, 0);

        assertThat(matcher.score(namesOnly, incoming, candidate).verdict()).isEqualTo(Verdict.NO_MATCH);
        MatchScore score = matcher.score(withEmail, incoming, candidate);
        assertThat(score.verdict()).isEqualTo(Verdict.MATCH);
        assertThat(score.fields().get(1).similarity()).isEqualTo(1.0);
        assertThat(score.fields().get(1).incomingNormalized()).isEqualTo("janedoe@gmail.com");
    }

    @Test
    void fuzzyComparisonForgivesATypoThatExactComparisonCannot() {
        Map<String, Object> incoming = Map.of("firstName", "Jonathon", "lastName", "Smith");
        Map<String, Object> candidate = Map.of("firstName", "Jonathan", "lastName", "Smith");

        MatchScore exact = matcher.score(rules(List.of(field("firstName", "person_name", "exact", 1),
                field("lastName", "person_name", "exact", 1)), List.of(), 0.9, 0.7, 0), incoming, candidate);
        MatchScore fuzzy = matcher.score(rules(List.of(field("firstName", "person_name", "jaro_winkler", 1),
                field("lastName", "person_name", "jaro_winkler", 1)), List.of(), 0.9, 0.7, 0), incoming, candidate);
        MatchScore levenshtein = matcher.score(rules(List.of(field("firstName", "person_name", "levenshtein", 1),
                field("lastName", "person_name", "exact", 1)), List.of(), 0.9, 0.7, 0), incoming, candidate);

        assertThat(exact.total()).isEqualTo(0.5);
        assertThat(exact.verdict()).isEqualTo(Verdict.NO_MATCH);
        assertThat(fuzzy.verdict()).isEqualTo(Verdict.MATCH);
        assertThat(fuzzy.fields().get(0).similarity()).isBetween(0.9, 0.99);
        assertThat(levenshtein.fields().get(0).similarity()).isEqualTo(0.875);
        assertThat(levenshtein.verdict()).isEqualTo(Verdict.MATCH);
    }

    @Test
    void phoneticComparisonHearsNamesThatSpellingKeepsApart() {
        // Geoff and Jeff sound the same (JF) but share few letters in order
        Map<String, Object> incoming = Map.of("firstName", "Geoff", "lastName", "Baker");
        Map<String, Object> candidate = Map.of("firstName", "Jeff", "lastName", "Baker");
        MatchScore fuzzy = matcher.score(rules(List.of(field("firstName", "person_name", "jaro_winkler", 1),
                field("lastName", "person_name", "exact", 1)), List.of(), 0.95, 0.7, 0), incoming, candidate);
        MatchScore phonetic = matcher.score(rules(List.of(field("firstName", "person_name", "double_metaphone", 1),
                field("lastName", "person_name", "exact", 1)), List.of(), 0.95, 0.7, 0), incoming, candidate);

        assertThat(fuzzy.fields().get(0).similarity()).isLessThan(0.85);
        assertThat(fuzzy.verdict()).isEqualTo(Verdict.REVIEW);
        assertThat(phonetic.fields().get(0).similarity()).isEqualTo(1.0);
        assertThat(phonetic.verdict()).isEqualTo(Verdict.MATCH);
        assertThat(FieldComparator.DOUBLE_METAPHONE.similarity("schmidt", "smith")).as("through the alternate code").isEqualTo(0.8);
        assertThat(FieldComparator.DOUBLE_METAPHONE.similarity("baker", "miller")).isZero();
    }

    @Test
    void aCustomRuleCombiningFieldsDecidesWhatNoSingleFieldDoes() {
        // a personal and a work address: the emails disagree; the same last name, birth date and postal code together are
        // evidence no single one of them is
        Map<String, Object> incoming = Map.of("email", "pat@home.example", "lastName", "Okafor", "birthDate", "1980-02-29", "postalCode", "94105");
        Map<String, Object> candidate = Map.of("email", "p.okafor@work.example", "lastName", "Okafor", "birthDate", "19800229",
                "postalCode", "94105-2211");
        List<MatchField> fields = List.of(field("email", "email", "exact", 3), field("lastName", "person_name", "jaro_winkler", 1));
        CustomRule sameBirthAndPlace = new CustomRule("same_birth_and_place", List.of(field("lastName", "person_name", "exact", 1),
                field("birthDate", "date", "exact", 1), field("postalCode", "postal_code", "exact", 1)), 6, 1);

        MatchScore without = matcher.score(rules(fields, List.of(), 0.65, 0.5, 0), incoming, candidate);
        MatchScore with = matcher.score(rules(fields, List.of(sameBirthAndPlace), 0.65, 0.5, 0), incoming, candidate);

        assertThat(without.verdict()).isEqualTo(Verdict.NO_MATCH);
        assertThat(with.verdict()).isEqualTo(Verdict.MATCH);
        RuleScore rule = with.customRules().get(0);
        assertThat(rule.met()).isTrue();
        assertThat(rule.contribution()).isEqualTo(6.0);
        assertThat(with.total()).isEqualTo(0.7);

        Map<String, Object> otherBirthday = new LinkedHashMap<>(candidate);
        otherBirthday.put("birthDate", "1981-02-28");
        RuleScore unmet = matcher.score(rules(fields, List.of(sameBirthAndPlace), 0.65, 0.5, 0), incoming, otherBirthday).customRules().get(0);
        assertThat(unmet.met()).isFalse();
        assertThat(unmet.contribution()).isZero();
    }

    @Test
    void aMissingValueIsNeitherAgreementNorDisagreement() {
        MatchRules rules = rules(List.of(field("email", "email", "exact", 4), field("phone", "phone", "exact", 2),
                field("lastName", "person_name", "jaro_winkler", 2)), List.of(), 0.9, 0.7, 0);
        Map<String, Object> incoming = Map.of("email", "ada@example.com", "lastName", "Lovelace");
        Map<String, Object> candidate = Map.of("email", "ADA@example.com", "lastName", "Lovelace", "phone", "+1 415 555 0100");

        MatchScore score = matcher.score(rules, incoming, candidate);

        assertThat(score.total()).isEqualTo(1.0);
        assertThat(score.comparedWeight()).isEqualTo(6.0);
        FieldScore phone = score.fields().get(1);
        assertThat(phone.compared()).isFalse();
        assertThat(phone.similarity()).isNull();
        assertThat(phone.note()).isEqualTo("missing on the incoming side");
        Map<String, Object> unusable = new LinkedHashMap<>(incoming);
        unusable.put("phone", "ask reception");
        assertThat(matcher.score(rules, unusable, candidate).fields().get(1).note()).isEqualTo("unusable on the incoming side");
    }

    @Test
    void tooLittleComparedIsScaledDownByTheMinimumWeight() {
        MatchRules rules = rules(List.of(field("email", "email", "exact", 6), field("city", "text", "exact", 1)), List.of(), 0.85, 0.7, 6);

        MatchScore cityOnly = matcher.score(rules, Map.of("city", "Oslo"), Map.of("city", "OSLO"));
        MatchScore emailOnly = matcher.score(rules, Map.of("email", "a@b.no"), Map.of("email", "A@B.NO"));

        assertThat(cityOnly.total()).isEqualTo(0.1667);
        assertThat(cityOnly.verdict()).isEqualTo(Verdict.NO_MATCH);
        assertThat(emailOnly.total()).isEqualTo(1.0);
        assertThat(emailOnly.verdict()).isEqualTo(Verdict.MATCH);
    }

    @Test
    void namesEnteredTheWrongWayRoundAndSimilaritiesBelowTheFloor() {
        MatchField first = new MatchField("firstName", "person_name", FieldComparator.JARO_WINKLER, 1, List.of("lastName"), 0.8);
        MatchField last = new MatchField("lastName", "person_name", FieldComparator.JARO_WINKLER, 1, List.of("firstName"), 0.8);
        MatchRules rules = rules(List.of(first, last), List.of(), 0.9, 0.7, 0);

        MatchScore swapped = matcher.score(rules, Map.of("firstName", "Rybak", "lastName", "Jassim"), Map.of("firstName", "Jassim", "lastName", "Rybak"));
        MatchScore other = matcher.score(rules, Map.of("firstName", "Anna", "lastName", "Berg"), Map.of("firstName", "Maria", "lastName", "Berg"));

        assertThat(swapped.verdict()).isEqualTo(Verdict.MATCH);
        assertThat(swapped.fields().get(0).candidateField()).isEqualTo("lastName");
        assertThat(other.fields().get(0).similarity()).isGreaterThan(0.4);
        assertThat(other.fields().get(0).contribution()).isZero();
        assertThat(other.fields().get(0).note()).isEqualTo("below minSimilarity 0.8: counted as 0");
        assertThat(other.total()).isEqualTo(0.5);
    }

    @Test
    void theExplanationSerializesToJsonWithEveryComparisonAndTheThresholds() throws Exception {
        MatchRules rules = DefaultMatchRules.forType("c_contact").orElseThrow();
        MatchScore score = matcher.score(rules, Map.of("firstName", "Ada", "lastName", "Lovelace", "email", "ada@example.com"),
                Map.of("firstName", "Ada", "lastName", "Lovelace", "email", "ada@example.com", "phone", "+44 20 7946 0958"));

        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(score));

        assertThat(json.get("verdict").asText()).isEqualTo("MATCH");
        assertThat(json.get("total").asDouble()).isEqualTo(1.0);
        assertThat(json.get("thresholds").get("match").asDouble()).isEqualTo(rules.thresholds().match());
        assertThat(json.get("thresholds").get("review").asDouble()).isEqualTo(rules.thresholds().review());
        JsonNode email = json.get("fields").get(0);
        assertThat(email.get("field").asText()).isEqualTo("email");
        assertThat(email.get("comparator").asText()).isEqualTo("exact");
        assertThat(email.get("incoming").asText()).isEqualTo("ada@example.com");
        assertThat(email.get("candidate").asText()).isEqualTo("ada@example.com");
        assertThat(email.get("similarity").asDouble()).isEqualTo(1.0);
        assertThat(email.get("weight").asDouble()).isEqualTo(6.0);
        assertThat(json.get("fields").get(1).get("note").asText()).isEqualTo("missing on the incoming side");
        assertThat(json.get("customRules").get(0).get("name").asText()).isEqualTo("same_birth_date_and_street");
    }

    @Test
    void candidatesAreRankedBestFirst() {
        MatchRules rules = DefaultMatchRules.forType("c_company").orElseThrow();
        Map<String, Map<String, Object>> candidates = new LinkedHashMap<>();
        candidates.put("other", Map.of("name", "Globex", "domain", "globex.com"));
        candidates.put("same", Map.of("name", "ACME Corporation", "domain", "https://www.acme.com/", "phone", "(415) 555-0100"));

        List<RecordMatcher.ScoredCandidate> ranked = new ArrayList<>(matcher.rank(rules,
                Map.of("name", "Acme, Inc.", "domain", "acme.com", "phone", "+1 415 555 0100"), candidates));

        assertThat(ranked).extracting(RecordMatcher.ScoredCandidate::shardId).containsExactly("same", "other");
        assertThat(ranked.get(0).score().verdict()).isEqualTo(Verdict.MATCH);
        assertThat(ranked.get(1).score().verdict()).isEqualTo(Verdict.NO_MATCH);
    }

    static MatchField field(String field, String normalizer, String comparator, double weight) {
        return new MatchField(field, normalizer, FieldComparator.of(comparator), weight);
    }

    static MatchRules rules(List<MatchField> fields, List<CustomRule> custom, double match, double review, double minCompared) {
        return new MatchRules("c_contact", fields, custom, List.of(BlockingKeyDefinition.parse("blockingKeys[0]", "email")),
                new Thresholds(match, review), minCompared, Survivorship.PREFER_EXTERNAL, Map.of());
    }
}
