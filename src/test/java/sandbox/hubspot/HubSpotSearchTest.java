package sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.hubspot.HubSpotSandboxFixture.OBJECTS;
import static sandbox.hubspot.HubSpotSandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/** CRM search: filters on the modification date and the record id, sorts, offset paging and the 10,000-result cap. */
class HubSpotSearchTest {

    private final HubSpotSandboxFixture sandbox = new HubSpotSandboxFixture(40);
    private final String token = HubSpotSandboxFixture.portalToken("search");

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void incrementalSyncFindsExactlyTheRecordsChangedSinceTheHighWaterMark() throws Exception {
        // the seed's records are all older than now; three companies change, one of them twice
        List<String> ids = ids(json(sandbox.get(OBJECTS + "/companies?limit=5", token)));
        sandbox.clock.advance(Duration.ofMinutes(1));
        Instant mark = sandbox.clock.instant();
        for (String id : List.of(ids.get(3), ids.get(1), ids.get(3), ids.get(4))) {
            sandbox.clock.advance(Duration.ofSeconds(1));
            assertThat(sandbox.send(HttpMethod.PATCH, OBJECTS + "/companies/" + id, token,
                    "{\"properties\":{\"description\":\"changed " + sandbox.clock.instant() + "\"}}").getStatus()).isEqualTo(200);
        }
        String byMillis = search(filter("hs_lastmodifieddate", "GTE", Long.toString(mark.toEpochMilli())),
                ",\"sorts\":[{\"propertyName\":\"hs_lastmodifieddate\",\"direction\":\"ASCENDING\"}],"
                + "\"properties\":[\"name\",\"hs_lastmodifieddate\"],\"limit\":100,\"after\":0");
        JsonNode answer = json(sandbox.post(OBJECTS + "/companies/search", token, byMillis));
        assertThat(answer.get("total").asInt()).isEqualTo(3);
        assertThat(ids(answer)).containsExactly(ids.get(1), ids.get(3), ids.get(4));
        assertThat(answer.has("paging")).isFalse();
        JsonNode modified = answer.at("/results/2/properties/hs_lastmodifieddate");
        assertThat(modified.asText()).isEqualTo("2026-06-01T12:01:04.000Z");

        // an ISO value works as well; GT on the last value seen finds nothing newer
        JsonNode none = json(sandbox.post(OBJECTS + "/companies/search", token,
                search(filter("hs_lastmodifieddate", "GT", modified.asText()))));
        assertThat(none.get("total").asInt()).isZero();
        assertThat(none.get("results")).isEmpty();

        // contacts are stamped in lastmodifieddate
        String contact = ids(json(sandbox.get(OBJECTS + "/contacts?limit=1", token))).get(0);
        sandbox.send(HttpMethod.PATCH, OBJECTS + "/contacts/" + contact, token, "{\"properties\":{\"jobtitle\":\"CTO\"}}");
        JsonNode contacts = json(sandbox.post(OBJECTS + "/contacts/search", token,
                search(filter("lastmodifieddate", "GTE", Long.toString(mark.toEpochMilli())))));
        assertThat(ids(contacts)).containsExactly(contact);
    }

    @Test
    void filtersOnTheRecordIdSortDescendingAndPageByOffset() throws Exception {
        List<String> all = new ArrayList<>();
        json(sandbox.get(OBJECTS + "/deals?limit=100", token)).get("results").forEach(r -> all.add(r.get("id").asText()));
        String pivot = all.get(9);
        String body = "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_object_id\",\"operator\":\"GT\",\"value\":\""
                + pivot + "\"}]}],\"sorts\":[\"-hs_object_id\"],\"limit\":7,\"after\":\"%s\"}";
        List<String> seen = new ArrayList<>();
        String after = "0";
        int total = -1;
        while (after != null) {
            JsonNode page = json(sandbox.post(OBJECTS + "/deals/search", token, String.format(body, after)));
            total = page.get("total").asInt();
            seen.addAll(ids(page));
            after = page.at("/paging/next/after").isMissingNode() ? null : page.at("/paging/next/after").asText();
            assertThat(page.at("/paging/next/link").isMissingNode()).isTrue();
        }
        List<String> expected = new ArrayList<>(all.subList(10, 40));
        java.util.Collections.reverse(expected);
        assertThat(total).isEqualTo(30);
        assertThat(seen).isEqualTo(expected);

        // groups are ORed, filters in a group ANDed; NEQ, LTE, IN and HAS_PROPERTY
        String either = "{\"filterGroups\":[{\"filters\":[" + f("hs_object_id", "EQ", all.get(0)) + "]},{\"filters\":["
                + f("hs_object_id", "LTE", all.get(3)) + "," + f("hs_object_id", "NEQ", all.get(0)) + ","
                + f("dealname", "HAS_PROPERTY", null) + "]}]}";
        assertThat(ids(json(sandbox.post(OBJECTS + "/deals/search", token, either))))
                .containsExactly(all.get(0), all.get(1), all.get(2), all.get(3));
        String in = "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_object_id\",\"operator\":\"IN\",\"values\":[\""
                + all.get(5) + "\",\"" + all.get(7) + "\"]}]}]}";
        assertThat(ids(json(sandbox.post(OBJECTS + "/deals/search", token, in)))).containsExactly(all.get(5), all.get(7));
    }

    @Test
    void archivedRecordsNeverMatchAndAssociationsFilterWorks() throws Exception {
        String company = ids(json(sandbox.get(OBJECTS + "/companies?limit=1", token))).get(0);
        JsonNode associated = json(sandbox.post(OBJECTS + "/contacts/search", token,
                search(filter("associations.company", "EQ", company))));
        assertThat(associated.get("total").asInt()).isEqualTo(2);
        String contact = associated.at("/results/0/id").asText();
        sandbox.send(HttpMethod.DELETE, OBJECTS + "/contacts/" + contact, token, null);
        JsonNode after = json(sandbox.post(OBJECTS + "/contacts/search", token,
                search(filter("associations.company", "EQ", company))));
        assertThat(ids(after)).hasSize(1).doesNotContain(contact);
        assertThat(json(sandbox.post(OBJECTS + "/contacts/search", token, "{\"limit\":0}")).get("total").asInt())
                .isEqualTo(79);
    }

    @Test
    void freeTextQueryLooksInTheSearchableProperties() throws Exception {
        JsonNode created = json(sandbox.post(OBJECTS + "/companies", token,
                "{\"properties\":{\"name\":\"Zyxwv Unique Widgets\",\"domain\":\"zyxwv.example\"}}"));
        JsonNode found = json(sandbox.post(OBJECTS + "/companies/search", token, "{\"query\":\"zyxwv\"}"));
        assertThat(ids(found)).containsExactly(created.get("id").asText());
        JsonNode token2 = json(sandbox.post(OBJECTS + "/companies/search", token,
                search(filter("name", "CONTAINS_TOKEN", "widg*"))));
        assertThat(ids(token2)).containsExactly(created.get("id").asText());
    }

    @Test
    void malformedSearchesAreRefusedWith400() throws Exception {
        assertValidation(sandbox.post(OBJECTS + "/companies/search", token, "{\"limit\":201}"));
        assertValidation(sandbox.post(OBJECTS + "/companies/search", token, "{\"after\":\"abc\"}"));
        assertValidation(sandbox.post(OBJECTS + "/companies/search", token,
                search(filter("nosuchproperty", "EQ", "x"))));
        assertValidation(sandbox.post(OBJECTS + "/companies/search", token,
                search(filter("hs_lastmodifieddate", "GTE", "yesterday"))));
        assertValidation(sandbox.post(OBJECTS + "/companies/search", token,
                search(filter("name", "LIKE", "x"))));
        StringBuilder groups = new StringBuilder("{\"filterGroups\":[");
        for (int i = 0; i < 6; i++) {
            groups.append(i == 0 ? "" : ",").append("{\"filters\":[").append(f("name", "EQ", "n" + i)).append("]}");
        }
        assertValidation(sandbox.post(OBJECTS + "/companies/search", token, groups + "]}"));
        StringBuilder filters = new StringBuilder("{\"filterGroups\":[{\"filters\":[");
        for (int i = 0; i < 7; i++) {
            filters.append(i == 0 ? "" : ",").append(f("name", "NEQ", "n" + i));
        }
        assertValidation(sandbox.post(OBJECTS + "/companies/search", token, filters + "]}]}"));
        assertValidation(sandbox.post(OBJECTS + "/companies/search", token, "{\"query\":\"" + "x".repeat(3_000) + "\"}"));
    }

    @Test
    void aQueryServesTenThousandResultsAndAsking400ForMore() throws Exception {
        try (HubSpotSandboxFixture big = new HubSpotSandboxFixture(5_100)) {
            String bigToken = HubSpotSandboxFixture.portalToken("big");
            // 10,200 contacts: the 50th page of 200 reaches the 10,000th result and still offers a next page
            JsonNode last = json(big.post(OBJECTS + "/contacts/search", bigToken, "{\"limit\":200,\"after\":\"9800\"}"));
            assertThat(last.get("total").asInt()).isEqualTo(10_200);
            assertThat(last.get("results")).hasSize(200);
            assertThat(last.at("/paging/next/after").asText()).isEqualTo("10000");
            // a page that would cross the cap stops at it
            assertThat(json(big.post(OBJECTS + "/contacts/search", bigToken, "{\"limit\":150,\"after\":9900}"))
                    .get("results")).hasSize(100);
            MockHttpServletResponse beyond = big.post(OBJECTS + "/contacts/search", bigToken,
                    "{\"limit\":200,\"after\":\"10000\"}");
            assertThat(beyond.getStatus()).isEqualTo(400);
            JsonNode error = json(beyond);
            assertThat(error.get("category").asText()).isEqualTo("VALIDATION_ERROR");
            assertThat(error.get("message").asText()).contains("10000");
        }
    }

    private static void assertValidation(MockHttpServletResponse response) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.get("status").asText()).isEqualTo("error");
        assertThat(error.get("category").asText()).isEqualTo("VALIDATION_ERROR");
    }

    /** A search body with one filter group of one filter, and more top-level members ({@code ,"limit":5}). */
    private static String search(String filter, String more) {
        return "{\"filterGroups\":[{\"filters\":[" + filter + "]}]" + more + "}";
    }

    private static String search(String filter) {
        return search(filter, "");
    }

    private static String filter(String property, String operator, String value) {
        return f(property, operator, value);
    }

    private static String f(String property, String operator, String value) {
        return "{\"propertyName\":\"" + property + "\",\"operator\":\"" + operator + "\""
                + (value == null ? "" : ",\"value\":\"" + value + "\"") + "}";
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("results").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }
}
