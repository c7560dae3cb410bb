package processors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateTest {

    private static final Map<String, Object> ACCOUNT = Map.of(
            "Name", "  Acme  ",
            "Website", "https://www.acme.com",
            "BillingAddress", Map.of("city", "Paris"),
            "CreatedDate", "2024-01-01T00:00:00.000+0000",
            "NumberOfEmployees", 250);

    @Test
    void rendersPathsTransformsAndLiteralText() {
        Template template = Template.parse("{{Name | trim}} ({{BillingAddress.city | default: 'unknown'}})");

        assertThat(template.render(ACCOUNT)).isEqualTo("Acme (Paris)");
        assertThat(template.render(Map.of("Name", "Globex"))).isEqualTo("Globex (unknown)");
        assertThat(template.paths()).containsExactly("Name", "BillingAddress.city");
    }

    @Test
    void missingAndNullPathsRenderEmpty() {
        Map<String, Object> record = new HashMap<>();
        record.put("Name", null);

        assertThat(Template.parse("[{{Name}}|{{Nope.deeper}}]").render(record)).isEqualTo("[|]");
    }

    @Test
    void argumentsAreYamlFlowValues() {
        assertThat(Template.parse("{{Website | stripPrefix: ['https://', 'www.'] | uppercase}}").render(ACCOUNT)).isEqualTo("ACME.COM");
        assertThat(Template.parse("{{CreatedDate | dateFormat: {to: date}}}").render(ACCOUNT)).isEqualTo("2024-01-01");
        assertThat(Template.parse("{{Name | trim | truncate: 2}}").render(ACCOUNT)).isEqualTo("Ac");
        assertThat(Template.parse("{{NumberOfEmployees}} staff").render(ACCOUNT)).isEqualTo("250 staff");
        assertThat(Template.parse("{{Missing | default: 'a | b'}}").render(ACCOUNT)).as("pipe inside quotes").isEqualTo("a | b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"${java.version}", "#{1+1}", "#{T(java.lang.Runtime).getRuntime().exec('id')}",
            "${sys:user.home} $simple{body}", "<%= 7*7 %>"})
    void otherExpressionLanguagesAreLiteralText(String text) {
        assertThat(Template.parse(text).render(ACCOUNT)).isEqualTo(text);
        assertThat(Template.parse("{{Name | trim}}: " + text).render(ACCOUNT)).isEqualTo("Acme: " + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{T(java.lang.Runtime).getRuntime()}}", "{{Name.getClass()}}", "{{ ${x} }}", "{{#{1+1}}}",
            "{{Name + 'x'}}", "{{Name | T(java.lang.Runtime)}}"})
    void anythingButPathsAndTransformsIsRejected(String text) {
        assertThatThrownBy(() -> Template.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void syntaxErrorsSayWhere() {
        assertThatThrownBy(() -> Template.parse("Hello {{Name")).hasMessage("'{{' at offset 6 is never closed with '}}'");
        assertThatThrownBy(() -> Template.parse("Hello Name}}")).hasMessage("'}}' without a matching '{{' at offset 10");
        assertThatThrownBy(() -> Template.parse("a {{ }} b")).hasMessage("empty placeholder at offset 2");
        assertThatThrownBy(() -> Template.parse("{{Name | lowercaes}}")).hasMessageStartingWith("unknown transform 'lowercaes'")
                .hasMessageEndingWith("in placeholder at offset 0");
        assertThatThrownBy(() -> Template.parse("{{Name | truncate: lots}}")).hasMessageStartingWith("truncate expects a whole number");
        assertThatThrownBy(() -> Template.parse("{{Name | default: 'x}}")).hasMessageContaining("never closed");
    }

    @Test
    void transformFailuresSurfaceWhenRendering() {
        Template template = Template.parse("{{Name | dateFormat}}");

        assertThatThrownBy(() -> template.render(ACCOUNT)).hasMessageStartingWith("dateFormat: cannot read '  Acme  ' as iso");
    }
}
