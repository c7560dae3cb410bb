package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static sandbox.salesforce.SandboxFixture.DATA;
import static sandbox.salesforce.SandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

class SalesforceQueryTest {

    private static final int ACCOUNTS = 1050;
    private final SandboxFixture sandbox = new SandboxFixture(ACCOUNTS, 500);

    @Test
    void pagesThroughCursorWithExactTotalsAndNoGapsOrRepeats() throws Exception {
        String token = sandbox.login("admin@sandbox.example");
        MockHttpServletResponse first = sandbox.query("query",
                "SELECT Id, Name, SystemModstamp FROM Account WHERE SystemModstamp >= 2024-01-01T00:00:00Z "
                        + "ORDER BY SystemModstamp ASC", token);
        assertThat(first.getStatus()).isEqualTo(200);
        assertThat(first.getContentType()).isEqualTo("application/json;charset=UTF-8");
        JsonNode page = json(first);
        Set<String> ids = new LinkedHashSet<>();
        List<String> stamps = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            assertThat(page.get("totalSize").asInt()).isEqualTo(ACCOUNTS);
            for (JsonNode record : page.get("records")) {
                assertThat(ids.add(record.get("Id").asText())).isTrue();
                stamps.add(record.get("SystemModstamp").asText());
            }
            if (page.get("done").asBoolean()) {
                assertThat(page.has("nextRecordsUrl")).isFalse();
                break;
            }
            String next = page.get("nextRecordsUrl").asText();
            // camel requests instance_url + nextRecordsUrl, so no /sandbox/salesforce prefix here
            assertThat(next).matches("/services/data/v59\\.0/query/01g[0-9A-Za-z]{15}-\\d+");
            assertThat(next).endsWith("-" + ids.size());
            page = json(sandbox.get("/sandbox/salesforce" + next, token));
        }
        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(ACCOUNTS);
        assertThat(stamps).isSorted();
        assertThat(stamps.get(0)).isEqualTo("2025-01-01T00:00:00.000+0000");
    }

    @Test
    void recordsCarryAttributesThenFieldsInSelectOrder() throws Exception {
        String token = sandbox.login("admin@sandbox.example");
        JsonNode page = json(sandbox.query("query",
                "SELECT SystemModstamp, Name, BillingAddress, Id, AnnualRevenue FROM Account LIMIT 3", token));
        assertThat(page.get("totalSize").asInt()).isEqualTo(3);
        assertThat(page.get("done").asBoolean()).isTrue();
        JsonNode record = page.get("records").get(0);
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("attributes", "SystemModstamp", "Name", "BillingAddress", "Id", "AnnualRevenue");
        assertThat(record.get("attributes").get("type").asText()).isEqualTo("Account");
        assertThat(record.get("attributes").get("url").asText())
                .isEqualTo("/services/data/v59.0/sobjects/Account/" + record.get("Id").asText());
        assertThat(record.get("BillingAddress").has("postalCode")).isTrue();
    }

    @Test
    void batchSizeHeaderPlusAndTrailingSlashForms() throws Exception {
        String token = sandbox.login("admin@sandbox.example");
        MockHttpServletResponse response = sandbox.perform(SandboxFixture.authorized(
                get(URI.create(DATA + "/query?q=SELECT+Id+FROM+Contact")).header("Sforce-Query-Options", "batchSize=250"), token));
        JsonNode page = json(response);
        assertThat(page.get("totalSize").asInt()).isEqualTo(2 * ACCOUNTS);
        assertThat(page.get("records")).hasSize(250);
        assertThat(page.get("nextRecordsUrl").asText()).endsWith("-250");
        // below the minimum is raised to 200
        page = json(sandbox.perform(SandboxFixture.authorized(
                get(URI.create(DATA + "/query/?q=SELECT%20Id%20FROM%20Contact")).header("Sforce-Query-Options", "batchSize=10"),
                token)));
        assertThat(page.get("records")).hasSize(200);
        // the cursor keeps its batch size on later pages
        page = json(sandbox.get("/sandbox/salesforce" + page.get("nextRecordsUrl").asText(), token));
        assertThat(page.get("records")).hasSize(200);
    }

    @Test
    void countAndIncrementalWindow() throws Exception {
        String token = sandbox.login("admin@sandbox.example");
        JsonNode count = json(sandbox.query("query", "SELECT COUNT() FROM Opportunity", token));
        assertThat(count.get("totalSize").asInt()).isEqualTo(ACCOUNTS);
        assertThat(count.get("records")).isEmpty();
        // seeded stamps: 4 records per second-slot group; accounts at 0, 4, 8, ...
        JsonNode later = json(sandbox.query("query",
                "SELECT Id FROM Account WHERE SystemModstamp > 2025-01-01T00:00:40Z", token));
        assertThat(later.get("totalSize").asInt()).isEqualTo(ACCOUNTS - 11);
    }

    @Test
    void badSoqlAndLocatorsGetSalesforceErrors() throws Exception {
        String token = sandbox.login("admin@sandbox.example");
        assertError(sandbox.query("query", "SELECT Foo FROM Account", token), "INVALID_FIELD");
        assertError(sandbox.query("query", "SELECT Id FROM Foo", token), "INVALID_TYPE");
        assertError(sandbox.query("query", "SELECT Id FROM", token), "MALFORMED_QUERY");
        assertError(sandbox.get(DATA + "/query/", token), "MALFORMED_QUERY");
        assertError(sandbox.get(DATA + "/query/01g5A0000000999AAA-500", token), "INVALID_QUERY_LOCATOR");
        assertError(sandbox.get(DATA + "/query/garbage", token), "INVALID_QUERY_LOCATOR");
        JsonNode page = json(sandbox.query("query", "SELECT Id FROM Account", token));
        String next = page.get("nextRecordsUrl").asText();
        String cursor = next.substring(next.lastIndexOf('/') + 1, next.lastIndexOf('-'));
        assertError(sandbox.get(DATA + "/query/" + cursor + "-" + ACCOUNTS, token), "INVALID_QUERY_LOCATOR");
        // a locator can be read under queryAll too, and is closed once read to the end
        JsonNode second = json(sandbox.get(DATA + "/queryAll/" + cursor + "-1000", token));
        assertThat(second.get("done").asBoolean()).isTrue();
        assertThat(second.get("records")).hasSize(ACCOUNTS - 1000);
        assertError(sandbox.get(DATA + "/query/" + cursor + "-1000", token), "INVALID_QUERY_LOCATOR");
    }

    @Test
    void cursorsAreSnapshotsAndQueryAllShowsDeletions() throws Exception {
        String token = sandbox.login("admin@sandbox.example");
        JsonNode page = json(sandbox.query("query", "SELECT Id, Name FROM Account ORDER BY Name", token));
        String next = page.get("nextRecordsUrl").asText();
        String firstId = page.get("records").get(0).get("Id").asText();
        assertThat(sandbox.perform(SandboxFixture.authorized(delete(DATA + "/sobjects/Account/" + firstId), token))
                .getStatus()).isEqualTo(204);
        JsonNode rest = json(sandbox.get("/sandbox/salesforce" + next, token));
        assertThat(rest.get("totalSize").asInt()).isEqualTo(ACCOUNTS);

        JsonNode live = json(sandbox.query("query", "SELECT Id FROM Account WHERE Id = '" + firstId + "'", token));
        assertThat(live.get("totalSize").asInt()).isZero();
        JsonNode all = json(sandbox.query("queryAll", "SELECT Id, IsDeleted FROM Account WHERE Id = '" + firstId + "'",
                token));
        assertThat(all.get("totalSize").asInt()).isEqualTo(1);
        assertThat(all.get("records").get(0).get("IsDeleted").asBoolean()).isTrue();
        // the account's contacts went to the recycle bin with it
        JsonNode contacts = json(sandbox.query("queryAll",
                "SELECT Id FROM Contact WHERE AccountId = '" + firstId + "' AND IsDeleted = true", token));
        assertThat(contacts.get("totalSize").asInt()).isEqualTo(2);
    }

    @Test
    void limitInfoCountsEveryAuthenticatedCallPerOrg() throws Exception {
        String token = sandbox.login("admin@sandbox.example");
        assertThat(sandbox.get(DATA + "/limits/", token).getHeader("Sforce-Limit-Info")).isEqualTo("api-usage=1/15000");
        MockHttpServletResponse second = sandbox.query("query", "SELECT Foo FROM Account", token);
        assertThat(second.getHeader("Sforce-Limit-Info")).isEqualTo("api-usage=2/15000");
        JsonNode limits = json(sandbox.get(DATA + "/limits", token));
        assertThat(limits.get("DailyApiRequests").get("Max").asInt()).isEqualTo(15000);
        assertThat(limits.get("DailyApiRequests").get("Remaining").asInt()).isEqualTo(15000 - 3);

        String other = sandbox.login("admin+limits@sandbox.example");
        assertThat(sandbox.get(DATA + "/limits", other).getHeader("Sforce-Limit-Info")).isEqualTo("api-usage=1/15000");

        MockHttpServletResponse versions = sandbox.perform(get("/sandbox/salesforce/services/data/"));
        assertThat(versions.getHeader("Sforce-Limit-Info")).isNull();
        assertThat(versions.getStatus()).isEqualTo(200);
        List<String> listed = new ArrayList<>();
        json(versions).forEach(v -> listed.add(v.get("version").asText()));
        assertThat(listed).contains("50.0", "59.0", "62.0");
        assertThat(json(versions).get(0).get("label").asText()).isEqualTo("Winter '21");
        assertThat(sandbox.perform(get("/sandbox/salesforce/services/data")).getStatus()).isEqualTo(200);

        JsonNode resources = json(sandbox.get(DATA + "/", token));
        assertThat(resources.get("query").asText()).isEqualTo("/services/data/v59.0/query");
        assertThat(resources.get("identity").asText()).startsWith(SandboxFixture.BASE + "/id/");
        MockHttpServletResponse unknown = sandbox.get(DATA + "/nothing/here", token);
        assertThat(unknown.getStatus()).isEqualTo(404);
        assertThat(json(unknown).get(0).get("errorCode").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void orgsAreIsolated() throws Exception {
        String a = sandbox.login("admin+alpha@sandbox.example");
        String b = sandbox.login("admin+beta@sandbox.example");
        JsonNode pageA = json(sandbox.query("query", "SELECT Id, Name FROM Account ORDER BY SystemModstamp LIMIT 1", a));
        JsonNode pageB = json(sandbox.query("query", "SELECT Id, Name FROM Account ORDER BY SystemModstamp LIMIT 1", b));
        String idA = pageA.get("records").get(0).get("Id").asText();
        String idB = pageB.get("records").get(0).get("Id").asText();
        assertThat(idA).isNotEqualTo(idB);
        assertThat(pageA.get("records").get(0).get("Name")).isEqualTo(pageB.get("records").get(0).get("Name"));

        assertThat(sandbox.perform(SandboxFixture.authorized(delete(DATA + "/sobjects/Account/" + idA), a)).getStatus())
                .isEqualTo(204);
        assertThat(json(sandbox.query("query", "SELECT COUNT() FROM Account", a)).get("totalSize").asInt())
                .isEqualTo(ACCOUNTS - 1);
        assertThat(json(sandbox.query("query", "SELECT COUNT() FROM Account", b)).get("totalSize").asInt())
                .isEqualTo(ACCOUNTS);
        // another org's record id is simply not there
        assertThat(sandbox.get(DATA + "/sobjects/Account/" + idB, a).getStatus()).isEqualTo(404);
        // cursors belong to their org
        JsonNode paged = json(sandbox.query("query", "SELECT Id FROM Account", a));
        assertError(sandbox.get("/sandbox/salesforce" + paged.get("nextRecordsUrl").asText(), b), "INVALID_QUERY_LOCATOR");
    }

    private static void assertError(MockHttpServletResponse response, String errorCode) throws Exception {
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentType()).isEqualTo("application/json;charset=UTF-8");
        JsonNode body = json(response);
        assertThat(body.isArray()).isTrue();
        assertThat(body.get(0).get("errorCode").asText()).isEqualTo(errorCode);
        assertThat(body.get(0).get("message").asText()).isNotBlank();
    }
}
