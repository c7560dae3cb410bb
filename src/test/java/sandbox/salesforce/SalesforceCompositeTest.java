package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static sandbox.salesforce.SandboxFixture.DATA;
import static sandbox.salesforce.SandboxFixture.JSON;
import static sandbox.salesforce.SandboxFixture.authorized;
import static sandbox.salesforce.SandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The Composite API: sObject Collections retrieve (many records in one call, null for ids it cannot return) and
 * Composite subrequests with their own conditional headers (a 412 for one record leaves the others written), each
 * request one API call.
 */
class SalesforceCompositeTest {

    private final SandboxFixture sandbox = new SandboxFixture(100, 2000);
    private String token;

    @BeforeEach
    void login() throws Exception {
        token = sandbox.login("admin@sandbox.example");
    }

    @Test
    void retrievesManyRecordsInOneCallWithNullForIdsItCannotReturn() throws Exception {
        List<String> ids = accountIds(3);
        long used = sandbox.orgs.defaultOrg().usage().used();
        MockHttpServletResponse response = sandbox.get(DATA + "/composite/sobjects/Account?ids=" + ids.get(0) + "," + ids.get(1)
                + ",001000000000000AAA,003000000000001AAA,nonsense," + ids.get(2) + "&fields=Id,Name,SystemModstamp", token);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo("application/json;charset=UTF-8");
        JsonNode records = json(response);
        assertThat(records).hasSize(6);
        assertThat(records.get(0).get("Id").asText()).isEqualTo(ids.get(0));
        assertThat(records.get(0).at("/attributes/type").asText()).isEqualTo("Account");
        List<String> names = new ArrayList<>();
        records.get(1).fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("attributes", "Id", "Name", "SystemModstamp");
        assertThat(records.get(2).isNull()).as("unknown id").isTrue();
        assertThat(records.get(3).isNull()).as("an id of another object").isTrue();
        assertThat(records.get(4).isNull()).as("not an id").isTrue();
        assertThat(records.get(5).get("Id").asText()).isEqualTo(ids.get(2));
        assertThat(sandbox.orgs.defaultOrg().usage().used()).as("one API call").isEqualTo(used + 1);

        // the POST form reads the same from a body
        MockHttpServletResponse posted = send(DATA + "/composite/sobjects/Account", Map.of("ids", ids, "fields", List.of("Name")));
        assertThat(posted.getStatus()).isEqualTo(200);
        assertThat(json(posted)).hasSize(3);

        assertError(sandbox.get(DATA + "/composite/sobjects/Account?ids=" + ids.get(0) + "&fields=Id,Foo", token), 400, "INVALID_FIELD");
        assertError(sandbox.get(DATA + "/composite/sobjects/Account?ids=" + ids.get(0), token), 400, "MISSING_ARGUMENT");
        assertError(sandbox.get(DATA + "/composite/sobjects/Nope?ids=" + ids.get(0) + "&fields=Id", token), 404, "NOT_FOUND");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= SalesforceCompositeController.MAX_RETRIEVE_IDS; i++) {
            tooMany.add(ids.get(0));
        }
        assertError(send(DATA + "/composite/sobjects/Account", Map.of("ids", tooMany, "fields", List.of("Id"))), 400, "EXCEEDED_ID_LIMIT");
        assertThat(sandbox.perform(sandboxGet(DATA + "/composite/sobjects/Account?ids=" + ids.get(0) + "&fields=Id", null)).getStatus())
                .isEqualTo(401);
    }

    @Test
    void subrequestsCarryTheirOwnConditionsAndOneRefusalLeavesTheOthersWritten() throws Exception {
        List<String> ids = accountIds(4);
        String read = httpDate(sandbox.clock.instant());
        sandbox.clock.advance(Duration.ofSeconds(2));
        // changed after the read: its conditional write must be refused
        assertThat(sandbox.perform(authorized(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .patch(DATA + "/sobjects/Account/" + ids.get(1)), token).contentType("application/json").content("{\"Phone\":\"theirs\"}"))
                .getStatus()).isEqualTo(204);
        sandbox.changes.clear();
        long used = sandbox.orgs.defaultOrg().usage().used();

        MockHttpServletResponse response = send(DATA + "/composite", Map.of("allOrNone", false, "compositeRequest", List.of(
                patch("r0", ids.get(0), Map.of("Phone", "ours 0"), read),
                patch("r1", ids.get(1), Map.of("Phone", "ours 1"), read),
                patch("r2", ids.get(2), Map.of("Phone", "x".repeat(41)), read),
                patch("r3", ids.get(3), Map.of("Phone", "ours 3"), read),
                Map.of("method", "GET", "url", "/services/data/v59.0/sobjects/Account/" + ids.get(0) + "?fields=Phone", "referenceId", "g0"))));
        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode results = json(response).get("compositeResponse");
        assertThat(results).hasSize(5);
        assertThat(results.get(0).get("referenceId").asText()).isEqualTo("r0");
        assertThat(results.get(0).get("httpStatusCode").asInt()).isEqualTo(204);
        assertThat(results.get(0).get("body").isNull()).isTrue();
        assertThat(results.get(1).get("httpStatusCode").asInt()).isEqualTo(412);
        assertThat(results.get(1).at("/body/0/errorCode").asText()).isEqualTo("PRECONDITION_FAILED");
        assertThat(results.get(2).get("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(results.get(2).at("/body/0/errorCode").asText()).isEqualTo("STRING_TOO_LONG");
        assertThat(results.get(3).get("httpStatusCode").asInt()).isEqualTo(204);
        assertThat(results.get(4).get("httpStatusCode").asInt()).isEqualTo(200);
        assertThat(results.get(4).at("/body/Phone").asText()).as("later subrequests see earlier writes").isEqualTo("ours 0");
        assertThat(sandbox.orgs.defaultOrg().usage().used()).as("one API call").isEqualTo(used + 1);

        assertThat(phone(ids.get(0))).isEqualTo("ours 0");
        assertThat(phone(ids.get(1))).as("the provider's later change is kept").isEqualTo("theirs");
        assertThat(phone(ids.get(3))).isEqualTo("ours 3");
        assertThat(sandbox.changes).hasSize(2);
    }

    @Test
    void allOrNoneRollsEverythingBackWhenOneSubrequestFails() throws Exception {
        List<String> ids = accountIds(3);
        String before = phone(ids.get(0));
        String old = httpDate(Instant.parse("2024-01-01T00:00:00Z"));
        MockHttpServletResponse response = send(DATA + "/composite", Map.of("allOrNone", true, "compositeRequest", List.of(
                patch("a", ids.get(0), Map.of("Phone", "new"), null),
                patch("b", ids.get(1), Map.of("Phone", "new"), old),
                patch("c", ids.get(2), Map.of("Phone", "new"), null))));
        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode results = json(response).get("compositeResponse");
        assertThat(results.get(0).at("/body/0/errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(results.get(1).get("httpStatusCode").asInt()).isEqualTo(412);
        assertThat(results.get(2).at("/body/0/errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(phone(ids.get(0))).isEqualTo(before);
        assertThat(sandbox.changes).isEmpty();

        MockHttpServletResponse all = send(DATA + "/composite", Map.of("allOrNone", true, "compositeRequest", List.of(
                patch("a", ids.get(0), Map.of("Phone", "new a"), null), patch("c", ids.get(2), Map.of("Phone", "new c"), null))));
        assertThat(json(all).at("/compositeResponse/1/httpStatusCode").asInt()).isEqualTo(204);
        assertThat(phone(ids.get(0))).isEqualTo("new a");
        assertThat(phone(ids.get(2))).isEqualTo("new c");
    }

    @Test
    void aMalformedCompositeRequestIsRefusedWhole() throws Exception {
        String id = accountIds(1).get(0);
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i <= SalesforceCompositeController.MAX_SUBREQUESTS; i++) {
            tooMany.add(patch("r" + i, id, Map.of("Phone", "1"), null));
        }
        assertError(send(DATA + "/composite", Map.of("compositeRequest", tooMany)), 400, "INVALID_API_INPUT");
        assertError(send(DATA + "/composite", Map.of("compositeRequest", List.of(patch("same", id, Map.of("Phone", "1"), null),
                patch("same", id, Map.of("Phone", "2"), null)))), 400, "INVALID_API_INPUT");
        Map<String, Object> withAuth = new LinkedHashMap<>(patch("a", id, Map.of("Phone", "1"), null));
        withAuth.put("httpHeaders", Map.of("Authorization", "Bearer x"));
        assertError(send(DATA + "/composite", Map.of("compositeRequest", List.of(withAuth))), 400, "INVALID_API_INPUT");
        assertError(send(DATA + "/composite", Map.of("compositeRequest", List.of(Map.of("method", "PATCH", "url",
                "/services/data/v59.0/sobjects/Account/" + id)))), 400, "INVALID_API_INPUT");
        assertThat(phone(id)).isNotEqualTo("1");
        assertThat(sandbox.changes).isEmpty();
        // an unknown resource fails only its own subrequest
        JsonNode unknown = json(send(DATA + "/composite", Map.of("compositeRequest", List.of(
                Map.of("method", "GET", "url", "/services/data/v59.0/nowhere", "referenceId", "x")))));
        assertThat(unknown.at("/compositeResponse/0/httpStatusCode").asInt()).isEqualTo(404);
    }

    private static Map<String, Object> patch(String referenceId, String id, Map<String, Object> body, String ifUnmodifiedSince) {
        Map<String, Object> sub = new LinkedHashMap<>();
        sub.put("method", "PATCH");
        sub.put("url", "/services/data/v59.0/sobjects/Account/" + id);
        sub.put("referenceId", referenceId);
        sub.put("body", body);
        if (ifUnmodifiedSince != null) {
            sub.put("httpHeaders", Map.of("If-Unmodified-Since", ifUnmodifiedSince));
        }
        return sub;
    }

    private List<String> accountIds(int n) throws Exception {
        JsonNode records = json(sandbox.query("query", "SELECT Id FROM Account WHERE IsDeleted = false ORDER BY SystemModstamp LIMIT " + n,
                token)).get("records");
        List<String> ids = new ArrayList<>();
        records.forEach(r -> ids.add(r.get("Id").asText()));
        return ids;
    }

    private String phone(String id) throws Exception {
        return json(sandbox.get(DATA + "/sobjects/Account/" + id + "?fields=Phone", token)).get("Phone").asText();
    }

    private MockHttpServletResponse send(String path, Object body) throws Exception {
        return sandbox.perform(authorized(post(path), token).contentType("application/json;charset=utf-8").content(JSON.writeValueAsBytes(body)));
    }

    private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder sandboxGet(String path, String token) {
        return authorized(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(java.net.URI.create("http://localhost" + path)),
                token);
    }

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static void assertError(MockHttpServletResponse response, int status, String errorCode) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        assertThat(json(response).get(0).get("errorCode").asText()).isEqualTo(errorCode);
    }
}
