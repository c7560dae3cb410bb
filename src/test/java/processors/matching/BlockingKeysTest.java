package processors.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BlockingKeysTest {

    private final BlockingKeys blocking = new BlockingKeys(new Normalizers("US"));

    @Test
    void aContactsKeysAreItsNormalizedValuesUnderEachDefinition() {
        MatchRules rules = rules("email", "phone", "domain(email)", "metaphone(lastName)+postalCode", "prefix(lastName, 3)+city",
                "year(birthDate)+soundex(lastName)");

        Set<String> keys = blocking.keys(rules, Map.of("email", "Jane.Doe@Example.com", "phone", "(415) 555-0100", "lastName", "Smith",
                "postalCode", "94105-1234", "city", "San Francisco", "birthDate", "1980-02-29"));

        assertThat(keys).containsExactly("email=jane.doe@example.com", "phone=+14155550100", "domain(email)=example.com",
                "metaphone(lastName)+postalCode=SM0|94105", "prefix(lastName, 3)+city=smi|san francisco",
                "year(birthDate)+soundex(lastName)=1980|S530");
    }

    @Test
    void aKeyNeedsEveryPartAndTwoSpellingsMeetInOneKey() {
        MatchRules rules = rules("email", "metaphone(lastName)+postalCode");

        assertThat(blocking.keys(rules, Map.of("lastName", "Smith"))).isEmpty();
        assertThat(blocking.keys(rules, Map.of("lastName", "Smyth", "postalCode", "94105")))
                .isEqualTo(blocking.keys(rules, Map.of("lastName", "Smith", "postalCode", "94105 ")));
    }

    @Test
    void aVeryLongKeyIsHashed() {
        MatchRules rules = rules("street");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("street", "x".repeat(400));

        String key = blocking.keys(rules, fields).iterator().next();

        assertThat(key).hasSizeLessThanOrEqualTo(BlockingKeys.MAX_LENGTH).startsWith("street#");
    }

    @Test
    void companiesShareAKeyAcrossLegalFormsAndWebsiteSpellings() {
        MatchRules rules = DefaultMatchRules.forType("c_company").orElseThrow();
        Set<String> a = blocking.keys(rules, Map.of("name", "Acme, Inc.", "domain", "https://www.acme.com/contact"));
        Set<String> b = blocking.keys(rules, Map.of("name", "ACME Corp", "domain", "acme.com"));

        assertThat(a).contains("domain=acme.com", "name=acme").isEqualTo(b);
    }

    @Test
    void aRecordPreparedForScoringHasTheSameKeysAndScoresAsBefore() {
        MatchRules rules = DefaultMatchRules.forType("c_contact").orElseThrow();
        Map<String, Object> contact = Map.of("email", "Jane.Doe@Example.com", "phone", "(415) 555-0100", "mobile", "415.555.0199",
                "firstName", "Jane", "lastName", "Smith", "postalCode", "94105-1234", "city", "San Francisco", "street", "1 Main St",
                "birthDate", "1980-02-29");
        RecordMatcher matcher = new RecordMatcher(new Normalizers("US"));
        RecordMatcher.PreparedRecord prepared = matcher.prepare(rules, contact);
        MatchScore before = matcher.score(rules, contact, Map.of("email", "jane.doe@example.com", "lastName", "Smyth"));

        Set<String> keys = blocking.keys(prepared);

        assertThat(keys).isEqualTo(blocking.keys(rules, contact)).hasSize(13)
                .contains("phone=+14155550100", "phone(mobile)=+14155550199", "metaphone(lastName)+postalCode=SM0|94105");
        assertThat(matcher.score(prepared, matcher.prepare(rules, Map.of("email", "jane.doe@example.com", "lastName", "Smyth"))))
                .isEqualTo(before);
    }

    private static MatchRules rules(String... keys) {
        return new MatchRules("c_contact", List.of(new MatchField("email", "email", FieldComparator.EXACT, 1),
                new MatchField("phone", "phone", FieldComparator.EXACT, 1), new MatchField("lastName", "person_name", FieldComparator.JARO_WINKLER, 1),
                new MatchField("postalCode", "postal_code", FieldComparator.EXACT, 1), new MatchField("birthDate", "date", FieldComparator.EXACT, 1)),
                List.of(), java.util.Arrays.stream(keys).map(k -> BlockingKeyDefinition.parse("blockingKeys", k)).toList(),
                new Thresholds(0.9, 0.7), 0, Survivorship.PREFER_EXTERNAL, Map.of());
    }
}
