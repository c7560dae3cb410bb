package processors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Per-integration field overrides go through the same checks as mapping files, with errors naming the item and key. */
class FieldOverridesTest {

    private final MappingCatalog catalog = new MappingCatalog("");
    private final EntityMapping contact = catalog.find("salesforce", "Contact").orElseThrow();

    @Test
    void overrideReplacesTheFieldWithTheSameTargetInPlace() {
        EntityMapping custom = catalog.withFieldOverrides(contact, List.of(
                Map.of("target", "title", "source", "Title", "transform", List.of("uppercase")),
                Map.of("target", "segment", "source", "Segment__c", "default", "SMB")));

        assertThat(EntityMappingTest.targets(custom)).containsExactly("firstName", "lastName", "fullName", "email", "phone", "mobile",
                "title", "department", "street", "city", "state", "postalCode", "country", "birthDate", "createdAt", "updatedAt",
                "segment");
        Map<String, Object> data = custom.map(SalesforceRecords.contact("003A", "001A")).structuredData();
        assertThat(data).containsEntry("title", "CTO").containsEntry("segment", "SMB");
        assertThat(custom.map(Map.of("Id", "003B", "LastName", "X", "Title", "vp sales")).structuredData()).containsEntry("title", "VP SALES");
        assertThat(custom.isWritable("segment")).isTrue();
        assertThat(custom.origin()).isEqualTo("mappings/salesforce/contact.yaml + 2 field override(s)");
        assertThat(contact.fields()).as("the base is untouched").hasSize(16);
        assertThat(custom.relationships()).isEqualTo(contact.relationships());
    }

    @Test
    void expressionsAndNestedTargetsWorkInOverrides() {
        EntityMapping custom = catalog.withFieldOverrides(contact, List.of(
                Map.of("target", "display.label", "expression", "{{LastName | uppercase}}, {{FirstName}}")));

        assertThat(custom.map(SalesforceRecords.contact("003A", null)).structuredData().get("display"))
                .isEqualTo(Map.of("label", "LOVELACE, Ada"));
    }

    @Test
    void noOverridesGiveTheBaseMapping() {
        assertThat(catalog.withFieldOverrides(contact, List.of())).isSameAs(contact);
        assertThat(catalog.withFieldOverrides(contact, null)).isSameAs(contact);
    }

    @Test
    void errorsNameTheItemAndKey() {
        assertRejected(List.of(
                        Map.of("target", "title", "source", "Title"),
                        Map.of("target", "email", "source", "Email"),
                        Map.of("target", "department", "source", "Department", "transform", List.of("lowercaes"))),
                "fieldMappings[2].transform[0]: unknown transform 'lowercaes' (known: trim, lowercase,");
        assertRejected(List.of(Map.of("target", "title", "source", "Title", "transform", "lowercaes")),
                "fieldMappings[0].transform: unknown transform 'lowercaes'");
        assertRejected(List.of(Map.of("target", "title", "sorce", "Title")),
                "fieldMappings[0].sorce: unknown key 'sorce' (allowed: target, source, expression,");
        assertRejected(List.of(Map.of("target", "title")),
                "fieldMappings[0]: field 'title' needs a source or an expression");
        assertRejected(List.of(Map.of("target", "title", "source", "Title", "transform", List.of(Map.of("truncate", "ten")))),
                "fieldMappings[0].transform[0].truncate: truncate expects a whole number");
        assertRejected(List.of(Map.of("target", "closed", "source", "CloseDate", "transform",
                        List.of(Map.of("dateFormat", Map.of("from", "yyyy-MM-dd'T"))))),
                "fieldMappings[0].transform[0].dateFormat: dateFormat: invalid pattern");
        assertRejected(List.of(Map.of("target", "x", "expression", "{{T(java.lang.Runtime).getRuntime()}}")),
                "fieldMappings[0].expression: expression: invalid path 'T(java.lang.Runtime).getRuntime()'");
        assertRejected(List.of(Map.of("target", "a", "source", "A"), Map.of("target", "a", "source", "B")),
                "fieldMappings[1].target: duplicate target 'a' (already at fieldMappings[0])");
        assertRejected(List.of(Map.of("target", "city.name", "source", "MailingCity")),
                "fieldMappings[0].target: target 'city.name' overlaps 'city'");
        assertRejected(List.of(Map.of("target", "primaryEmail", "source", "Email")),
                "fieldMappings[0].target: fields 'email' and 'primaryEmail' both write back to 'Email'");
        assertRejected(List.of(Map.of("target", "title", "source", "Title", "required", "yes")),
                "fieldMappings[0].required: expected true or false, got text 'yes'");
        assertRejected(List.of(Map.of("target", "title", "source", "Title", "direction", "sideways")),
                "fieldMappings[0].direction: unknown direction 'sideways' (known: inbound, outbound, both)");
        assertRejected(List.of(Map.of("target", "bad target", "source", "Title")),
                "fieldMappings[0].target: invalid path 'bad target'");
    }

    @Test
    void overridesMustBeObjects() {
        List<Map<String, Object>> specs = List.of(Map.of("target", "title", "source", "Title"));
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Map<String, Object>> notObjects = (List) List.of("title");

        assertThat(catalog.withFieldOverrides(contact, specs).fields()).hasSize(16);
        assertRejected(notObjects, "fieldMappings[0]: expected a field (target, source or expression, ...), got text 'title'");
    }

    private void assertRejected(List<Map<String, Object>> specs, String messageStart) {
        assertThatThrownBy(() -> catalog.withFieldOverrides(contact, specs))
                .isExactlyInstanceOf(MappingException.class)
                .hasMessageStartingWith(messageStart);
    }
}
