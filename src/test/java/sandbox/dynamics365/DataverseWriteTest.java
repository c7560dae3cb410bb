package sandbox.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.dynamics365.DynamicsFixture.api;
import static sandbox.dynamics365.DynamicsFixture.filtered;
import static sandbox.dynamics365.DynamicsFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/** Create, update, upsert and delete, with lookups bound by navigation property and optimistic concurrency. */
class DataverseWriteTest {

    private static final String ORG = "writes";

    private final DynamicsFixture sandbox = new DynamicsFixture(5);
    private String token;
    private String accountId;

    @BeforeEach
    void setUp() throws Exception {
        token = sandbox.token(ORG);
        accountId = json(sandbox.get(ORG, "accounts?$select=name&$top=1", token)).get("value").get(0).get("accountid").asText();
    }

    @Test
    void createAnswers204WithTheRowsUrlOrTheRowItselfWhenAsked() throws Exception {
        MockHttpServletResponse created = sandbox.send(HttpMethod.POST, ORG, "accounts", token,
                "{\"name\":\"Sample Account\",\"telephone1\":\"555-0100\",\"revenue\":5000000,"
                        + "\"parentaccountid@odata.bind\":\"/accounts(" + accountId + ")\"}");
        assertThat(created.getStatus()).isEqualTo(204);
        String entityId = created.getHeader("OData-EntityId");
        assertThat(entityId).matches(java.util.regex.Pattern.quote(api(ORG) + "accounts(") + "[0-9a-f-]{36}\\)");
        String id = entityId.substring(entityId.indexOf('(') + 1, entityId.length() - 1);
        MockHttpServletResponse read = sandbox.get(ORG, "accounts(" + id + ")", token);
        assertThat(read.getContentAsString()).as("money has four decimals").contains("\"revenue\":5000000.0000,");
        JsonNode row = json(read);
        assertThat(row.get("name").asText()).isEqualTo("Sample Account");
        assertThat(row.get("revenue").decimalValue()).isEqualByComparingTo("5000000");
        assertThat(row.get("_parentaccountid_value").asText()).isEqualTo(accountId);
        assertThat(row.get("statecode").asInt()).isZero();
        assertThat(row.get("createdon").asText()).isEqualTo(row.get("modifiedon").asText());
        assertThat(row.get("_ownerid_value").asText()).isEqualTo(row.get("_createdby_value").asText());

        MockHttpServletResponse represented = sandbox.perform(sandbox.request(HttpMethod.POST, ORG, "contacts?$select=fullname", token)
                .header("Prefer", "return=representation").contentType("application/json; charset=utf-8")
                .content("{\"firstname\":\"Ann\",\"lastname\":\"Lee\","
                        + "\"parentcustomerid_account@odata.bind\":\"" + api(ORG) + "accounts(" + accountId + ")\"}"));
        assertThat(represented.getStatus()).isEqualTo(201);
        assertThat(represented.getHeader("Preference-Applied")).isEqualTo("return=representation");
        assertThat(represented.getHeader("OData-EntityId")).isNull();
        JsonNode contact = json(represented);
        assertThat(contact.get("@odata.context").asText()).isEqualTo(api(ORG) + "$metadata#contacts(fullname)/$entity");
        assertThat(contact.get("fullname").asText()).isEqualTo("Ann Lee");
        assertThat(contact.get("@odata.etag").asText()).startsWith("W/\"");
        JsonNode stored = json(sandbox.get(ORG, "contacts(" + contact.get("contactid").asText() + ")?$select=_parentcustomerid_value", token));
        assertThat(stored.get("_parentcustomerid_value").asText()).isEqualTo(accountId);
    }

    @Test
    void anUpdateBumpsTheVersionAndAStaleEtagGets412() throws Exception {
        JsonNode before = json(sandbox.get(ORG, "accounts(" + accountId + ")?$select=name,modifiedon,versionnumber", token));
        String etag = before.get("@odata.etag").asText();
        assertThat(etag).isEqualTo("W/\"" + before.get("versionnumber").asLong() + "\"");
        sandbox.clock.advance(Duration.ofSeconds(5));

        MockHttpServletResponse updated = sandbox.perform(sandbox.request(HttpMethod.PATCH, ORG, "accounts(" + accountId + ")", token)
                .header("If-Match", etag).contentType("application/json").content("{\"name\":\"Renamed\",\"fax\":null}"));
        assertThat(updated.getStatus()).isEqualTo(204);
        assertThat(updated.getHeader("OData-EntityId")).isEqualTo(api(ORG) + "accounts(" + accountId + ")");
        JsonNode after = json(sandbox.get(ORG, "accounts(" + accountId + ")?$select=name,modifiedon,versionnumber,fax", token));
        assertThat(after.get("name").asText()).isEqualTo("Renamed");
        assertThat(after.get("fax").isNull()).isTrue();
        assertThat(after.get("versionnumber").asLong()).isGreaterThan(before.get("versionnumber").asLong());
        assertThat(after.get("@odata.etag").asText()).isNotEqualTo(etag);
        assertThat(Instant.parse(after.get("modifiedon").asText())).isEqualTo(sandbox.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

        MockHttpServletResponse stale = sandbox.perform(sandbox.request(HttpMethod.PATCH, ORG, "accounts(" + accountId + ")", token)
                .header("If-Match", etag).contentType("application/json").content("{\"name\":\"Lost update\"}"));
        assertThat(stale.getStatus()).isEqualTo(412);
        assertThat(json(stale).get("error").get("code").asText()).isEqualTo("0x80060882");
        assertThat(json(stale).get("error").get("message").asText())
                .isEqualTo("The version of the existing record doesn't match the RowVersion property provided.");
        assertThat(sandbox.orgs.find(ORG).get(EntitySchema.ACCOUNT, accountId).get("name")).isEqualTo("Renamed");

        MockHttpServletResponse represented = sandbox.perform(sandbox.request(HttpMethod.PATCH, ORG,
                "accounts(" + accountId + ")?$select=name", token).header("If-Match", "*").header("Prefer", "return=representation")
                .contentType("application/json").content("{\"name\":\"Third\"}"));
        assertThat(represented.getStatus()).isEqualTo(200);
        assertThat(json(represented).get("name").asText()).isEqualTo("Third");
    }

    @Test
    void ifMatchAndIfNoneMatchGiveUpdateOnlyCreateOnlyAndUpsert() throws Exception {
        String fresh = "8a0b5c3e-1f2d-4e6a-9b7c-0d1e2f3a4b5c";
        MockHttpServletResponse updateOnly = sandbox.perform(sandbox.request(HttpMethod.PATCH, ORG, "accounts(" + fresh + ")", token)
                .header("If-Match", "*").contentType("application/json").content("{\"name\":\"Nobody\"}"));
        assertThat(updateOnly.getStatus()).isEqualTo(404);
        assertThat(json(updateOnly).get("error").get("code").asText()).isEqualTo("0x80040217");

        MockHttpServletResponse upsert = sandbox.send(HttpMethod.PATCH, ORG, "accounts(" + fresh + ")", token, "{\"name\":\"Upserted\"}");
        assertThat(upsert.getStatus()).isEqualTo(204);
        assertThat(upsert.getHeader("OData-EntityId")).isEqualTo(api(ORG) + "accounts(" + fresh + ")");
        assertThat(json(sandbox.get(ORG, "accounts(" + fresh + ")?$select=name", token)).get("name").asText()).isEqualTo("Upserted");

        MockHttpServletResponse createOnly = sandbox.perform(sandbox.request(HttpMethod.PATCH, ORG, "accounts(" + fresh + ")", token)
                .header("If-None-Match", "*").contentType("application/json").content("{\"name\":\"Again\"}"));
        assertThat(createOnly.getStatus()).isEqualTo(412);
        assertThat(json(createOnly).get("error").get("message").asText()).isEqualTo("A record with matching key values already exists.");

        MockHttpServletResponse duplicate = sandbox.send(HttpMethod.POST, ORG, "accounts", token,
                "{\"accountid\":\"" + fresh + "\",\"name\":\"Same id\"}");
        assertThat(duplicate.getStatus()).isEqualTo(412);
    }

    @Test
    void deleteHonoursIfMatchAndCascadesAsDataverseRelationshipsDo() throws Exception {
        JsonNode account = json(sandbox.get(ORG, "accounts(" + accountId + ")?$select=name", token));
        sandbox.send(HttpMethod.PATCH, ORG, "accounts(" + accountId + ")", token, "{\"fax\":\"1\"}");
        MockHttpServletResponse stale = sandbox.perform(sandbox.request(HttpMethod.DELETE, ORG, "accounts(" + accountId + ")", token)
                .header("If-Match", account.get("@odata.etag").asText()));
        assertThat(stale.getStatus()).isEqualTo(412);

        String child = sandbox.send(HttpMethod.POST, ORG, "accounts", token, "{\"name\":\"Child\",\"parentaccountid@odata.bind\":\"accounts("
                + accountId + ")\"}").getHeader("OData-EntityId").replaceAll(".*\\((.*)\\)", "$1");
        assertThat(json(sandbox.get(ORG, filtered("contacts?$select=fullname", "_parentcustomerid_value eq " + accountId), token))
                .get("value")).hasSize(2);

        MockHttpServletResponse deleted = sandbox.perform(sandbox.request(HttpMethod.DELETE, ORG, "accounts(" + accountId + ")", token));
        assertThat(deleted.getStatus()).isEqualTo(204);
        assertThat(sandbox.get(ORG, "accounts(" + accountId + ")", token).getStatus()).isEqualTo(404);
        // contacts and opportunities of the account go with it; a child account only loses its parent
        assertThat(json(sandbox.get(ORG, filtered("contacts?$select=fullname", "_parentcustomerid_value eq " + accountId), token))
                .get("value")).isEmpty();
        assertThat(json(sandbox.get(ORG, filtered("opportunities?$select=name", "_parentaccountid_value eq " + accountId), token))
                .get("value")).isEmpty();
        assertThat(json(sandbox.get(ORG, "accounts(" + child + ")?$select=_parentaccountid_value", token))
                .get("_parentaccountid_value").isNull()).isTrue();
        assertThat(sandbox.perform(sandbox.request(HttpMethod.DELETE, ORG, "accounts(" + accountId + ")", token)).getStatus())
                .isEqualTo(404);
    }

    @Test
    void aBadBodyIsA400AndALookupToNoRowA404() throws Exception {
        assertError(sandbox.send(HttpMethod.POST, ORG, "accounts", token, "{\"Name\":\"x\"}"), 400, "0x0",
                "An error occurred while validating input parameters: Microsoft.Crm.CrmException: Invalid property 'Name'"
                        + " was found in entity 'Microsoft.Dynamics.CRM.account'. ---> Microsoft.OData.ODataException:"
                        + " Does not support untyped value in non-open type.");
        assertError(sandbox.send(HttpMethod.POST, ORG, "contacts", token, "{\"lastname\":\"x\","
                + "\"parentcustomerid@odata.bind\":\"accounts(" + accountId + ")\"}"), 400, "0x80048d19", null);
        assertError(sandbox.send(HttpMethod.POST, ORG, "accounts", token, "{\"numberofemployees\":\"many\"}"), 400, "0x0",
                "An error occurred while validating input parameters: Microsoft.OData.ODataException: Cannot convert the"
                        + " literal 'many' to the expected type 'Edm.Int32'.");
        assertError(sandbox.send(HttpMethod.POST, ORG, "accounts", token, "{\"statecode\":7}"), 400, "0x8004431a", null);
        assertError(sandbox.send(HttpMethod.POST, ORG, "accounts", token, "{\"name\":\"" + "x".repeat(161) + "\"}"), 400,
                "0x80044331", null);
        assertError(sandbox.send(HttpMethod.POST, ORG, "accounts", token, "{\"_parentaccountid_value\":\"" + accountId + "\"}"),
                400, "0x0", "CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.");
        assertError(sandbox.send(HttpMethod.POST, ORG, "accounts", token, "{not json"), 400, "0x0", null);
        String missing = "00000000-0000-0000-0000-0000000000aa";
        assertError(sandbox.send(HttpMethod.POST, ORG, "contacts", token, "{\"lastname\":\"x\","
                + "\"parentcustomerid_account@odata.bind\":\"/accounts(" + missing + ")\"}"), 404, "0x80040217",
                "Entity 'account' With Id = " + missing + " Does Not Exist");
        assertError(sandbox.send(HttpMethod.PATCH, ORG, "accounts", token, "{}"), 405, "", null);
        assertThat(sandbox.orgs.find(ORG).count(EntitySchema.CONTACT)).isEqualTo(10);
    }

    private static void assertError(MockHttpServletResponse response, int status, String code, String message) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        if (message != null) {
            assertThat(error.get("message").asText()).isEqualTo(message);
        }
    }
}
