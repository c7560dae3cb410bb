package processors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** A shard field's mapping says what it holds; values written in Castiel are checked against it. */
class FieldTypesTest {

    private final MappingCatalog catalog = new MappingCatalog("");

    @Test
    void typesComeFromTheMappingsTransformsOrTheirDeclaration() {
        EntityMapping account = catalog.find("salesforce", "Account").orElseThrow();
        assertThat(field(account, "employees").type()).isEqualTo(FieldType.INTEGER);
        assertThat(field(account, "annualRevenue").type()).isEqualTo(FieldType.NUMBER);
        assertThat(field(account, "phone").type()).isEqualTo(FieldType.TEXT);
        assertThat(field(account, "phone").maxLength()).isEqualTo(40);
        assertThat(field(account, "industry").type()).isEqualTo(FieldType.TEXT);
        assertThat(FieldType.inferred(List.of())).isEqualTo(FieldType.SCALAR);
        assertThat(FieldType.inferred(List.of(Transforms.create("string", null), Transforms.create("number", null)))).isEqualTo(FieldType.NUMBER);
    }

    @Test
    void wrongTypesHugeNumbersAndLongTextAreRefused() {
        EntityMapping account = catalog.find("salesforce", "Account").orElseThrow();
        assertThat(refusal(account, "employees", "many")).contains("expected a whole number");
        assertThat(refusal(account, "employees", 12.5)).contains("expected a whole number");
        assertThat(refusal(account, "employees", 1e40)).get().asString().startsWith("out of range");
        assertThat(refusal(account, "annualRevenue", 1e40)).get().asString().startsWith("out of range");
        assertThat(refusal(account, "annualRevenue", "35M")).contains("expected a number");
        assertThat(refusal(account, "annualRevenue", new BigDecimal("1E+20"))).get().asString().startsWith("out of range");
        assertThat(refusal(account, "phone", "1".repeat(5 * 1024 * 1024))).contains("longer than 40 characters");
        assertThat(refusal(account, "phone", 4155550100L)).contains("expected text");
        assertThat(refusal(account, "industry", Map.of("a", 1))).contains("expected text");
        assertThat(refusal(account, "name", null)).contains("required");

        assertThat(refusal(account, "employees", 250)).isEmpty();
        assertThat(refusal(account, "employees", 250.0)).isEmpty();
        assertThat(refusal(account, "annualRevenue", 3.5e7)).isEmpty();
        assertThat(refusal(account, "phone", "+1 555 0100")).isEmpty();
        assertThat(refusal(account, "phone", null)).isEmpty();
    }

    @Test
    void valuesThatCannotBeConvertedBackAreRefused() {
        EntityMapping opportunity = catalog.find("salesforce", "Opportunity").orElseThrow();
        assertThat(refusal(opportunity, "closeDate", "next tuesday")).get().asString().startsWith("cannot be written back");
        assertThat(refusal(opportunity, "closeDate", "2026-03-31")).isEmpty();
    }

    @Test
    void mappingFilesDeclareTypesAndSizesOrFailToLoad() {
        EntityMapping base = catalog.find("salesforce", "Account").orElseThrow();
        EntityMapping overridden = catalog.withFieldOverrides(base, List.of(
                Map.of("target", "phone", "source", "Phone", "type", "text", "maxLength", 20)));
        assertThat(field(overridden, "phone").maxLength()).isEqualTo(20);
        assertThat(catchThrowable(() -> catalog.withFieldOverrides(base, List.of(
                Map.of("target", "phone", "source", "Phone", "type", "colour"))))).hasMessageContaining("unknown type 'colour'");
        assertThat(catchThrowable(() -> catalog.withFieldOverrides(base, List.of(
                Map.of("target", "phone", "source", "Phone", "maxLength", 0))))).hasMessageContaining("maxLength");
    }

    private static FieldRule field(EntityMapping mapping, String target) {
        return mapping.field(target).orElseThrow();
    }

    private static Optional<String> refusal(EntityMapping mapping, String target, Object value) {
        return field(mapping, target).refusal(value);
    }
}
