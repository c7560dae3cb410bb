package sandbox.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.dynamics365.DynamicsFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;

/** Service protection: a per-user sliding window answered with Dataverse's 429, headers, and counted violations. */
class DataverseServiceProtectionTest {

    private final DynamicsFixture sandbox = new DynamicsFixture(2);

    @Test
    void offByDefaultWithoutHeadersOrViolations() throws Exception {
        String token = sandbox.token("calm");
        for (int i = 0; i < 20; i++) {
            MockHttpServletResponse response = sandbox.get("calm", "WhoAmI", token);
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getHeaderNames()).noneMatch(h -> h.startsWith("x-ms-ratelimit")).doesNotContain("Retry-After");
        }
        JsonNode limits = json(sandbox.setup(HttpMethod.GET, "calm", "limits", token, null));
        assertThat(limits.get("rateLimit").asInt()).isZero();
        assertThat(limits.get("windowSeconds").asLong()).isEqualTo(300);
        assertThat(limits.get("violations").asLong()).isZero();
    }

    @Test
    void pastTheLimitA429WithRetryAfterUntilTheWindowSlides() throws Exception {
        String token = sandbox.token("busy");
        assertThat(sandbox.setup(HttpMethod.POST, "busy", "limits", token, "{\"rateLimit\":3,\"windowSeconds\":10}").getStatus())
                .isEqualTo(200);
        for (int remaining = 2; remaining >= 0; remaining--) {
            MockHttpServletResponse ok = sandbox.get("busy", "accounts?$select=name", token);
            assertThat(ok.getStatus()).isEqualTo(200);
            assertThat(ok.getHeader("x-ms-ratelimit-burst-remaining-xrm-requests")).isEqualTo(Integer.toString(remaining));
            assertThat(Long.parseLong(ok.getHeader("x-ms-ratelimit-time-remaining-xrm-requests")))
                    .isBetween(1_100_000L, 1_200_000L);
            sandbox.clock.advance(Duration.ofSeconds(2));
        }
        MockHttpServletResponse refused = sandbox.send(HttpMethod.POST, "busy", "accounts", token, "{\"name\":\"Throttled\"}");
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("4");
        assertThat(refused.getContentType()).startsWith("application/json");
        JsonNode error = json(refused).get("error");
        assertThat(error.get("code").asText()).isEqualTo("0x80072322");
        assertThat(error.get("message").asText()).isEqualTo("Number of requests exceeded the limit of 3 over time window of 10 seconds.");
        assertThat(sandbox.orgs.find("busy").count(EntitySchema.ACCOUNT)).as("a refused call does nothing").isEqualTo(2);

        JsonNode limits = json(sandbox.setup(HttpMethod.GET, "busy", "limits", token, null));
        assertThat(limits.get("rateLimit").asInt()).isEqualTo(3);
        assertThat(limits.get("used").asInt()).isEqualTo(3);
        assertThat(limits.get("violations").asLong()).isEqualTo(1);

        sandbox.clock.advance(Duration.ofSeconds(4));
        assertThat(sandbox.get("busy", "WhoAmI", token).getStatus()).isEqualTo(200);
        assertThat(sandbox.get("busy", "WhoAmI", token).getStatus()).isEqualTo(429);
        assertThat(json(sandbox.setup(HttpMethod.GET, "busy", "limits", token, null)).get("violations").asLong()).isEqualTo(2);

        // another org is not affected
        String other = sandbox.token("quiet");
        assertThat(sandbox.get("quiet", "WhoAmI", other).getStatus()).isEqualTo(200);
        assertThat(json(sandbox.setup(HttpMethod.GET, "quiet", "limits", other, null)).get("violations").asLong()).isZero();
    }

    @Test
    void theConfiguredLimitAppliesToEveryOrgAndSetupRefusesNonsense() throws Exception {
        DynamicsFixture limited = new DynamicsFixture(DynamicsSandboxProperties.defaults().withAccounts(1)
                .withRateLimit(2, Duration.ofMinutes(5)));
        String token = limited.token("any");
        limited.get("any", "WhoAmI", token);
        limited.get("any", "WhoAmI", token);
        MockHttpServletResponse refused = limited.get("any", "WhoAmI", token);
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("300");
        assertThat(json(refused).get("error").get("message").asText())
                .isEqualTo("Number of requests exceeded the limit of 2 over time window of 300 seconds.");

        assertThat(limited.setup(HttpMethod.POST, "any", "limits", token, "{\"rateLimit\":-1}").getStatus()).isEqualTo(400);
        assertThat(limited.setup(HttpMethod.POST, "any", "limits", token, "{\"windowSeconds\":0}").getStatus()).isEqualTo(400);
        assertThat(limited.setup(HttpMethod.POST, "any", "limits", token, "{\"rateLimit\":\"lots\"}").getStatus()).isEqualTo(400);
        assertThat(limited.setup(HttpMethod.POST, "any", "limits", token, "{\"rateLimit\":0}").getStatus()).isEqualTo(200);
        assertThat(limited.get("any", "WhoAmI", token).getStatus()).isEqualTo(200);
    }
}
