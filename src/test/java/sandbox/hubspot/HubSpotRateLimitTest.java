package sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.hubspot.HubSpotSandboxFixture.BASE;
import static sandbox.hubspot.HubSpotSandboxFixture.OBJECTS;
import static sandbox.hubspot.HubSpotSandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/** Per-portal limits: X-HubSpot-RateLimit-* headers, HubSpot's 429 bodies by policy, violations on setup/limits. */
class HubSpotRateLimitTest {

    private static final String LIMITS = BASE + "/setup/limits";

    private final HubSpotSandboxFixture sandbox = new HubSpotSandboxFixture(5);
    private final String token = HubSpotSandboxFixture.portalToken("rate");

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void offByDefaultPrivateAppsStillSeeTheDailyAllowance() throws Exception {
        for (int i = 1; i <= 30; i++) {
            MockHttpServletResponse response = sandbox.get(OBJECTS + "/companies?limit=1", token);
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getHeader("X-HubSpot-RateLimit-Daily")).isEqualTo("1000000");
            assertThat(response.getHeader("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo(Integer.toString(1_000_000 - i));
            assertThat(response.getHeader("X-HubSpot-RateLimit-Max")).isNull();
            assertThat(response.getHeader("Retry-After")).isNull();
        }
        // OAuth apps get no daily headers
        String access = sandbox.oauthLogin("rate").get("access_token").asText();
        MockHttpServletResponse oauth = sandbox.get(OBJECTS + "/companies?limit=1", access);
        assertThat(oauth.getHeaderNames()).noneMatch(h -> h.startsWith("X-HubSpot-RateLimit"));
        JsonNode state = json(sandbox.get(LIMITS, token));
        assertThat(state.get("rateLimit").asInt()).isZero();
        assertThat(state.get("windowSeconds").asInt()).isEqualTo(10);
        assertThat(state.get("dailyUsed").asInt()).isEqualTo(31);
        assertThat(state.get("violations").asLong()).isZero();
    }

    @Test
    void theBurstLimitCountsDownThenRefusesWithTenSecondlyRollingAndRecovers() throws Exception {
        assertThat(sandbox.post(LIMITS, token, "{\"rateLimit\":3,\"windowSeconds\":10}").getStatus()).isEqualTo(200);
        String id = json(sandbox.get(OBJECTS + "/companies?limit=1", token)).at("/results/0/id").asText();
        MockHttpServletResponse second = sandbox.get(OBJECTS + "/companies/" + id, token);
        assertThat(second.getHeader("X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("10000");
        assertThat(second.getHeader("X-HubSpot-RateLimit-Max")).isEqualTo("3");
        assertThat(second.getHeader("X-HubSpot-RateLimit-Remaining")).isEqualTo("1");
        sandbox.clock.advance(Duration.ofSeconds(4));
        assertThat(sandbox.get(OBJECTS + "/companies/" + id, token).getHeader("X-HubSpot-RateLimit-Remaining")).isEqualTo("0");

        MockHttpServletResponse refused = sandbox.send(HttpMethod.PATCH, OBJECTS + "/companies/" + id, token,
                "{\"properties\":{\"name\":\"Throttled\"}}");
        assertThat(refused.getStatus()).isEqualTo(429);
        JsonNode body = json(refused);
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("message").asText()).isEqualTo("You have reached your ten_secondly_rolling limit.");
        assertThat(body.get("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(body.get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(body.get("correlationId").asText()).isNotBlank();
        assertThat(body.get("requestId").asText()).isNotBlank();
        assertThat(refused.getHeader("X-HubSpot-RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.getHeader("X-HubSpot-RateLimit-Max")).isEqualTo("3");
        assertThat(refused.getHeader("Retry-After")).isEqualTo("6");
        assertThat(sandbox.changes).as("a refused call is not run").isEmpty();

        // the setup endpoint is not limited and tells the state
        JsonNode state = json(sandbox.get(LIMITS, token));
        assertThat(state.get("used").asInt()).isEqualTo(3);
        assertThat(state.get("violations").asLong()).isEqualTo(1);
        assertThat(state.at("/violationsByPolicy/TEN_SECONDLY_ROLLING").asLong()).isEqualTo(1);

        // rolling: the two calls at +0 s leave the window at +10 s, the one at +4 s stays
        sandbox.clock.advance(Duration.ofSeconds(6));
        MockHttpServletResponse patched = sandbox.send(HttpMethod.PATCH, OBJECTS + "/companies/" + id, token,
                "{\"properties\":{\"name\":\"After\"}}");
        assertThat(patched.getStatus()).isEqualTo(200);
        assertThat(patched.getHeader("X-HubSpot-RateLimit-Remaining")).isEqualTo("1");
        assertThat(sandbox.changes).hasSize(1);
    }

    @Test
    void searchHasItsOwnSecondlyLimitAndTheDailyAllowanceEnds() throws Exception {
        sandbox.post(LIMITS, token, "{\"searchRateLimit\":2,\"dailyLimit\":6}");
        MockHttpServletResponse first = sandbox.post(OBJECTS + "/companies/search", token, "{}");
        assertThat(first.getHeader("X-HubSpot-RateLimit-Secondly")).isEqualTo("2");
        assertThat(first.getHeader("X-HubSpot-RateLimit-Secondly-Remaining")).isEqualTo("1");
        sandbox.post(OBJECTS + "/companies/search", token, "{}");
        MockHttpServletResponse refused = sandbox.post(OBJECTS + "/companies/search", token, "{}");
        assertThat(refused.getStatus()).isEqualTo(429);
        // the exact message @hubspot/api-client retries on
        assertThat(json(refused).get("message").asText()).isEqualTo("You have reached your secondly limit.");
        assertThat(json(refused).get("policyName").asText()).isEqualTo("SECONDLY");
        assertThat(sandbox.get(OBJECTS + "/companies", token).getStatus()).as("other calls go on").isEqualTo(200);

        sandbox.clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 3; i++) {
            assertThat(sandbox.get(OBJECTS + "/deals", token).getStatus()).isEqualTo(200);
        }
        MockHttpServletResponse daily = sandbox.get(OBJECTS + "/deals", token);
        assertThat(daily.getStatus()).isEqualTo(429);
        assertThat(json(daily).get("policyName").asText()).isEqualTo("DAILY");
        assertThat(json(daily).get("message").asText()).isEqualTo("You have reached your daily limit.");
        assertThat(daily.getHeader("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(daily.getHeader("Retry-After"))).isEqualTo(Duration.ofHours(12).toSeconds() - 1);
        JsonNode state = json(sandbox.get(LIMITS, token));
        assertThat(state.get("violations").asLong()).isEqualTo(2);
        assertThat(state.at("/violationsByPolicy/SECONDLY").asLong()).isEqualTo(1);
        assertThat(state.at("/violationsByPolicy/DAILY").asLong()).isEqualTo(1);
        // a new UTC day, a new allowance
        sandbox.clock.advance(Duration.ofHours(12));
        assertThat(sandbox.get(OBJECTS + "/deals", token).getStatus()).isEqualTo(200);
    }

    @Test
    void limitsArePerPortalAndConfiguredOnesApplyToNewPortals() throws Exception {
        sandbox.post(LIMITS, token, "{\"rateLimit\":1}");
        sandbox.get(OBJECTS + "/companies", token);
        assertThat(sandbox.get(OBJECTS + "/companies", token).getStatus()).isEqualTo(429);
        String other = HubSpotSandboxFixture.portalToken("other");
        assertThat(sandbox.get(OBJECTS + "/companies", other).getStatus()).isEqualTo(200);
        assertThat(sandbox.portals.find("other").limits().violations()).isZero();
        assertThat(sandbox.post(LIMITS, token, "{\"rateLimit\":-1}").getStatus()).isEqualTo(400);
        assertThat(sandbox.post(LIMITS, token, "{\"windowSeconds\":0}").getStatus()).isEqualTo(400);
        assertThat(sandbox.post(LIMITS, token, "{\"rateLimit\":\"ten\"}").getStatus()).isEqualTo(400);
        assertThat(json(sandbox.post(LIMITS, token, "{\"rateLimit\":0}")).get("violations").asLong()).isEqualTo(1);
        assertThat(sandbox.get(OBJECTS + "/companies", token).getStatus()).isEqualTo(200);

        try (HubSpotSandboxFixture limited = new HubSpotSandboxFixture(HubSpotSandboxProperties.defaults().withCompanies(1)
                .withRateLimit(2, Duration.ofSeconds(10), 0, 1_000_000))) {
            MockHttpServletResponse response = limited.get(OBJECTS + "/companies", "pat-sandbox");
            assertThat(response.getHeader("X-HubSpot-RateLimit-Max")).isEqualTo("2");
            assertThat(response.getHeader("X-HubSpot-RateLimit-Remaining")).isEqualTo("1");
        }
        assertThat(HubSpotSandboxProperties.defaults().rateLimit()).isZero();
        assertThat(HubSpotSandboxProperties.defaults().rateWindow()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void latencyDelaysEveryApiCall() throws Exception {
        try (HubSpotSandboxFixture slow = new HubSpotSandboxFixture(HubSpotSandboxProperties.defaults().withCompanies(1)
                .withLatencyMs(150))) {
            slow.get(OBJECTS + "/companies", "pat-sandbox");
            long started = System.nanoTime();
            assertThat(slow.post(OBJECTS + "/companies/search", "pat-sandbox", "{}").getStatus()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
    }
}
