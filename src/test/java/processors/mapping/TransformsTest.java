package processors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransformsTest {

    @ParameterizedTest
    @ValueSource(strings = {"trim", "lowercase", "uppercase", "number", "integer", "boolean", "string"})
    void basicTransformsPassNullThroughAndWriteBackAsIs(String name) {
        Transform transform = Transforms.create(name, null);

        assertThat(transform.apply(null)).isNull();
        assertThat(transform.reverse()).contains(Transforms.IDENTITY);
    }

    @Test
    void textTransforms() {
        assertThat(apply("trim", "  Acme \t")).isEqualTo("Acme");
        assertThat(apply("lowercase", "ÉCOLE Inc")).isEqualTo("école inc");
        assertThat(apply("uppercase", "title")).isEqualTo("TITLE");
        assertThat(apply("lowercase", "ID")).as("locale-independent").isEqualTo("id");
        assertThat(apply("trim", 42)).as("non-text passes").isEqualTo(42);
    }

    @Test
    void number() {
        assertThat(apply("number", "250")).isEqualTo(250);
        assertThat(apply("number", " 12.50 ")).isEqualTo(new BigDecimal("12.50"));
        assertThat(apply("number", "9999999999")).isEqualTo(9_999_999_999L);
        assertThat(apply("number", 1.5e7)).isEqualTo(1.5e7);
        assertThat(apply("number", "  ")).isNull();
        assertThatThrownBy(() -> apply("number", "12k")).hasMessage("number: not a number: '12k'");
        assertThatThrownBy(() -> apply("number", true)).hasMessage("number: not a number: true");
    }

    @Test
    void integer() {
        assertThat(apply("integer", "250")).isEqualTo(250);
        assertThat(apply("integer", 250.0)).isEqualTo(250);
        assertThat(apply("integer", 7L)).isEqualTo(7L);
        assertThat(apply("integer", "")).isNull();
        assertThatThrownBy(() -> apply("integer", 250.5)).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> apply("integer", "many")).hasMessage("integer: not a number: 'many'");
    }

    @Test
    void booleanAndString() {
        assertThat(apply("boolean", "Yes")).isEqualTo(true);
        assertThat(apply("boolean", "0")).isEqualTo(false);
        assertThat(apply("boolean", 1)).isEqualTo(true);
        assertThat(apply("boolean", false)).isEqualTo(false);
        assertThatThrownBy(() -> apply("boolean", "maybe")).hasMessage("boolean: not a boolean: 'maybe'");

        assertThat(apply("string", 2.5e7)).isEqualTo("25000000");
        assertThat(apply("string", 12)).isEqualTo("12");
        assertThat(apply("string", true)).isEqualTo("true");
        assertThatThrownBy(() -> apply("string", Map.of("a", 1))).hasMessageContaining("cannot turn an object into text");
    }

    @Test
    void truncateIsLossy() {
        Transform truncate = Transforms.create("truncate", 5);

        assertThat(truncate.apply("Salesforce")).isEqualTo("Sales");
        assertThat(truncate.apply("Acme")).isEqualTo("Acme");
        assertThat(truncate.apply(null)).isNull();
        assertThat(Transforms.create("truncate", 2).apply("a\uD83D\uDE00b")).as("no half emoji").isEqualTo("a");
        assertThat(truncate.reverse()).isEmpty();
        assertThatThrownBy(() -> Transforms.create("truncate", null)).hasMessageContaining("truncate expects a whole number");
        assertThatThrownBy(() -> Transforms.create("truncate", -1)).hasMessageContaining("between 0 and");
    }

    @Test
    void replaceIsLiteralAndLossy() {
        Transform replace = Transforms.create("replace", Map.of("from", ".*", "to", "-"));

        assertThat(replace.apply("a.*b.*")).as("no regex").isEqualTo("a-b-");
        assertThat(replace.apply("abc")).isEqualTo("abc");
        assertThat(replace.apply(null)).isNull();
        assertThat(replace.reverse()).isEmpty();
        assertThatThrownBy(() -> Transforms.create("replace", Map.of("from", "x"))).hasMessageContaining("both keys");
        assertThatThrownBy(() -> Transforms.create("replace", Map.of("from", "", "to", "y"))).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> Transforms.create("replace", Map.of("from", "x", "to", "y", "regex", true)))
                .hasMessageContaining("unknown option 'regex'");
    }

    @Test
    void stripPrefixRemovesEachPrefixOnceInOrder() {
        Transform strip = Transforms.create("stripPrefix", List.of("https://", "http://", "www."));

        assertThat(strip.apply("https://www.acme.com")).isEqualTo("acme.com");
        assertThat(strip.apply("www.acme.com")).isEqualTo("acme.com");
        assertThat(strip.apply("acme.com")).isEqualTo("acme.com");
        assertThat(strip.apply(null)).isNull();
        assertThat(Transforms.create("stripPrefix", "+").apply("+33")).isEqualTo("33");
        assertThat(strip.reverse()).contains(Transforms.IDENTITY);
        assertThatThrownBy(() -> Transforms.create("stripPrefix", List.of(1))).hasMessageContaining("text items");
    }

    @Test
    void defaultFillsNullAndBlank() {
        Transform fallback = Transforms.create("default", "Other");

        assertThat(fallback.apply(null)).isEqualTo("Other");
        assertThat(fallback.apply(" ")).isEqualTo("Other");
        assertThat(fallback.apply("Tech")).isEqualTo("Tech");
        assertThat(Transforms.create("default", 0).apply(null)).isEqualTo(0);
        assertThat(fallback.reverse()).contains(Transforms.IDENTITY);
        assertThatThrownBy(() -> Transforms.create("default", List.of("a"))).hasMessageContaining("single value");
    }

    @Test
    void dateFormatReadsSalesforceAndPlainIso() {
        Transform iso = Transforms.create("dateFormat", Map.of("from", "iso", "to", "iso"));

        assertThat(iso.apply("2024-01-01T00:00:00.000+0000")).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(iso.apply("2024-03-05T10:15:30.250+0100")).isEqualTo("2024-03-05T09:15:30.250Z");
        assertThat(iso.apply("2024-03-05T10:15:30Z")).isEqualTo("2024-03-05T10:15:30Z");
        assertThat(iso.apply("2024-03-05T10:15:30.000Z")).as("SOAP form").isEqualTo("2024-03-05T10:15:30Z");
        assertThat(iso.apply("2024-03-05T10:15:30+02:00")).isEqualTo("2024-03-05T08:15:30Z");
        assertThat(iso.apply("2024-03-05T10:15:30")).as("no offset: zone").isEqualTo("2024-03-05T10:15:30Z");
        assertThat(iso.apply("2024-03-05")).isEqualTo("2024-03-05T00:00:00Z");
        assertThat(iso.apply(Instant.parse("2024-03-05T10:15:30Z"))).isEqualTo("2024-03-05T10:15:30Z");
        assertThat(iso.apply(null)).isNull();
        assertThat(iso.apply("")).isNull();
        assertThatThrownBy(() -> iso.apply("yesterday")).hasMessage("dateFormat: cannot read 'yesterday' as iso");
        assertThatThrownBy(() -> iso.apply("2024-13-45T00:00:00Z")).hasMessageContaining("cannot read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-01T00:00:00.000+0000", "2024-01-01T00:00:00Z", "2024-02-29T23:59:59.123456789-0930",
            "1999-12-31t23:00:00.5z", "2024-07-01T12:00:00+05:30", "2024-07-01T12:00:00.1234+01:00", "0001-01-01T00:00:00Z"})
    void handWrittenIsoReaderAgreesWithJavaTime(String text) {
        Transform iso = Transforms.create("dateFormat", null);

        assertThat(iso.apply(text)).isEqualTo(java.time.OffsetDateTime.parse(text.toUpperCase(java.util.Locale.ROOT)
                .replaceAll("([+-]\\d\\d)(\\d\\d)$", "$1:$2")).toInstant().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-30T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z",
            "2024-01-01T00:00:00+2500", "2024-01-01T00:00:00+00:0", "2024-01-01T00:00:00 +0000", "2024-1-01T00:00:00Z"})
    void malformedIsoDatetimesAreRejected(String text) {
        Transform iso = Transforms.create("dateFormat", null);

        assertThatThrownBy(() -> iso.apply(text)).hasMessageStartingWith("dateFormat: cannot read");
    }

    @Test
    void dateFormatPatternsZonesAndEpochMillis() {
        Transform salesforcePattern = Transforms.create("dateFormat", Map.of("from", "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "to", "iso"));
        assertThat(salesforcePattern.apply("2024-01-01T00:00:00.000+0000")).isEqualTo("2024-01-01T00:00:00Z");

        Transform toDate = Transforms.create("dateFormat", Map.of("from", "iso", "to", "date"));
        assertThat(toDate.apply("2024-01-01T23:30:00.000-0500")).isEqualTo("2024-01-02");

        Transform paris = Transforms.create("dateFormat", Map.of("from", "dd/MM/yyyy HH:mm", "to", "iso", "zone", "Europe/Paris"));
        assertThat(paris.apply("01/07/2024 14:00")).isEqualTo("2024-07-01T12:00:00Z");

        Transform millis = Transforms.create("dateFormat", Map.of("from", "epochMillis", "to", "iso"));
        assertThat(millis.apply(1704067200000L)).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(millis.apply("1704067200000")).isEqualTo("2024-01-01T00:00:00Z");

        Transform date = Transforms.create("dateFormat", Map.of("from", "date", "to", "date"));
        assertThat(date.apply("2024-02-29")).isEqualTo("2024-02-29");
        assertThat(date.apply(LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
        assertThatThrownBy(() -> date.apply("2024-02-30")).hasMessage("dateFormat: cannot read '2024-02-30' as date");
    }

    @Test
    void dateFormatReversesBySwappingFromAndTo() {
        Transform toMillis = Transforms.create("dateFormat", Map.of("from", "iso", "to", "epochMillis"));
        Transform back = toMillis.reverse().orElseThrow();

        assertThat(toMillis.apply("2024-01-01T00:00:00.000+0000")).isEqualTo(1704067200000L);
        assertThat(back.apply(1704067200000L)).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(back.reverse().orElseThrow().apply("2024-01-01T00:00:00Z")).isEqualTo(1704067200000L);
    }

    @Test
    void dateFormatArgumentsAreCheckedAtLoad() {
        assertThatThrownBy(() -> Transforms.create("dateFormat", Map.of("from", "yyyy-MM-dd'T")))
                .hasMessageStartingWith("dateFormat: invalid pattern 'yyyy-MM-dd'T'");
        assertThatThrownBy(() -> Transforms.create("dateFormat", Map.of("zone", "Mars/Olympus")))
                .hasMessage("dateFormat: unknown zone 'Mars/Olympus'");
        assertThatThrownBy(() -> Transforms.create("dateFormat", Map.of("form", "iso")))
                .hasMessageContaining("unknown option 'form'");
        assertThatThrownBy(() -> Transforms.create("dateFormat", "iso")).hasMessageContaining("dateFormat expects {from:");
        assertThat(Transforms.create("dateFormat", null).apply("2024-01-01T00:00:00.000+0000")).isEqualTo("2024-01-01T00:00:00Z");
    }

    @Test
    void unknownNamesAndStrayArgumentsAreRejected() {
        assertThatThrownBy(() -> Transforms.create("lowercaes", null))
                .hasMessageStartingWith("unknown transform 'lowercaes' (known: trim, lowercase, uppercase, number, integer, boolean, string, "
                        + "domain, dateFormat, truncate, replace, stripPrefix, default)");
        assertThatThrownBy(() -> Transforms.create("trim", "both")).hasMessage("trim takes no argument");
        assertThat(Transforms.names()).contains("trim", "dateFormat", "default");
    }

    private static Object apply(String name, Object value) {
        return Transforms.create(name, null).apply(value);
    }

    @Test
    void domainTakesTheWebDomainOfAnEmailOrAUrl() {
        Transform domain = Transforms.create("domain", null);
        assertThat(domain.apply("Jane.Doe@Acme.COM")).isEqualTo("acme.com");
        assertThat(domain.apply("https://www.Acme.com:8443/about?x=1")).isEqualTo("acme.com");
        assertThat(domain.apply("www.acme.co.uk/")).isEqualTo("acme.co.uk");
        assertThat(domain.apply("http://user@shop.acme.com")).isEqualTo("shop.acme.com");
        assertThat(domain.apply("https://bücher.example/")).isEqualTo("xn--bcher-kva.example");
        assertThat(domain.apply("acme")).isNull();
        assertThat(domain.apply("not an address")).isNull();
        assertThat(domain.apply(null)).isNull();
        assertThat(domain.reverse()).isEmpty();
    }
}
