package processors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in Salesforce mapping files load from the classpath and map realistic records. */
class SalesforceMappingsTest {

    private final MappingCatalog catalog = new MappingCatalog("");

    @Test
    void catalogHoldsTheSalesforceEntities() {
        assertThat(catalog.providers()).contains("salesforce");
        assertThat(catalog.forProvider("salesforce")).extracting(EntityMapping::entity)
                .containsExactly("Account", "Contact", "Event", "Lead", "Opportunity", "Task");
        assertThat(catalog.find("Salesforce", "account")).get().extracting(EntityMapping::origin).isEqualTo("mappings/salesforce/account.yaml");
        assertThat(catalog.find("salesforce", "Case")).isEmpty();
        assertThat(catalog.find("hubspot", "Account")).isEmpty();
        assertThat(catalog.forProvider("no-such-provider")).isEmpty();
    }

    @Test
    void accountMapsToCompany() {
        MappedRecord company = mapping("Account").map(SalesforceRecords.account("001D000000IRFmaIAH"));

        assertThat(company.externalId()).isEqualTo("001D000000IRFmaIAH");
        assertThat(company.externalVersion()).isEqualTo("2024-03-05T10:15:31.000+0000");
        assertThat(company.shardType()).isEqualTo("c_company");
        assertThat(company.structuredData()).containsExactly(
                entry("name", "Acme Corporation"),
                entry("domain", "acme.com"),
                entry("industry", "Technology"),
                entry("type", "Customer - Direct"),
                entry("phone", "(415) 555-0100"),
                entry("address", Map.of("street", "1 Market St", "city", "San Francisco", "state", "CA", "postalCode", "94105", "country", "USA")),
                entry("employees", 1200),
                entry("annualRevenue", 3.5E7),
                entry("description", "Makes everything."),
                entry("createdAt", "2024-01-01T00:00:00Z"),
                entry("updatedAt", "2024-03-05T10:15:30Z"));
        assertThat(company.relationships()).isEmpty();
    }

    @Test
    void accountWithoutAddressGetsNullAddressFields() {
        Map<String, Object> account = SalesforceRecords.account("001A");
        account.put("BillingAddress", null);

        assertThat(mapping("Account").map(account).structuredData().get("address"))
                .isEqualTo(nullMap("street", "city", "state", "postalCode", "country"));
    }

    @Test
    void accountWritesBackToWritableSalesforceFields() {
        EntityMapping account = mapping("Account");
        Map<String, Object> shard = account.map(SalesforceRecords.account("001A")).structuredData();

        Map<String, Object> fields = account.reverse(shard);

        assertThat(fields).containsOnlyKeys("Name", "Website", "Industry", "Type", "Phone", "BillingStreet", "BillingCity", "BillingState",
                "BillingPostalCode", "BillingCountry", "NumberOfEmployees", "AnnualRevenue", "Description");
        assertThat(fields).containsEntry("BillingCity", "San Francisco").containsEntry("Website", "acme.com");
        assertThat(account.isWritable("createdAt")).isFalse();
        assertThat(account.isWritable("address.city")).isTrue();
    }

    @Test
    void contactMapsToContactThatWorksAtItsAccount() {
        MappedRecord contact = mapping("Contact").map(SalesforceRecords.contact("003D000000QV9n2IAD", "001D000000IRFmaIAH"));

        assertThat(contact.shardType()).isEqualTo("c_contact");
        assertThat(contact.externalVersion()).isEqualTo("2024-02-02T09:00:00.000+0000");
        assertThat(contact.structuredData()).containsExactly(
                entry("firstName", "Ada"),
                entry("lastName", "Lovelace"),
                entry("fullName", "Ada Lovelace"),
                entry("email", "ada.lovelace@acme.com"),
                entry("phone", "(415) 555-0101"),
                entry("mobile", null),
                entry("title", "CTO"),
                entry("department", "Engineering"),
                entry("city", "London"),
                entry("country", "UK"),
                entry("createdAt", "2024-01-02T08:30:00Z"),
                entry("updatedAt", "2024-02-02T09:00:00Z"));
        assertThat(contact.relationships()).containsExactly(new RelationshipRef("works_at", "Account", "c_company", "001D000000IRFmaIAH"));
        assertThat(mapping("Contact").isWritable("fullName")).as("Name is a read-only compound").isFalse();
    }

    @Test
    void contactWithoutAccountHasNoRelationship() {
        Map<String, Object> contact = SalesforceRecords.contact("003A", null);

        assertThat(mapping("Contact").map(contact).relationships()).isEmpty();
    }

    @Test
    void contactWithoutLastNameFails() {
        Map<String, Object> contact = SalesforceRecords.contact("003A", null);
        contact.put("LastName", " ");

        assertThatThrownBy(() -> mapping("Contact").map(contact))
                .hasMessage("salesforce/Contact record '003A': field 'lastName' (source 'LastName'): required but missing or blank");
    }

    @Test
    void opportunityMapsToOpportunityThatBelongsToItsAccount() {
        MappedRecord opportunity = mapping("Opportunity").map(SalesforceRecords.opportunity("006D000000CfKqBIAV", "001D000000IRFmaIAH"));

        assertThat(opportunity.shardType()).isEqualTo("c_opportunity");
        assertThat(opportunity.structuredData()).containsExactly(
                entry("name", "Acme - 500 Widgets"),
                entry("stage", "Prospecting"),
                entry("amount", 125000.5),
                entry("closeDate", "2024-06-30"),
                entry("probability", 10),
                entry("type", "New Customer"),
                entry("leadSource", "Web"),
                entry("createdAt", "2024-01-03T00:00:00Z"),
                entry("updatedAt", "2024-01-04T00:00:00Z"));
        assertThat(opportunity.relationships()).containsExactly(new RelationshipRef("belongs_to", "Account", "c_company", "001D000000IRFmaIAH"));
        assertThat(mapping("Opportunity").reverse(Map.of("closeDate", "2024-07-31", "amount", 99))).containsExactly(
                entry("Amount", 99), entry("CloseDate", "2024-07-31"));
    }

    @Test
    void opportunityWithBadCloseDateFailsNamingTheField() {
        Map<String, Object> opportunity = SalesforceRecords.opportunity("006A", "001A");
        opportunity.put("CloseDate", "30/06/2024");

        assertThatThrownBy(() -> mapping("Opportunity").map(opportunity))
                .hasMessage("salesforce/Opportunity record '006A': field 'closeDate' (source 'CloseDate'): dateFormat: cannot read '30/06/2024' as date");
    }

    @Test
    void externalDirectoryReplacesTheBuiltInFile(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("salesforce"));
        Files.writeString(dir.resolve("salesforce/account.yml"), """
                provider: salesforce
                entity: Account
                shardType: c_company
                externalId: Id
                fields:
                  - {target: name, source: Name, transform: [trim, uppercase]}
                """);

        MappingCatalog withOverrides = new MappingCatalog(dir.toString());

        assertThat(withOverrides.find("salesforce", "Account").orElseThrow().map(SalesforceRecords.account("001A")).structuredData())
                .containsExactly(entry("name", "ACME CORPORATION"));
        assertThat(withOverrides.find("salesforce", "Contact")).as("other built-ins stay").isPresent();
    }

    @Test
    void taskMapsToANoteLinkedToWhatItIsAboutByTheIdsPrefix() {
        MappedRecord note = mapping("Task").map(SalesforceRecords.task("00TD000000ABcdeMAC", "006D000000CfKqBIAV", "003D000000Q8ZcYIAV"));

        assertThat(note.shardType()).isEqualTo("c_note");
        assertThat(note.externalVersion()).isEqualTo("2024-06-03T09:05:00.000+0000");
        assertThat(note.structuredData()).containsExactly(
                entry("kind", "task"),
                entry("title", "Call"),
                entry("body", "Talked about the renewal."),
                entry("author", "005D0000001AbCdIAK"),
                entry("createdAt", "2024-06-03T09:00:00Z"),
                entry("updatedAt", "2024-06-03T09:05:00Z"),
                entry("extras", Map.of("subtype", "Call", "date", "2024-06-03", "status", "Completed", "priority", "High")));
        assertThat(note.relationships()).containsExactly(
                new RelationshipRef("about", "Opportunity", "c_opportunity", "006D000000CfKqBIAV"),
                new RelationshipRef("with", "Contact", "c_contact", "003D000000Q8ZcYIAV"),
                new RelationshipRef("belongs_to", "Account", "c_company", "001D000000IRFmaIAH"));

        // about an account, with a lead: the lead has no mapping, so no link to it
        MappedRecord aboutAccount = mapping("Task").map(SalesforceRecords.task("00TD000000ABcdfMAC", "001D000000IRFmaIAH", "00QD000000Lx1aBMAR"));
        assertThat(aboutAccount.relationships()).containsExactly(
                new RelationshipRef("about", "Account", "c_company", "001D000000IRFmaIAH"),
                new RelationshipRef("belongs_to", "Account", "c_company", "001D000000IRFmaIAH"));
        assertThat(mapping("Task").sourceFields()).contains("WhatId", "WhoId", "AccountId", "Subject", "Description");
    }

    @Test
    void eventMapsToANoteWithItsTimesAndPlace() {
        MappedRecord note = mapping("Event").map(SalesforceRecords.event("00UD000000XyZabMAE", "006D000000CfKqBIAV", null));

        assertThat(note.structuredData()).containsExactly(
                entry("kind", "event"),
                entry("title", "Demo: Platform Upgrade"),
                entry("body", null),
                entry("author", "005D0000001AbCdIAK"),
                entry("createdAt", "2024-06-01T00:00:00Z"),
                entry("updatedAt", "2024-06-01T00:00:00Z"),
                entry("extras", Map.of("start", "2024-06-10T14:30:00Z", "end", "2024-06-10T15:15:00Z", "allDay", false,
                        "durationMinutes", 45, "date", "2024-06-10", "location", "Zoom")));
        assertThat(note.relationships()).extracting(RelationshipRef::type).containsExactly("about", "belongs_to");
    }

    @Test
    void notesWriteBackWhatAUserMayChangeAndNotWhatSalesforceDerives() {
        assertThat(mapping("Task").writableTargets()).containsExactly("title", "body", "extras.date", "extras.status",
                "extras.priority");
        assertThat(mapping("Event").writableTargets()).containsExactly("title", "body", "extras.start", "extras.end",
                "extras.allDay", "extras.location");
        assertThat(mapping("Event").reverse(Map.of("extras", Map.of("start", "2024-06-11T09:00:00Z", "durationMinutes", 30), "kind", "x")))
                .containsExactly(entry("StartDateTime", "2024-06-11T09:00:00Z"));
    }

    private EntityMapping mapping(String entity) {
        return catalog.find("salesforce", entity).orElseThrow();
    }

    private static Map<String, Object> nullMap(String... keys) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : keys) {
            map.put(key, null);
        }
        return map;
    }
}
