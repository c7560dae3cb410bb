package routes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import hub.EmbeddedHubTest;
import hub.HubClient;
import security.OutboundGuard;

/**
 * Transient provider failures: a faulty hop (WireMock, proxying to the sandbox) answers 503 to
 * queries; the run retries the page with backoff and either recovers or fails with the reason.
 */
class SyncRetryTest extends EmbeddedHubTest {

    private static final String QUERY = "/sandbox/salesforce/services/data/v[0-9.]+/query/?";
    private static final String UNAVAILABLE = "[{\"message\":\"Server busy\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]";

    @Autowired
    OutboundGuard guard;

    private WireMockServer faulty;
    private OutboundGuard.Allowance allowance;

    @BeforeEach
    void startFaultyHop() {
        // the host header passes through, so the sandbox hands out instance URLs on this hop
        faulty = new WireMockServer(options().dynamicPort().preserveHostHeader(true));
        faulty.start();
        // a provider stand-in on loopback: allowed as an operator would list it in hub.outbound.allowed-hosts
        allowance = guard.allow("localhost", faulty.port());
        faulty.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom("http://localhost:" + port)));
    }

    @AfterEach
    void stopFaultyHop() {
        allowance.close();
        faulty.stop();
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
    void persistentTransientErrorsFailTheRunWithTheReasonAfterTheRetries() {
        faulty.stubFor(get(urlPathMatching(QUERY)).atPriority(1).willReturn(aResponse().withStatus(503).withBody(UNAVAILABLE)));

        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = connectThroughFaultyHop(hub, key, "retry-fail");
        JsonNode execution = hub.runAndWait(key, integration, hub.task(key, integration, "Opportunity", "full"), Duration.ofSeconds(60));
        assertThat(execution.get("status").asText()).isEqualTo("failed");
        assertThat(execution.get("error").asText()).contains("transient").contains("503").contains("SERVER_UNAVAILABLE");
        // the first attempt and three redeliveries (hub.sync.retry.max-redeliveries)
        faulty.verify(4, getRequestedFor(urlPathMatching(QUERY)));
        assertThat(hub.allShards(key, "c_opportunity")).isEmpty();
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
