package processors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The built-in Dynamics 365 mappings: rows as the adapter hands them on (etag, formatted value, a lookup under its
 * navigation property) become shards of the same shape the Salesforce mappings make.
 */
class DynamicsMappingsTest {

    private final MappingCatalog catalog = new MappingCatalog("");

    @Test
    void catalogHoldsTheThreeTablesByEntitySet() {
        assertThat(catalog.forProvider("dynamics365")).extracting(EntityMapping::entity)
                .containsExactlyInAnyOrder("accounts", "contacts", "opportunities");
    }

    @Test
    void accountMapsToCompanyWithItsEtagAsVersionAndModifiedOnAsItsTime() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("@odata.etag", "W/\"915244\"");
        row.put("accountid", "60c4e274-0d87-e711-80e5-00155db19e6d");
        row.put("name", " Contoso ");
        row.put("websiteurl", "https://www.contoso.example");
        row.put("industrycode", 7);
        row.put("industrycode@OData.Community.Display.V1.FormattedValue", "Consulting");
        row.put("telephone1", "555-0100");
        row.put("address1_line1", "1 Main St");
        row.put("address1_city", "Seattle");
        row.put("address1_stateorprovince", "WA");
        row.put("address1_postalcode", "98101");
        row.put("address1_country", "USA");
        row.put("numberofemployees", 120);
        row.put("revenue", 20000.0);
        row.put("description", "Makes things.");
        row.put("createdon", "2024-01-01T00:00:00Z");
        row.put("modifiedon", "2024-03-01T10:15:00Z");

        MappedRecord company = mapping("accounts").map(row);
        assertThat(company.externalId()).isEqualTo("60c4e274-0d87-e711-80e5-00155db19e6d");
        assertThat(company.externalVersion()).isEqualTo("W/\"915244\"");
        assertThat(company.modifiedAt()).isEqualTo("2024-03-01T10:15:00Z");
        assertThat(company.modifiedAtOrVersion()).isEqualTo("2024-03-01T10:15:00Z");
        assertThat(company.structuredData()).containsExactly(
                entry("name", "Contoso"),
                entry("domain", "contoso.example"),
                entry("industry", "Consulting"),
                entry("phone", "555-0100"),
                entry("address", Map.of("street", "1 Main St", "city", "Seattle", "state", "WA", "postalCode", "98101", "country", "USA")),
                entry("employees", 120),
                entry("annualRevenue", 20000.0),
                entry("description", "Makes things."),
                entry("createdAt", "2024-01-01T00:00:00Z"),
                entry("updatedAt", "2024-03-01T10:15:00Z"));
        // the industry label is read only; the rest goes back to the same columns
        assertThat(mapping("accounts").reverse(Map.of("name", "Renamed", "industry", "Retail", "address", Map.of("city", "Oslo"))))
                .containsExactly(entry("name", "Renamed"), entry("address1_city", "Oslo"));
    }

    @Test
    void aContactLinksToItsCompanyOnlyWhenTheCustomerIsAnAccount() {
        Map<String, Object> row = new HashMap<>();
        row.put("@odata.etag", "W/\"915300\"");
        row.put("contactid", "2e451703-c686-e711-80e5-00155db19e6d");
        row.put("lastname", "Lee");
        row.put("_parentcustomerid_value", "60c4e274-0d87-e711-80e5-00155db19e6d");
        row.put("parentcustomerid_account", "60c4e274-0d87-e711-80e5-00155db19e6d");
        MappedRecord contact = mapping("contacts").map(row);
        assertThat(contact.relationships()).singleElement().satisfies(link -> {
            assertThat(link.type()).isEqualTo("works_at");
            assertThat(link.targetEntity()).isEqualTo("accounts");
            assertThat(link.targetShardType()).isEqualTo("c_company");
            assertThat(link.targetExternalId()).isEqualTo("60c4e274-0d87-e711-80e5-00155db19e6d");
        });

        row.remove("parentcustomerid_account");
        assertThat(mapping("contacts").map(row).relationships()).as("a contact as customer is no company").isEmpty();
    }

    @Test
    void anOpportunityLinksToItsAccount() {
        Map<String, Object> row = new HashMap<>();
        row.put("opportunityid", "7eb682f1-ca75-e511-80d4-00155d2a68d1");
        row.put("name", "Big deal");
        row.put("estimatedvalue", 20000.0);
        row.put("estimatedclosedate", "2024-06-30");
        row.put("closeprobability", 40);
        row.put("_parentaccountid_value", "60c4e274-0d87-e711-80e5-00155db19e6d");
        MappedRecord deal = mapping("opportunities").map(row);
        assertThat(deal.structuredData()).contains(entry("amount", 20000.0), entry("closeDate", "2024-06-30"), entry("probability", 40));
        assertThat(deal.relationships()).singleElement().satisfies(link -> assertThat(link.targetExternalId())
                .isEqualTo("60c4e274-0d87-e711-80e5-00155db19e6d"));
    }

    @Test
    void everyShardFieldIsOneTheSalesforceMappingOfTheShardTypeHasWithTheSameType() {
        for (String[] pair : new String[][] {{"accounts", "Account"}, {"contacts", "Contact"}, {"opportunities", "Opportunity"}}) {
            EntityMapping dynamics = mapping(pair[0]);
            EntityMapping salesforce = catalog.find("salesforce", pair[1]).orElseThrow();
            assertThat(dynamics.shardType()).isEqualTo(salesforce.shardType());
            for (FieldRule field : dynamics.fields()) {
                FieldRule same = salesforce.field(field.target()).orElse(null);
                assertThat(same).as(pair[0] + "." + field.target() + " is a field of " + salesforce.shardType()).isNotNull();
                assertThat(field.type()).as(pair[0] + "." + field.target()).isEqualTo(same.type());
            }
            assertThat(dynamics.relationships()).extracting(RelationshipRule::type)
                    .containsExactlyElementsOf(salesforce.relationships().stream().map(RelationshipRule::type).toList());
        }
    }

    private EntityMapping mapping(String entity) {
        return catalog.find("dynamics365", entity).orElseThrow();
    }
}
