package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static sandbox.salesforce.SandboxFixture.DATA;
import static sandbox.salesforce.SandboxFixture.authorized;
import static sandbox.salesforce.SandboxFixture.json;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import com.fasterxml.jackson.databind.JsonNode;

/** The sandbox's per-org REST API rate limit: sliding window, 429 REQUEST_LIMIT_EXCEEDED, violations, setup/limits. */
class SalesforceRateLimitTest {

    private static final String LIMITS = "/sandbox/salesforce/setup/limits";

    private final SandboxFixture sandbox = new SandboxFixture(5, 2000);
    private String token;
    private SandboxOrg org;

    @BeforeEach
    void login() throws Exception {
        token = sandbox.login("admin+rate@sandbox.example");
        org = sandbox.orgs.find("rate");
    }

    @Test
    void offByDefaultChangesNothing() throws Exception {
        for (int i = 0; i < 30; i++) {
            MockHttpServletResponse response = sandbox.get(DATA + "/limits", token);
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getHeader("Sforce-Limit-Info")).isEqualTo("api-usage=" + (i + 1) + "/15000");
            assertThat(response.getHeaderNames()).noneMatch(h -> h.startsWith("X-RateLimit")).doesNotContain("Retry-After");
        }
        assertThat(org.rateLimitViolations()).isZero();
        JsonNode state = json(sandbox.get(LIMITS, token));
        assertThat(state.get("rateLimit").asInt()).isZero();
        assertThat(state.get("window").asText()).isEqualTo("PT60S");
        assertThat(state.get("used").asInt()).isZero();
        assertThat(state.get("violations").asLong()).isZero();
    }

    @Test
    void countsDownThenRefusesWithoutRunningTheCallThenRecovers() throws Exception {
        assertThat(setLimits("{\"rateLimit\":3,\"windowSeconds\":10}").getStatus()).isEqualTo(200);
        String id = json(sandbox.query("query", "SELECT Id FROM Account LIMIT 1", token))
                .get("records").get(0).get("Id").asText();
        long start = sandbox.clock.instant().getEpochSecond();
        for (int remaining = 1; remaining >= 0; remaining--) {
            MockHttpServletResponse ok = sandbox.get(DATA + "/sobjects/Account/" + id, token);
            assertThat(ok.getStatus()).isEqualTo(200);
            assertThat(ok.getHeader("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(ok.getHeader("X-RateLimit-Remaining")).isEqualTo(Integer.toString(remaining));
            assertThat(ok.getHeader("X-RateLimit-Reset")).isEqualTo(Long.toString(start + 10));
            assertThat(ok.getHeader("Retry-After")).isNull();
            sandbox.clock.advance(Duration.ofSeconds(2));
        }
        long usedBefore = org.usage().used();

        MockHttpServletResponse refused = sandbox.perform(authorized(patch(DATA + "/sobjects/Account/" + id), token)
                .contentType(MediaType.APPLICATION_JSON).content("{\"Name\":\"Throttled\"}"));
        assertThat(refused.getStatus()).isEqualTo(429);
        JsonNode error = json(refused).get(0);
        assertThat(error.get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(error.get("message").asText()).isEqualTo("Request limit exceeded: 3 requests per PT10S");
        assertThat(refused.getHeader("Retry-After")).isEqualTo("6");
        assertThat(refused.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.getHeader("Sforce-Limit-Info")).isEqualTo("api-usage=" + usedBefore + "/15000");
        assertThat(sandbox.changes).isEmpty();
        assertThat(org.get(SObjectSchema.ACCOUNT, id).get(SObjectSchema.ACCOUNT.require("Name")))
                .isNotEqualTo("Throttled");
        assertThat(org.rateLimitViolations()).isEqualTo(1);
        assertThat(sandbox.get(DATA + "/limits", token).getStatus()).isEqualTo(429);
        assertThat(org.rateLimitViolations()).isEqualTo(2);

        // the setup endpoint is not rate limited and tells the state
        JsonNode state = json(sandbox.get(LIMITS, token));
        assertThat(state.get("rateLimit").asInt()).isEqualTo(3);
        assertThat(state.get("window").asText()).isEqualTo("PT10S");
        assertThat(state.get("used").asInt()).isEqualTo(3);
        assertThat(state.get("violations").asLong()).isEqualTo(2);

        // sliding: the two calls at +0 s leave the window at +10 s; the one at +2 s stays until +12 s
        sandbox.clock.advance(Duration.ofSeconds(6));
        MockHttpServletResponse patched = sandbox.perform(authorized(patch(DATA + "/sobjects/Account/" + id), token)
                .contentType(MediaType.APPLICATION_JSON).content("{\"Name\":\"After\"}"));
        assertThat(patched.getStatus()).isEqualTo(204);
        assertThat(patched.getHeader("X-RateLimit-Remaining")).isEqualTo("1");
        assertThat(patched.getHeader("X-RateLimit-Reset")).isEqualTo(Long.toString(start + 12));
        assertThat(sandbox.get(DATA + "/limits", token).getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(org.get(SObjectSchema.ACCOUNT, id).get(SObjectSchema.ACCOUNT.require("Name"))).isEqualTo("After");
        MockHttpServletResponse again = sandbox.get(DATA + "/limits", token);
        assertThat(again.getStatus()).isEqualTo(429);
        assertThat(again.getHeader("Retry-After")).isEqualTo("2");
        sandbox.clock.advance(Duration.ofSeconds(10));
        assertThat(sandbox.get(DATA + "/limits", token).getHeader("X-RateLimit-Remaining")).isEqualTo("2");
        assertThat(org.rateLimitViolations()).isEqualTo(3);
    }

    @Test
    void limitsOneOrgOnlyAndNotTheTokenOrVersionsEndpoints() throws Exception {
        setLimits("{\"rateLimit\":1}");
        String other = sandbox.login("admin+other@sandbox.example");
        assertThat(sandbox.get(DATA + "/limits", token).getStatus()).isEqualTo(200);
        assertThat(sandbox.get(DATA + "/limits", token).getStatus()).isEqualTo(429);
        assertThat(sandbox.login("admin+rate@sandbox.example")).isNotBlank();
        assertThat(sandbox.get("/sandbox/salesforce/services/data/", null).getStatus()).isEqualTo(200);
        MockHttpServletResponse otherOrg = sandbox.get(DATA + "/limits", other);
        assertThat(otherOrg.getStatus()).isEqualTo(200);
        assertThat(otherOrg.getHeader("X-RateLimit-Limit")).isNull();
        assertThat(sandbox.orgs.find("other").rateLimitViolations()).isZero();
        assertThat(org.rateLimitViolations()).isEqualTo(1);
    }

    @Test
    void setupRefusesBadInputAndCanTurnTheLimitOff() throws Exception {
        assertError(setLimits("{\"rateLimit\":-1}"), "FIELD_INTEGRITY_EXCEPTION");
        assertError(setLimits("{\"rateLimit\":2,\"windowSeconds\":0}"), "FIELD_INTEGRITY_EXCEPTION");
        assertError(setLimits("{\"rateLimit\":\"ten\"}"), "JSON_PARSER_ERROR");
        assertError(setLimits("{\"rateLimit\":1.5}"), "JSON_PARSER_ERROR");
        assertError(setLimits("[]"), "JSON_PARSER_ERROR");
        assertError(setLimits(""), "JSON_PARSER_ERROR");
        assertThat(org.rateLimit().limit()).isZero();
        assertThat(sandbox.perform(MockMvcRequestBuilders.get(LIMITS)).getStatus()).isEqualTo(401);

        JsonNode state = json(setLimits("{\"rateLimit\":1,\"windowSeconds\":5}"));
        assertThat(state.get("rateLimit").asInt()).isEqualTo(1);
        assertThat(state.get("window").asText()).isEqualTo("PT5S");
        sandbox.get(DATA + "/limits", token);
        assertThat(sandbox.get(DATA + "/limits", token).getStatus()).isEqualTo(429);
        assertThat(json(setLimits("{\"rateLimit\":0}")).get("violations").asLong()).isEqualTo(1);
        MockHttpServletResponse off = sandbox.get(DATA + "/limits", token);
        assertThat(off.getStatus()).isEqualTo(200);
        assertThat(off.getHeader("X-RateLimit-Limit")).isNull();
    }

    @Test
    void configuredLimitAppliesToEveryNewOrg() {
        SandboxOrgs orgs = new SandboxOrgs(SalesforceSandboxProperties.defaults().withAccounts(0)
                .withRateLimit(7, Duration.ofSeconds(30)), (o, t, c, r) -> { }, sandbox.clock);
        SandboxOrg fresh = orgs.defaultOrg();
        assertThat(fresh.rateLimit().limit()).isEqualTo(7);
        assertThat(fresh.rateLimit().window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(SalesforceSandboxProperties.defaults().rateLimit()).isZero();
        assertThat(SalesforceSandboxProperties.defaults().rateWindow()).isEqualTo(Duration.ofSeconds(60));
    }

    private MockHttpServletResponse setLimits(String body) throws Exception {
        return sandbox.perform(authorized(post(LIMITS), token).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static void assertError(MockHttpServletResponse response, String errorCode) throws Exception {
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(json(response).get(0).get("errorCode").asText()).isEqualTo(errorCode);
    }
}
