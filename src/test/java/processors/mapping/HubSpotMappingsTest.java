package processors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The built-in HubSpot mappings: records as the HubSpot adapter hands them on (properties flat, the associated
 * company's id beside them) become the same shards, field for field, as Salesforce's.
 */
class HubSpotMappingsTest {

    private final MappingCatalog catalog = new MappingCatalog("");

    private EntityMapping mapping(String entity) {
        return catalog.find("hubspot", entity).orElseThrow();
    }

    @Test
    void catalogHoldsCompaniesContactsAndDealsVersionedByTheirModificationDate() {
        assertThat(catalog.forProvider("hubspot")).extracting(EntityMapping::entity).containsExactlyInAnyOrder("companies", "contacts", "deals");
        assertThat(mapping("companies").externalVersionPath()).isEqualTo("hs_lastmodifieddate");
        assertThat(mapping("contacts").externalVersionPath()).isEqualTo("lastmodifieddate");
        assertThat(mapping("deals").externalVersionPath()).isEqualTo("hs_lastmodifieddate");
        assertThat(mapping("Companies").shardType()).isEqualTo("c_company");
    }

    @Test
    void eachShardTypeHasOneShape() {
        for (String[] pair : new String[][] {{"companies", "Account"}, {"contacts", "Contact"}, {"deals", "Opportunity"}}) {
            Set<String> hubspot = targets(mapping(pair[0]));
            Set<String> salesforce = targets(catalog.find("salesforce", pair[1]).orElseThrow());
            assertThat(salesforce).as("%s fields are Salesforce's %s fields", pair[0], pair[1]).containsAll(hubspot);
            assertThat(mapping(pair[0]).shardType()).isEqualTo(catalog.find("salesforce", pair[1]).orElseThrow().shardType());
        }
        // HubSpot has no department on contacts and no lead source on deals: only those are missing
        assertThat(targets(catalog.find("salesforce", "Contact").orElseThrow())).containsExactlyInAnyOrderElementsOf(
                union(targets(mapping("contacts")), "department"));
        assertThat(targets(catalog.find("salesforce", "Opportunity").orElseThrow())).containsExactlyInAnyOrderElementsOf(
                union(targets(mapping("deals")), "leadSource"));
        assertThat(targets(catalog.find("salesforce", "Account").orElseThrow())).isEqualTo(targets(mapping("companies")));
    }

    @Test
    void aCompanyMapsToTheCompanyShard() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("name", " Acme Corporation ");
        record.put("domain", "www.Acme.com");
        record.put("industry", "COMPUTER_SOFTWARE");
        record.put("phone", "+1 415 555 0100");
        record.put("city", "San Francisco");
        record.put("zip", "94105");
        record.put("numberofemployees", "1200");
        record.put("annualrevenue", "35000000.50");
        record.put("createdate", "2024-01-01T00:00:00.000Z");
        record.put("hs_lastmodifieddate", "2024-03-05T10:15:30.123Z");
        record.put("hs_object_id", "101");
        record.put("id", "101");

        MappedRecord company = mapping("companies").map(record);

        assertThat(company.externalId()).isEqualTo("101");
        assertThat(company.externalVersion()).isEqualTo("2024-03-05T10:15:30.123Z");
        assertThat(company.structuredData()).contains(entry("name", "Acme Corporation"), entry("domain", "acme.com"),
                entry("industry", "COMPUTER_SOFTWARE"), entry("employees", 1200), entry("annualRevenue", new java.math.BigDecimal("35000000.50")),
                entry("createdAt", "2024-01-01T00:00:00Z"), entry("updatedAt", "2024-03-05T10:15:30.123Z"));
        assertThat(company.structuredData().get("address")).isEqualTo(Map.of("city", "San Francisco", "postalCode", "94105"));
        assertThat(mapping("companies").reverse(Map.of("name", "Acme", "employees", 12, "address", Map.of("postalCode", "10001"))))
                .containsExactly(entry("name", "Acme"), entry("zip", "10001"), entry("numberofemployees", 12));
    }

    @Test
    void aContactWorksAtItsAssociatedCompany() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("firstname", "Ada");
        record.put("lastname", "Lovelace");
        record.put("email", " Ada@Acme.COM ");
        record.put("jobtitle", "CTO");
        record.put("lastmodifieddate", "2024-02-02T09:00:00.000Z");
        record.put("id", "201");
        record.put("associatedCompanyId", "101");

        MappedRecord contact = mapping("contacts").map(record);

        assertThat(contact.structuredData()).contains(entry("firstName", "Ada"), entry("lastName", "Lovelace"), entry("fullName", "Ada Lovelace"),
                entry("email", "ada@acme.com"), entry("title", "CTO"));
        assertThat(contact.relationships()).containsExactly(new RelationshipRef("works_at", "companies", "c_company", "101"));
        record.put("associatedCompanyId", null);
        assertThat(mapping("contacts").map(record).relationships()).isEmpty();
        // an email alone is a contact at HubSpot
        assertThat(mapping("contacts").map(Map.of("id", "202", "email", "x@y.z", "lastmodifieddate", "2024-02-02T09:00:00Z")).structuredData())
                .containsEntry("email", "x@y.z");
        assertThat(mapping("contacts").isWritable("fullName")).isFalse();
    }

    @Test
    void aDealBelongsToItsCompanyWithItsCloseDateAsADate() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("dealname", "Acme - 500 Widgets");
        record.put("dealstage", "appointmentscheduled");
        record.put("amount", "125000.5");
        record.put("closedate", "2024-06-30T00:00:00.000Z");
        record.put("hs_deal_stage_probability", "0.2");
        record.put("hs_lastmodifieddate", "2024-01-04T00:00:00.000Z");
        record.put("id", "301");
        record.put("associatedCompanyId", "101");

        MappedRecord deal = mapping("deals").map(record);

        assertThat(deal.structuredData()).contains(entry("name", "Acme - 500 Widgets"), entry("stage", "appointmentscheduled"),
                entry("amount", new java.math.BigDecimal("125000.5")), entry("closeDate", "2024-06-30"));
        assertThat(deal.relationships()).containsExactly(new RelationshipRef("belongs_to", "companies", "c_company", "101"));
        assertThat(mapping("deals").reverse(Map.of("closeDate", "2024-07-31", "probability", 0.5)))
                .containsExactly(entry("closedate", "2024-07-31T00:00:00Z"));
    }

    private static Set<String> targets(EntityMapping mapping) {
        return mapping.fields().stream().map(FieldRule::target).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Set<String> union(Set<String> set, String... more) {
        Set<String> all = new java.util.TreeSet<>(set);
        all.addAll(List.of(more));
        return all;
    }
}
