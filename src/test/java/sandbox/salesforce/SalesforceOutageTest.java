package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static sandbox.salesforce.SandboxFixture.DATA;
import static sandbox.salesforce.SandboxFixture.authorized;
import static sandbox.salesforce.SandboxFixture.json;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;

/** The sandbox's outage switch: the org's REST API answers 503 SERVER_UNAVAILABLE for the given time, then works again. */
class SalesforceOutageTest {

    private static final String OUTAGE = "/sandbox/salesforce/setup/outage";

    private final SandboxFixture sandbox = new SandboxFixture(5, 2000);
    private String token;

    @BeforeEach
    void login() throws Exception {
        token = sandbox.login("admin+outage@sandbox.example");
    }

    @Test
    void theRestApiAnswers503UntilTheOutageEnds() throws Exception {
        assertThat(sandbox.get(DATA + "/limits", token).getStatus()).isEqualTo(200);
        MockHttpServletResponse started = outage("{\"seconds\":60}");
        assertThat(started.getStatus()).isEqualTo(200);
        assertThat(json(started).get("unavailableUntil").asText()).isNotEmpty();

        MockHttpServletResponse down = sandbox.get(DATA + "/limits", token);
        assertThat(down.getStatus()).isEqualTo(503);
        assertThat(json(down).get(0).get("errorCode").asText()).isEqualTo("SERVER_UNAVAILABLE");
        assertThat(down.getHeader("Retry-After")).isNull();
        assertThat(sandbox.get(OUTAGE, token).getStatus()).as("setup still answers").isEqualTo(200);

        sandbox.clock.advance(Duration.ofSeconds(61));
        assertThat(sandbox.get(DATA + "/limits", token).getStatus()).isEqualTo(200);
        assertThat(json(sandbox.get(OUTAGE, token)).get("unavailableUntil").isNull()).isTrue();
    }

    @Test
    void badLengthsAreRefusedNamingTheField() throws Exception {
        for (String body : new String[] {"{\"seconds\":-1}", "{\"seconds\":\"many\"}", "{}", "{\"seconds\":86401}"}) {
            MockHttpServletResponse refused = outage(body);
            assertThat(refused.getStatus()).as(body).isEqualTo(400);
            assertThat(refused.getContentAsString()).contains("seconds");
        }
    }

    private MockHttpServletResponse outage(String body) throws Exception {
        return sandbox.perform(authorized(post(OUTAGE), token).contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
