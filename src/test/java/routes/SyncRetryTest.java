package routes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import hub.SandboxHop;
import hub.EmbeddedHubTest;
import hub.HubClient;
import security.OutboundGuard;

/**
 * Transient provider failures: a faulty hop (WireMock, proxying to the sandbox) answers 503 to
 * queries; the run retries the page with backoff and recovers, or waits on its queue for the provider with the
 * reason and goes on when it is back.
 */
class SyncRetryTest extends EmbeddedHubTest {

    private static final String QUERY = "/sandbox/salesforce/services/data/v[0-9.]+/query/?";
    private static final String UNAVAILABLE = "[{\"message\":\"Server busy\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]";

    @Autowired
    OutboundGuard guard;

    private SandboxHop hop;
    private WireMockServer faulty;

    @BeforeEach
    void startFaultyHop() {
        hop = new SandboxHop(guard, port);
        faulty = hop.server();
    }

    @AfterEach
    void stopFaultyHop() {
        hop.close();
    }

    @Test
    void transientErrorsAreRetriedWithBackoffAndTheRunCompletes() {
        faulty.stubFor(get(urlPathMatching(QUERY)).atPriority(1).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(UNAVAILABLE)).willSetStateTo("failed once"));
        faulty.stubFor(get(urlPathMatching(QUERY)).atPriority(1).inScenario("flaky").whenScenarioStateIs("failed once")
                .willReturn(aResponse().withStatus(503).withBody(UNAVAILABLE)).willSetStateTo("recovered"));

        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = connectThroughFaultyHop(hub, key, "retry-ok");
        JsonNode execution = hub.runAndWait(key, integration, hub.task(key, integration, "Opportunity", "full"), Duration.ofSeconds(60));
        assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo("completed");
        assertThat(execution.get("recordsCreated").asLong()).isEqualTo(1000);
        faulty.verify(3, getRequestedFor(urlPathMatching(QUERY)));
    }

    @Test
    void aProviderStillDownAfterTheRetriesMakesTheRunWaitWithTheReasonInsteadOfEndingIt() {
        faulty.stubFor(get(urlPathMatching(QUERY)).atPriority(1).willReturn(aResponse().withStatus(503).withBody(UNAVAILABLE)));

        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = connectThroughFaultyHop(hub, key, "retry-fail");
        String task = hub.task(key, integration, "Opportunity", "full");
        String path = "/api/tenant/integrations/" + integration + "/executions/"
                + hub.ok("POST", "/api/tenant/integrations/" + integration + "/tasks/" + task + "/run", key, null).get("executionId").asText();
        // the first attempt and three redeliveries (hub.sync.retry.max-redeliveries), then it waits on its queue, not failed
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode waiting = hub.ok("GET", path, key, null);
            return waiting.get("status").asText().equals("pending") && waiting.get("phase").asText().equals("provider-unavailable");
        });
        JsonNode waiting = hub.ok("GET", path, key, null);
        assertThat(waiting.get("error").asText()).contains("transient").contains("503").contains("SERVER_UNAVAILABLE");
        faulty.verify(moreThanOrExactly(4), getRequestedFor(urlPathMatching(QUERY)));
        assertThat(hub.allShards(key, "c_opportunity")).isEmpty();

        // the provider back: the same run completes, nobody ran it again
        faulty.removeStub(faulty.getStubMappings().stream().filter(m -> m.getPriority() == 1).findFirst().orElseThrow());
        JsonNode done = hub.awaitExecution(key, integration, waiting.get("id").asText(), Duration.ofSeconds(90));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.get("recordsCreated").asLong()).isEqualTo(1000);
        assertThat(done.get("error").isNull()).as(done.toString()).isTrue();
    }

    private String connectThroughFaultyHop(HubClient hub, String key, String org) {
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", org)).get("id").asText();
        Map<String, Object> credentials = new HashMap<>(hub.sandboxCredentials(org));
        credentials.put("loginUrl", "http://localhost:" + faulty.port() + "/sandbox/salesforce");
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of("credentials", credentials));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        return integration;
    }
}
