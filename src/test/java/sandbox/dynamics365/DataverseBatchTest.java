package sandbox.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.dynamics365.DynamicsFixture.api;
import static sandbox.dynamics365.DynamicsFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * {@code POST $batch}: independent requests (stopping at the first failure, or going on with
 * {@code odata.continue-on-error}), change sets that succeed or fail together, GETs, the answer's multipart shape,
 * one call of service protection per batch, and the refusals of a batch too large or malformed.
 */
class DataverseBatchTest {

    private static final String ORG = "batches";
    private static final String BOUNDARY = "batch_test";
    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.1 (\\d{3}) ");

    private final DynamicsFixture sandbox = new DynamicsFixture(5);
    private String token;
    private List<String> ids;
    private List<String> etags;

    @BeforeEach
    void setUp() throws Exception {
        token = sandbox.token(ORG);
        ids = new ArrayList<>();
        etags = new ArrayList<>();
        for (JsonNode row : json(sandbox.get(ORG, "accounts?$select=name&$orderby=name%20asc", token)).get("value")) {
            ids.add(row.get("accountid").asText());
            etags.add(row.get("@odata.etag").asText());
        }
    }

    /** One embedded PATCH as dynamics-web-api writes it (absolute URL, CRLF line ends). */
    private String patch(String boundary, String id, String ifMatch, String json, String contentId) {
        return "--" + boundary + "\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
                + (contentId == null ? "" : "Content-ID: " + contentId + "\r\n")
                + "\r\nPATCH " + api(ORG) + "accounts(" + id + ") HTTP/1.1\r\nContent-Type: application/json\r\nIf-Match: " + ifMatch
                + "\r\n\r\n" + json + "\r\n";
    }

    private MockHttpServletResponse batch(String body, String prefer) throws Exception {
        var request = sandbox.request(HttpMethod.POST, ORG, "$batch", token)
                .contentType("multipart/mixed;boundary=" + BOUNDARY).content(body);
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return sandbox.perform(request);
    }

    private String name(int i) throws Exception {
        return json(sandbox.get(ORG, "accounts(" + ids.get(i) + ")?$select=name", token)).get("name").asText();
    }

    private static List<Integer> statuses(MockHttpServletResponse response) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        Matcher m = STATUS_LINE.matcher(response.getContentAsString());
        while (m.find()) {
            statuses.add(Integer.parseInt(m.group(1)));
        }
        return statuses;
    }

    private String threeWritesTheMiddleStale() {
        return patch(BOUNDARY, ids.get(0), etags.get(0), "{\"name\":\"First\"}", null)
                + patch(BOUNDARY, ids.get(1), "W/\"1\"", "{\"name\":\"Second\"}", null)
                + patch(BOUNDARY, ids.get(2), "*", "{\"name\":\"Third\"}", null)
                + "--" + BOUNDARY + "--\r\n";
    }

    @Test
    void withContinueOnErrorEveryIndependentRequestIsServedAndTheRefusalAnsweredInItsPlace() throws Exception {
        String secondBefore = name(1);
        MockHttpServletResponse response = batch(threeWritesTheMiddleStale(), "odata.continue-on-error");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("multipart/mixed").contains("boundary=batchresponse_");
        assertThat(response.getHeader("Preference-Applied")).isEqualTo("odata.continue-on-error");
        String body = response.getContentAsString();
        assertThat(body).as("dynamics-web-api reads the delimiter from the first line").startsWith("--batchresponse_");
        assertThat(body.strip()).endsWith("--");
        assertThat(statuses(response)).containsExactly(204, 412, 204);
        assertThat(body).contains("{\"error\":{\"code\":\"" + DataverseApiException.CONCURRENCY_VERSION_MISMATCH
                + "\",\"message\":\"The version of the existing record doesn't match the RowVersion property provided.\"}}");
        assertThat(body).contains("OData-EntityId: " + api(ORG) + "accounts(" + ids.get(0) + ")");
        assertThat(name(0)).isEqualTo("First");
        assertThat(name(1)).isEqualTo(secondBefore);
        assertThat(name(2)).isEqualTo("Third");
    }

    @Test
    void withoutContinueOnErrorTheBatchStopsAtTheFirstFailureWithItsStatus() throws Exception {
        String thirdBefore = name(2);
        MockHttpServletResponse response = batch(threeWritesTheMiddleStale(), null);

        assertThat(response.getStatus()).isEqualTo(412);
        assertThat(response.getContentType()).startsWith("multipart/mixed");
        assertThat(statuses(response)).containsExactly(204, 412);
        assertThat(name(0)).isEqualTo("First");
        assertThat(name(2)).as("not served after the failure").isEqualTo(thirdBefore);
    }

    @Test
    void aChangeSetIsWrittenWholeOrNotAtAllAndGetsAreServedBesideIt() throws Exception {
        String changeSet = "changeset_ok";
        String good = "--" + BOUNDARY + "\r\nContent-Type: multipart/mixed;boundary=" + changeSet + "\r\n\r\n"
                + patch(changeSet, ids.get(0), "*", "{\"name\":\"Together A\"}", "1")
                + patch(changeSet, ids.get(1), "*", "{\"name\":\"Together B\"}", "2")
                + "--" + changeSet + "--\r\n"
                + "--" + BOUNDARY + "\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "GET /api/data/v9.2/accounts(" + ids.get(0) + ")?$select=name HTTP/1.1\r\nAccept: application/json\r\n\r\n\r\n"
                + "--" + BOUNDARY + "--\r\n";
        MockHttpServletResponse ok = batch(good, null);
        assertThat(ok.getStatus()).isEqualTo(200);
        String body = ok.getContentAsString();
        assertThat(body).contains("Content-Type: multipart/mixed; boundary=changesetresponse_").contains("Content-ID: 1\r\n")
                .contains("Content-ID: 2\r\n").contains("\"name\":\"Together A\"");
        assertThat(statuses(ok)).containsExactly(204, 204, 200);
        assertThat(name(1)).isEqualTo("Together B");

        String missing = "00000000-0000-0000-0000-0000000000aa";
        long versionBefore = sandbox.orgs.find(ORG).currentVersion();
        String bad = "--" + BOUNDARY + "\r\nContent-Type: multipart/mixed;boundary=changeset_bad\r\n\r\n"
                + patch("changeset_bad", ids.get(0), "*", "{\"name\":\"Rolled back\"}", "1")
                + patch("changeset_bad", missing, "*", "{\"name\":\"Nobody\"}", "2")
                + "--changeset_bad--\r\n"
                + patch(BOUNDARY, ids.get(2), "*", "{\"name\":\"After the change set\"}", null)
                + "--" + BOUNDARY + "--\r\n";
        MockHttpServletResponse refused = batch(bad, "odata.continue-on-error");
        assertThat(refused.getStatus()).isEqualTo(200);
        assertThat(statuses(refused)).as("one answer for the failed change set, then the request after it").containsExactly(404, 204);
        assertThat(refused.getContentAsString()).contains(DataverseApiException.OBJECT_DOES_NOT_EXIST).doesNotContain("changesetresponse_");
        assertThat(name(0)).as("the change set's first write is rolled back").isEqualTo("Together A");
        assertThat(name(2)).isEqualTo("After the change set");
        assertThat(sandbox.orgs.find(ORG).currentVersion()).as("only the write after the change set took a version")
                .isEqualTo(versionBefore + 1);
    }

    @Test
    void aBatchIsOneCallOfServiceProtection() throws Exception {
        sandbox.setup(HttpMethod.POST, ORG, "limits", token, "{\"rateLimit\":100,\"windowSeconds\":300}");
        int before = json(sandbox.setup(HttpMethod.GET, ORG, "limits", token, null)).get("used").asInt();
        assertThat(batch(threeWritesTheMiddleStale(), "odata.continue-on-error").getStatus()).isEqualTo(200);
        assertThat(json(sandbox.setup(HttpMethod.GET, ORG, "limits", token, null)).get("used").asInt()).isEqualTo(before + 1);
    }

    @Test
    void moreThanAThousandRequestsOrAMalformedBodyIsRefusedWithTheProblemNamed() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < BatchRequests.MAX_REQUESTS + 1; i++) {
            many.append(patch(BOUNDARY, ids.get(i % ids.size()), "*", "{\"name\":\"Many " + i + "\"}", null));
        }
        String before = name(0);
        MockHttpServletResponse tooMany = batch(many + "--" + BOUNDARY + "--\r\n", "odata.continue-on-error");
        assertThat(tooMany.getStatus()).isEqualTo(400);
        assertThat(json(tooMany).at("/error/message").asText()).contains("at most 1000");
        assertThat(name(0)).as("nothing of it served").isEqualTo(before);

        StringBuilder thousand = new StringBuilder();
        for (int i = 0; i < BatchRequests.MAX_REQUESTS; i++) {
            thousand.append(patch(BOUNDARY, ids.get(i % ids.size()), "*", "{\"name\":\"Many " + i + "\"}", null));
        }
        assertThat(batch(thousand + "--" + BOUNDARY + "--\r\n", null).getStatus()).isEqualTo(200);

        MockHttpServletResponse unclosed = batch(patch(BOUNDARY, ids.get(0), "*", "{}", null), null);
        assertThat(unclosed.getStatus()).isEqualTo(400);
        assertThat(json(unclosed).at("/error/message").asText()).contains("not closed with a '--batch_test--' line");

        MockHttpServletResponse noBoundary = sandbox.perform(sandbox.request(HttpMethod.POST, ORG, "$batch", token)
                .contentType("multipart/mixed").content("--x\r\n--x--\r\n"));
        assertThat(noBoundary.getStatus()).isEqualTo(400);
        assertThat(json(noBoundary).at("/error/message").asText()).contains("names no boundary");

        MockHttpServletResponse noRequestLine = batch("--" + BOUNDARY + "\r\nContent-Type: application/http\r\n\r\nnot a request\r\n--"
                + BOUNDARY + "--\r\n", null);
        assertThat(noRequestLine.getStatus()).isEqualTo(400);
        assertThat(json(noRequestLine).at("/error/message").asText()).contains("no request line");

        MockHttpServletResponse nested = batch("--" + BOUNDARY + "\r\nContent-Type: application/http\r\n\r\nPOST $batch HTTP/1.1\r\n\r\n--"
                + BOUNDARY + "--\r\n", null);
        assertThat(nested.getStatus()).isEqualTo(400);
        assertThat(json(nested).at("/error/message").asText()).contains("cannot hold another $batch");
    }
}
