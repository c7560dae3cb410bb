package sandbox.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.dynamics365.DynamicsFixture.api;
import static sandbox.dynamics365.DynamicsFixture.filtered;
import static sandbox.dynamics365.DynamicsFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/** Collection queries: $select, $filter, $orderby, $top, $count, paging with odata.maxpagesize, single rows. */
class DataverseQueryTest {

    private static final String ORG = "query";

    private final DynamicsFixture sandbox = new DynamicsFixture(30);
    private String token;

    @BeforeEach
    void token() throws Exception {
        token = sandbox.token(ORG);
    }

    @Test
    void aCollectionHasItsContextEtagsAndOnlyTheSelectedColumnsWithThePrimaryKey() throws Exception {
        MockHttpServletResponse response = sandbox.get(ORG, "accounts?$select=name,telephone1,modifiedon,_parentaccountid_value", token);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("application/json").contains("odata.metadata=minimal");
        assertThat(response.getHeader("OData-Version")).isEqualTo("4.0");
        JsonNode body = json(response);
        assertThat(body.get("@odata.context").asText())
                .isEqualTo(api(ORG) + "$metadata#accounts(name,telephone1,modifiedon,_parentaccountid_value)");
        assertThat(body.get("value")).hasSize(30);
        assertThat(body.has("@odata.nextLink")).isFalse();
        JsonNode first = body.get("value").get(0);
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("@odata.etag", "name", "telephone1", "modifiedon", "_parentaccountid_value",
                "accountid");
        assertThat(first.get("@odata.etag").asText()).matches("W/\"\\d+\"");
        assertThat(first.get("modifiedon").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(first.get("accountid").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(first.get("_parentaccountid_value").isNull()).isTrue();

        // without $select every column comes, nulls included
        JsonNode all = json(sandbox.get(ORG, "contacts?$top=1", token));
        assertThat(all.get("@odata.context").asText()).isEqualTo(api(ORG) + "$metadata#contacts");
        JsonNode contact = all.get("value").get(0);
        for (Column column : EntitySchema.CONTACT.columns()) {
            assertThat(contact.has(column.property())).as(column.property()).isTrue();
        }
        assertThat(contact.get("birthdate").isNull()).isTrue();
        assertThat(contact.get("fullname").asText())
                .isEqualTo(contact.get("firstname").asText("") .isEmpty() ? contact.get("lastname").asText()
                        : contact.get("firstname").asText() + " " + contact.get("lastname").asText());
    }

    @Test
    void filtersCompareAsDataverseDoes() throws Exception {
        List<JsonNode> accounts = values(sandbox.get(ORG, "accounts?$select=name,modifiedon,numberofemployees,statecode", token));
        JsonNode some = accounts.get(7);
        String name = some.get("name").asText();
        String id = some.get("accountid").asText();
        Instant modified = Instant.parse(some.get("modifiedon").asText());

        assertThat(ids(filtered("accounts?$select=name", "name eq '" + name.toUpperCase().replace("'", "''") + "'")))
                .as("text compares case-insensitively").contains(id);
        assertThat(ids(filtered("accounts?$select=name", "accountid eq " + id))).containsExactly(id);
        assertThat(ids(filtered("accounts?$select=name", "accountid ne " + id))).hasSize(29).doesNotContain(id);
        assertThat(ids(filtered("accounts?$select=name", "accountid eq " + id + " or accountid eq "
                + accounts.get(8).get("accountid").asText()))).hasSize(2);
        assertThat(ids(filtered("accounts?$select=name", "statecode eq 0 and accountid eq " + id))).containsExactly(id);
        assertThat(ids(filtered("accounts?$select=name", "statecode eq 1"))).isEmpty();

        // modifiedon: gt, ge, lt, le around one row's time (the seed spreads rows over distinct minutes)
        String at = modified.toString();
        long after = accounts.stream().filter(a -> Instant.parse(a.get("modifiedon").asText()).isAfter(modified)).count();
        long before = accounts.stream().filter(a -> Instant.parse(a.get("modifiedon").asText()).isBefore(modified)).count();
        assertThat(after + before).isEqualTo(29);
        assertThat(ids(filtered("accounts?$select=name", "modifiedon gt " + at))).hasSize((int) after).doesNotContain(id);
        assertThat(ids(filtered("accounts?$select=name", "modifiedon ge " + at))).hasSize((int) after + 1).contains(id);
        assertThat(ids(filtered("accounts?$select=name", "modifiedon lt " + at))).hasSize((int) before);
        assertThat(ids(filtered("accounts?$select=name", "modifiedon le " + at))).hasSize((int) before + 1).contains(id);
        assertThat(ids(filtered("accounts?$select=name", "(modifiedon ge " + at + " and modifiedon le " + at + ") or name eq 'nobody'")))
                .containsExactly(id);

        // functions and null
        String word = name.split(" ")[0];
        assertThat(ids(filtered("accounts?$select=name", "contains(name,'" + word.toLowerCase() + "')"))).contains(id);
        assertThat(ids(filtered("accounts?$select=name", "startswith(name,'" + word + "')"))).contains(id);
        long withoutEmployees = accounts.stream().filter(a -> a.get("numberofemployees").isNull()).count();
        assertThat(ids(filtered("accounts?$select=name", "numberofemployees eq null"))).hasSize((int) withoutEmployees);
        assertThat(ids(filtered("accounts?$select=name", "not (numberofemployees eq null)"))).hasSize(30 - (int) withoutEmployees);

        // lookups by their _value and a GUID
        JsonNode contacts = json(sandbox.get(ORG, filtered("contacts?$select=fullname,_parentcustomerid_value",
                "_parentcustomerid_value eq " + id), token));
        assertThat(contacts.get("value")).hasSize(2);
        assertThat(contacts.get("value").get(0).get("_parentcustomerid_value").asText()).isEqualTo(id);
    }

    @Test
    void aBadFilterIsA400NamingTheProblem() throws Exception {
        assertBadQuery(filtered("accounts", "nmae eq 'x'"),
                "Could not find a property named 'nmae' on type 'Microsoft.Dynamics.CRM.account'.");
        assertBadQuery(filtered("accounts", "name eqq 'x'"), "Syntax error at position 5 in 'name eqq 'x''.");
        assertBadQuery(filtered("accounts", "numberofemployees eq 'many'"), "A binary operator with incompatible types was"
                + " detected. Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'.");
        assertBadQuery(filtered("accounts", "(name eq 'x'"), "')' expected at position 12 in '(name eq 'x''.");
        assertBadQuery(filtered("accounts", "name eq 'x"), "There is an unterminated string literal at position 8 in 'name eq 'x'.");
        assertBadQuery("accounts?$select=name,Name", "Could not find a property named 'Name' on type"
                + " 'Microsoft.Dynamics.CRM.account'.");
        assertBadQuery("accounts?$orderby=nmae%20asc", "Could not find a property named 'nmae' on type"
                + " 'Microsoft.Dynamics.CRM.account'.");
        assertBadQuery("accounts?$top=ten", "Invalid value 'ten' for $top query option found. The $top query option"
                + " requires a non-negative integer value.");
        assertBadQuery("accounts?$select=name&$select=fax", "Query option '$select' was specified more than once, but it"
                + " must be specified at most once.");
        assertThat(json(sandbox.get(ORG, "accounts?$skip=10", token)).get("error").get("message").asText()).contains("$skip");

        MockHttpServletResponse unknownSet = sandbox.get(ORG, "Account", token);
        assertThat(unknownSet.getStatus()).isEqualTo(404);
        assertThat(json(unknownSet).get("error").get("code").asText()).isEqualTo("0x8006088a");
        assertThat(json(unknownSet).get("error").get("message").asText()).isEqualTo("Resource not found for the segment 'Account'.");
    }

    @Test
    void pagesFollowTheNextLinkWithTheSamePreferenceUntilTheLastPage() throws Exception {
        String first = "contacts?$select=fullname,emailaddress1&$orderby=lastname%20asc";
        Set<String> seen = new HashSet<>();
        List<String> lastNames = new ArrayList<>();
        String link = first;
        int pages = 0;
        while (link != null) {
            MockHttpServletResponse response = sandbox.perform(sandbox.request(HttpMethod.GET, ORG, link, token)
                    .header("Prefer", "odata.include-annotations=\"*\",odata.maxpagesize=7"));
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getHeader("Preference-Applied"))
                    .isEqualTo("odata.include-annotations=\"*\",odata.maxpagesize=7");
            JsonNode body = json(response);
            for (JsonNode row : body.get("value")) {
                assertThat(seen.add(row.get("contactid").asText())).as("no row twice").isTrue();
                lastNames.add(sandbox.orgs.find(ORG).get(EntitySchema.CONTACT, row.get("contactid").asText())
                        .get("lastname").toString());
            }
            pages++;
            link = body.has("@odata.nextLink") ? body.get("@odata.nextLink").asText() : null;
            if (link != null) {
                assertThat(body.get("value")).hasSize(7);
                assertThat(link).startsWith(api(ORG) + "contacts?$select=fullname,emailaddress1&$orderby=lastname%20asc&$skiptoken=");
            }
        }
        assertThat(pages).isEqualTo(9);
        assertThat(seen).hasSize(60);
        assertThat(lastNames).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);

        // $top alone: at most that many, no next link; $top with a page size: ignored
        JsonNode top = json(sandbox.get(ORG, "contacts?$select=fullname&$top=5&$count=true", token));
        assertThat(top.get("value")).hasSize(5);
        assertThat(top.get("@odata.count").asInt()).isEqualTo(60);
        assertThat(top.has("@odata.nextLink")).isFalse();
        JsonNode paged = json(sandbox.perform(sandbox.request(HttpMethod.GET, ORG, "contacts?$select=fullname&$top=5", token)
                .header("Prefer", "odata.maxpagesize=50")));
        assertThat(paged.get("value")).hasSize(50);
        assertThat(paged.has("@odata.nextLink")).isTrue();
        assertThat(sandbox.get(ORG, "contacts/$count", token).getContentAsString()).isEqualTo("60");
    }

    @Test
    void annotationsGiveFormattedValuesAndLookupTargetsWhenAskedFor() throws Exception {
        String path = "contacts?$select=fullname,_parentcustomerid_value,modifiedon&$top=1";
        JsonNode plain = json(sandbox.get(ORG, path, token)).get("value").get(0);
        assertThat(plain.has("_parentcustomerid_value@OData.Community.Display.V1.FormattedValue")).isFalse();

        MockHttpServletResponse response = sandbox.perform(sandbox.request(HttpMethod.GET, ORG, path, token)
                .header("Prefer", "odata.include-annotations=\"*\""));
        JsonNode contact = json(response).get("value").get(0);
        String accountId = contact.get("_parentcustomerid_value").asText();
        String accountName = sandbox.orgs.find(ORG).get(EntitySchema.ACCOUNT, accountId).primaryName();
        assertThat(contact.get("_parentcustomerid_value@OData.Community.Display.V1.FormattedValue").asText()).isEqualTo(accountName);
        assertThat(contact.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty").asText())
                .isEqualTo("parentcustomerid_account");
        assertThat(contact.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText()).isEqualTo("account");
        assertThat(contact.get("modifiedon@OData.Community.Display.V1.FormattedValue").asText())
                .matches("\\d{1,2}/\\d{1,2}/\\d{4} \\d{1,2}:\\d\\d (AM|PM)");

        JsonNode opportunity = json(sandbox.perform(sandbox.request(HttpMethod.GET, ORG,
                "opportunities?$select=estimatedvalue,statecode&$top=1", token)
                .header("Prefer", "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\""))).get("value").get(0);
        assertThat(opportunity.get("estimatedvalue@OData.Community.Display.V1.FormattedValue").asText()).matches("\\$[0-9,]+\\.\\d\\d");
        assertThat(opportunity.get("statecode@OData.Community.Display.V1.FormattedValue").asText()).isIn("Open", "Won", "Lost");
        assertThat(opportunity.get("estimatedvalue").isBigDecimal() || opportunity.get("estimatedvalue").isNumber()).isTrue();
    }

    @Test
    void oneRowByItsKeyAndA404ForAnUnknownOne() throws Exception {
        String id = values(sandbox.get(ORG, "accounts?$select=name&$top=1", token)).get(0).get("accountid").asText();
        MockHttpServletResponse response = sandbox.get(ORG, "accounts(" + id + ")?$select=name,telephone1", token);
        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode row = json(response);
        assertThat(row.get("@odata.context").asText()).isEqualTo(api(ORG) + "$metadata#accounts(name,telephone1)/$entity");
        assertThat(row.get("accountid").asText()).isEqualTo(id);
        assertThat(sandbox.get(ORG, "accounts(%7B" + id.toUpperCase() + "%7D)", token).getStatus()).isEqualTo(200);

        MockHttpServletResponse unchanged = sandbox.perform(sandbox.request(HttpMethod.GET, ORG, "accounts(" + id + ")", token)
                .header("If-None-Match", row.get("@odata.etag").asText()));
        assertThat(unchanged.getStatus()).isEqualTo(304);
        assertThat(unchanged.getContentAsByteArray()).isEmpty();

        String missing = "00000000-0000-0000-0000-000000000001";
        MockHttpServletResponse notFound = sandbox.get(ORG, "accounts(" + missing + ")", token);
        assertThat(notFound.getStatus()).isEqualTo(404);
        assertThat(json(notFound).get("error").get("code").asText()).isEqualTo("0x80040217");
        assertThat(json(notFound).get("error").get("message").asText())
                .isEqualTo("Entity 'account' With Id = " + missing + " Does Not Exist");
        assertThat(sandbox.get(ORG, "accounts(not-a-guid)", token).getStatus()).isEqualTo(400);
    }

    @Test
    void malformedRequestsGetA4xxNeverA5xx() throws Exception {
        String id = values(sandbox.get(ORG, "accounts?$select=name&$top=1", token)).get(0).get("accountid").asText();
        String badCursor = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"k\":[\"not-a-date\",1]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String path : List.of("accounts?$skiptoken=!!!", "accounts?$skiptoken=e30", "accounts?$orderby=modifiedon&$skiptoken="
                        + badCursor, "accounts?$skiptoken=" + badCursor, "accounts?$deltatoken=1%21garbage",
                "accounts?$deltatoken=", "accounts?$top=-1", "accounts?$count=maybe", "accounts?$orderby=name%20sideways",
                "accounts?$filter=%28%28%28", "accounts?$filter=name%20eq", "accounts?$filter=eq%20eq%20eq",
                "accounts?$filter=contains%28numberofemployees%2C%27x%27%29", "accounts?$filter=1%20eq%201",
                "accounts?$filter=modifiedon%20gt%202024-13-45T99%3A00%3A00Z", "accounts?$filter=parentaccountid%2Fname%20eq%20%27x%27",
                "accounts?$expand=primarycontactid", "accounts?$foo=1", "accounts(" + id + ")/name", "accounts(name='x')",
                "accounts()", "EntityDefinitions(LogicalName='x')/Attributes", "EntityDefinitions/Attributes",
                "EntityDefinitions?$filter=DisplayName%20eq%20%27x%27", "v9.3/accounts")) {
            MockHttpServletResponse response = sandbox.get(ORG, path, token);
            assertThat(response.getStatus()).as(path + ": " + response.getContentAsString()).isBetween(400, 499);
            assertThat(json(response).get("error").get("message").asText()).as(path).isNotBlank();
        }
        for (String body : List.of("[]", "null", "\"x\"", "{\"name\":{}}", "{\"revenue\":\"lots\"}", "{\"birthdate\":12}",
                "{\"accountid\":\"nope\"}", "{\"parentaccountid@odata.bind\":42}", "{\"parentaccountid@odata.bind\":\"/contacts(" + id
                        + ")\"}", "{\"primarycontactid@odata.bind\":\"/contacts(" + id + ")\"}")) {
            MockHttpServletResponse response = sandbox.send(HttpMethod.POST, ORG, "accounts", token, body);
            assertThat(response.getStatus()).as(body + ": " + response.getContentAsString()).isBetween(400, 499);
        }
        assertThat(sandbox.send(HttpMethod.PUT, ORG, "accounts(" + id + ")", token, "{}").getStatus()).isEqualTo(405);
    }

    private void assertBadQuery(String path, String message) throws Exception {
        MockHttpServletResponse response = sandbox.get(ORG, path, token);
        assertThat(response.getStatus()).as(path).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("0x0");
        assertThat(error.get("message").asText()).isEqualTo(message);
    }

    private List<String> ids(String path) throws Exception {
        MockHttpServletResponse response = sandbox.get(ORG, path, token);
        assertThat(response.getStatus()).as(path + ": " + response.getContentAsString()).isEqualTo(200);
        return values(response).stream().map(r -> r.get("accountid").asText()).toList();
    }

    private static List<JsonNode> values(MockHttpServletResponse response) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        json(response).get("value").forEach(rows::add);
        return rows;
    }
}
