package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static sandbox.salesforce.SandboxFixture.DATA;
import static sandbox.salesforce.SandboxFixture.authorized;
import static sandbox.salesforce.SandboxFixture.json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.fasterxml.jackson.databind.JsonNode;

/** The Lead object: described, queried, created, read, updated, deleted and reported as updated and deleted, as Salesforce does. */
class SalesforceLeadObjectTest {

    private final SandboxFixture sandbox = new SandboxFixture(100, 2000);
    private String token;

    @BeforeEach
    void login() throws Exception {
        token = sandbox.login("admin@sandbox.example");
    }

    @Test
    void describesLeadWithItsAddressAndStatus() throws Exception {
        JsonNode describe = json(sandbox.get(DATA + "/sobjects/Lead/describe", token));
        assertThat(describe.get("keyPrefix").asText()).isEqualTo("00Q");
        List<String> names = new ArrayList<>();
        describe.get("fields").forEach(f -> names.add(f.get("name").asText()));
        assertThat(names).containsSubsequence("Id", "LastName", "FirstName", "Name", "Title", "Company", "Street", "City",
                "State", "PostalCode", "Country", "Address", "Phone", "MobilePhone", "Email", "LeadSource", "Status", "IsConverted",
                "CreatedDate", "LastModifiedDate", "SystemModstamp");
        JsonNode contact = json(sandbox.get(DATA + "/sobjects/Contact/describe", token));
        List<String> contactFields = new ArrayList<>();
        contact.get("fields").forEach(f -> contactFields.add(f.get("name").asText()));
        assertThat(contactFields).contains("MailingStreet", "MailingState", "MailingPostalCode", "MailingAddress", "Birthdate");
    }

    @Test
    void seededLeadsAreQueriedLikeAnyObject() throws Exception {
        JsonNode page = json(sandbox.query("query", "SELECT Id, Name, Company, Email, Street, PostalCode, Status, IsConverted "
                + "FROM Lead ORDER BY SystemModstamp", token));
        assertThat(page.get("totalSize").asInt()).isEqualTo(50);
        JsonNode first = page.get("records").get(0);
        assertThat(first.at("/attributes/type").asText()).isEqualTo("Lead");
        assertThat(first.get("Id").asText()).startsWith("00Q5A");
        assertThat(first.get("IsConverted").asBoolean()).isFalse();
        assertThat(first.get("Company").asText()).isNotBlank();
        JsonNode byCompany = json(sandbox.query("query", "SELECT Id FROM Lead WHERE Company = '"
                + first.get("Company").asText().replace("'", "\\'") + "'", token));
        assertThat(byCompany.get("records")).extracting(r -> r.get("Id").asText()).contains(first.get("Id").asText());
    }

    @Test
    void createsReadsUpdatesAndDeletesALead() throws Exception {
        MockHttpServletResponse created = send(post(DATA + "/sobjects/Lead"), "{\"FirstName\":\"Kim\",\"LastName\":\"Ng\","
                + "\"Company\":\"Globex\",\"Email\":\"kim@globex.example\",\"Street\":\"1 Market St\",\"City\":\"San Francisco\","
                + "\"State\":\"CA\",\"PostalCode\":\"94105\",\"Country\":\"USA\"}");
        assertThat(created.getStatus()).isEqualTo(201);
        String id = json(created).get("id").asText();
        assertThat(id).startsWith("00Q5A").hasSize(18);

        JsonNode lead = json(sandbox.get(DATA + "/sobjects/Lead/" + id, token));
        assertThat(lead.get("Name").asText()).isEqualTo("Kim Ng");
        // what Salesforce defaults on a new lead
        assertThat(lead.get("Status").asText()).isEqualTo("Open - Not Contacted");
        assertThat(lead.get("IsConverted").asBoolean()).isFalse();
        assertThat(lead.at("/Address/postalCode").asText()).isEqualTo("94105");
        assertThat(lead.at("/Address/street").asText()).isEqualTo("1 Market St");

        // a lead without a company is accepted (an org with person accounts); without a last name it is not
        MockHttpServletResponse noCompany = send(post(DATA + "/sobjects/Lead"), "{\"LastName\":\"Solo\"}");
        assertThat(noCompany.getStatus()).isEqualTo(201);
        MockHttpServletResponse noName = send(post(DATA + "/sobjects/Lead"), "{\"Company\":\"Globex\"}");
        assertThat(noName.getStatus()).isEqualTo(400);
        assertThat(json(noName).get(0).get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        // IsConverted is the conversion's business, never an update's
        assertThat(send(patch(DATA + "/sobjects/Lead/" + id), "{\"IsConverted\":true}").getStatus()).isEqualTo(400);

        sandbox.clock.advance(Duration.ofSeconds(5));
        assertThat(send(patch(DATA + "/sobjects/Lead/" + id), "{\"FirstName\":\"Kimberly\",\"Status\":\"Working - Contacted\"}")
                .getStatus()).isEqualTo(204);
        lead = json(sandbox.get(DATA + "/sobjects/Lead/" + id, token));
        assertThat(lead.get("Name").asText()).isEqualTo("Kimberly Ng");
        assertThat(lead.get("Status").asText()).isEqualTo("Working - Contacted");
        JsonNode updated = json(sandbox.get(DATA + "/sobjects/Lead/updated?start=2025-06-01T12:00:01Z&end=2025-06-01T13:00:00Z",
                token));
        assertThat(updated.get("ids")).extracting(JsonNode::asText).containsExactly(id);

        sandbox.clock.advance(Duration.ofSeconds(5));
        assertThat(sandbox.perform(authorized(delete(DATA + "/sobjects/Lead/" + id), token)).getStatus()).isEqualTo(204);
        sandbox.clock.advance(Duration.ofSeconds(1));
        JsonNode deleted = json(sandbox.get(DATA + "/sobjects/Lead/deleted?start=2025-06-01T12:00:00Z&end=2025-06-01T13:00:00Z",
                token));
        assertThat(deleted.get("deletedRecords")).extracting(d -> d.get("id").asText()).containsExactly(id);
        assertThat(sandbox.changes).filteredOn(c -> c.type().equals("Lead")).extracting(SandboxFixture.Change::changeType)
                .containsExactly("created", "created", "updated", "deleted");
    }

    @Test
    void aTaskMayBeAboutALead() throws Exception {
        String lead = json(sandbox.query("query", "SELECT Id FROM Lead ORDER BY SystemModstamp LIMIT 1", token))
                .get("records").get(0).get("Id").asText();
        MockHttpServletResponse task = send(post(DATA + "/sobjects/Task"), "{\"Subject\":\"Call\",\"WhoId\":\"" + lead + "\"}");
        assertThat(task.getStatus()).isEqualTo(201);
        String taskId = json(task).get("id").asText();
        assertThat(sandbox.perform(authorized(delete(DATA + "/sobjects/Lead/" + lead), token)).getStatus()).isEqualTo(204);
        // deleting the lead took its task along, as Salesforce does
        assertThat(sandbox.get(DATA + "/sobjects/Task/" + taskId, token).getStatus()).isEqualTo(404);
    }

    private MockHttpServletResponse send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return sandbox.perform(authorized(request, token).contentType("application/json;charset=utf-8").content(body));
    }
}
