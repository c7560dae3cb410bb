package processors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What matching compares of a person, from every provider's contacts and from Salesforce leads: the mailing address
 * (street, city, state, postalCode, country) and the birth date as yyyy-MM-dd, written back where the provider takes
 * them; and a lead's company, derived read only from its Company, email domain, phone and address.
 */
class PersonFieldsMappingsTest {

    private static final List<String> ADDRESS_AND_BIRTH = List.of("street", "city", "state", "postalCode", "country", "birthDate");

    private final MappingCatalog catalog = new MappingCatalog("");

    private EntityMapping mapping(String provider, String entity) {
        return catalog.find(provider, entity).orElseThrow();
    }

    @Test
    void aSalesforceContactCarriesItsMailingAddressAndBirthdateBothWays() {
        Map<String, Object> record = SalesforceRecords.contact("003A", "001A");
        record.put("MailingStreet", "12 Baker Street\nFlat 2");
        record.put("MailingState", null);
        record.put("MailingPostalCode", "NW1 6XE");
        record.put("Birthdate", "1815-12-10");
        EntityMapping contact = mapping("salesforce", "Contact");
        Map<String, Object> data = contact.map(record).structuredData();

        assertThat(data).contains(entry("street", "12 Baker Street\nFlat 2"), entry("city", "London"), entry("state", null),
                entry("postalCode", "NW1 6XE"), entry("country", "UK"), entry("birthDate", "1815-12-10"));
        assertThat(contact.reverse(data)).contains(entry("MailingStreet", "12 Baker Street\nFlat 2"),
                entry("MailingPostalCode", "NW1 6XE"), entry("Birthdate", "1815-12-10"));
        assertThat(ADDRESS_AND_BIRTH).allSatisfy(f -> assertThat(contact.isWritable(f)).as(f).isTrue());
        assertThat(contact.field("street").orElseThrow().maxLength()).isEqualTo(255);
        assertThat(contact.field("postalCode").orElseThrow().maxLength()).isEqualTo(20);
    }

    @Test
    void aHubSpotContactCarriesItsAddressAndDateOfBirth() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", "101");
        record.put("lastmodifieddate", "2024-03-05T10:15:30.000Z");
        record.put("lastname", "Lovelace");
        record.put("address", "12 Baker Street");
        record.put("city", "London");
        record.put("state", null);
        record.put("zip", "NW1 6XE");
        record.put("country", "United Kingdom");
        record.put("date_of_birth", " 1815-12-10 ");
        EntityMapping contact = mapping("hubspot", "contacts");
        Map<String, Object> data = contact.map(record).structuredData();

        assertThat(data).contains(entry("street", "12 Baker Street"), entry("city", "London"), entry("state", null),
                entry("postalCode", "NW1 6XE"), entry("country", "United Kingdom"), entry("birthDate", "1815-12-10"));
        assertThat(contact.reverse(data)).contains(entry("address", "12 Baker Street"), entry("zip", "NW1 6XE"),
                entry("date_of_birth", "1815-12-10"));
        // a date of birth typed otherwise into HubSpot's text property fails the record, naming the field
        record.put("date_of_birth", "10 Dec 1815");
        assertThatThrownBy(() -> contact.map(record)).isInstanceOf(MappingException.class).hasMessageContaining("date_of_birth");
    }

    @Test
    void aDynamicsContactCarriesItsAddress1AndBirthdate() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("contactid", "6f1c7c3e-0000-0000-0000-000000000001");
        record.put("@odata.etag", "W/\"1\"");
        record.put("modifiedon", "2024-03-05T10:15:30Z");
        record.put("lastname", "Lovelace");
        record.put("address1_line1", "12 Baker Street");
        record.put("address1_city", "London");
        record.put("address1_stateorprovince", "Greater London");
        record.put("address1_postalcode", "NW1 6XE");
        record.put("address1_country", "United Kingdom");
        record.put("birthdate", "1815-12-10");
        EntityMapping contact = mapping("dynamics365", "contacts");
        Map<String, Object> data = contact.map(record).structuredData();

        assertThat(data).contains(entry("street", "12 Baker Street"), entry("state", "Greater London"),
                entry("postalCode", "NW1 6XE"), entry("birthDate", "1815-12-10"));
        assertThat(contact.reverse(data)).contains(entry("address1_line1", "12 Baker Street"),
                entry("address1_stateorprovince", "Greater London"), entry("address1_postalcode", "NW1 6XE"),
                entry("birthdate", "1815-12-10"));
        assertThat(contact.field("street").orElseThrow().maxLength()).isEqualTo(250);
        assertThat(contact.field("state").orElseThrow().maxLength()).isEqualTo(50);
    }

    @Test
    void aLeadIsAContactAndDerivesTheCompanyItWorksAt() {
        EntityMapping lead = mapping("salesforce", "Lead");
        MappedRecord mapped = lead.map(lead("00QA", " Globex Corporation ", " Kim.Ng@Globex.COM "));

        assertThat(mapped.shardType()).isEqualTo("c_contact");
        assertThat(mapped.structuredData()).contains(entry("firstName", "Kim"), entry("lastName", "Ng"), entry("fullName", "Kim Ng"),
                entry("email", "kim.ng@globex.com"), entry("phone", "+1 415 555 0100"), entry("street", "1 Market St"),
                entry("city", "San Francisco"), entry("state", "CA"), entry("postalCode", "94105"), entry("country", "USA"),
                entry("leadSource", "Web"), entry("leadStatus", "Open - Not Contacted"), entry("converted", false));
        assertThat(mapped.relationships()).containsExactly(new RelationshipRef("works_at", "Lead.company", "c_company", "00QA"));
        MappedRecord.Derived company = mapped.derived().get(0);
        assertThat(company.entity()).isEqualTo("Lead.company");
        assertThat(company.record().structuredData()).containsExactly(entry("name", "Globex Corporation"),
                entry("domain", "globex.com"), entry("phone", "+1 415 555 0100"), entry("address", Map.of("street", "1 Market St",
                        "city", "San Francisco", "state", "CA", "postalCode", "94105", "country", "USA")));
        // the lead's own fields go back to the lead; the company is never written back
        assertThat(lead.reverse(mapped.structuredData())).containsOnlyKeys("FirstName", "LastName", "Email", "Phone", "MobilePhone",
                "Title", "Street", "City", "State", "PostalCode", "Country", "LeadSource", "Status");
        assertThat(lead.isWritable("converted")).isFalse();
        assertThat(lead.derived().get(0).fields()).allSatisfy(f -> assertThat(f.writable()).isFalse());
    }

    @Test
    void aLeadWithoutACompanyIsAContactAlone() {
        EntityMapping lead = mapping("salesforce", "Lead");
        for (String company : new String[] {null, "   "}) {
            MappedRecord mapped = lead.map(lead("00QB", company, "kim@gmail.com"));
            assertThat(mapped.derived()).as(String.valueOf(company)).isEmpty();
            assertThat(mapped.relationships()).isEmpty();
        }
        // a free mail address names no company's domain
        MappedRecord atGmail = lead.map(lead("00QC", "Initech", "kim@gmail.com"));
        assertThat(atGmail.derived().get(0).record().structuredData()).containsEntry("domain", null);
    }

    private static Map<String, Object> lead(String id, String company, String email) {
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("attributes", Map.of("type", "Lead"));
        lead.put("Id", id);
        lead.put("FirstName", "Kim");
        lead.put("LastName", "Ng");
        lead.put("Name", "Kim Ng");
        lead.put("Title", "CFO");
        lead.put("Company", company);
        lead.put("Street", "1 Market St");
        lead.put("City", "San Francisco");
        lead.put("State", "CA");
        lead.put("PostalCode", "94105");
        lead.put("Country", "USA");
        lead.put("Phone", "+1 415 555 0100");
        lead.put("MobilePhone", null);
        lead.put("Email", email);
        lead.put("LeadSource", "Web");
        lead.put("Status", "Open - Not Contacted");
        lead.put("IsConverted", false);
        lead.put("CreatedDate", "2024-01-02T08:30:00.000+0000");
        lead.put("LastModifiedDate", "2024-02-02T09:00:00.000+0000");
        lead.put("SystemModstamp", "2024-02-02T09:00:00.000+0000");
        return lead;
    }
}
