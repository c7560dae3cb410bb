package api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
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

import hub.SandboxHop;
import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;
import security.OutboundGuard;

/**
 * Retry and cancel of a sync execution: a cancel stops a running sync at its next page boundary keeping its committed
 * pages; a failed or cancelled run is retried as a new run of its entity and mode; the rest is refused (409), and
 * another tenant's or an unknown execution is not found.
 */
class ExecutionControlTest extends EmbeddedHubTest {

    @Autowired
    OutboundGuard guard;
    @Autowired
    TestProviderAdapter provider;

    private SandboxHop hop;
    private WireMockServer slowHop;

    @BeforeEach
    void startSlowHop() {
        hop = new SandboxHop(guard, port);
        slowHop = hop.server();
        // each page of a query (the first and the next ones) takes a while: a run spans several page boundaries
        slowHop.stubFor(get(urlPathMatching(".*/query.*")).atPriority(1)
                .willReturn(aResponse().proxiedFrom("http://localhost:" + port).withFixedDelay(400)));
    }

    @AfterEach
    void stopSlowHop() {
        hop.close();
    }

    @Test
    void aCancelStopsARunningSyncAtAPageBoundaryKeepingItsPagesAndARetryFinishesTheWork() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = connectThroughSlowHop(hub, key, "cancel-run");
        String task = hub.task(key, integration, "Opportunity", "full");
        String running = hub.runUntilProcessed(key, integration, task, 200, Duration.ofSeconds(60));

        HubClient.Response cancel = hub.call("POST", executionPath(integration, running) + "/cancel", key, null);
        assertThat(cancel.status()).as(cancel.raw()).isEqualTo(202);
        assertThat(cancel.body().get("outcome").asText()).isEqualTo("stopping");

        JsonNode cancelled = hub.awaitExecution(key, integration, running, Duration.ofSeconds(60));
        assertThat(cancelled.get("status").asText()).as(cancelled.toString()).isEqualTo("cancelled");
        long kept = cancelled.get("recordsCreated").asLong();
        assertThat(kept).as(cancelled.toString()).isBetween(200L, 800L);
        assertThat(hub.allShards(key, "c_opportunity")).hasSize((int) kept);
        HubClient.Response again = hub.call("POST", executionPath(integration, running) + "/cancel", key, null);
        assertThat(again.status()).as(again.raw()).isEqualTo(409);
        assertThat(again.raw()).contains("cancelled");
        // the stream tells of it once relayed
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                hub.ok("GET", "/api/events?type=sync.cancelled", key, null).toString().contains(running));

        HubClient.Response retry = hub.call("POST", executionPath(integration, running) + "/retry", key, null);
        assertThat(retry.status()).as(retry.raw()).isEqualTo(202);
        assertThat(retry.body().get("retryOf").asText()).isEqualTo(running);
        JsonNode done = hub.awaitExecution(key, integration, retry.body().get("executionId").asText(), Duration.ofSeconds(90));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.get("entity").asText()).isEqualTo("Opportunity");
        assertThat(done.get("mode").asText()).isEqualTo("full");
        assertThat(hub.allShards(key, "c_opportunity")).hasSize(1000);
    }

    @Test
    void aFailedRunIsRetriedAndOnlyEndedRunsOfTheTenantCanBe() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedTestProvider(tenant.key(), "retry-failed");
        provider.seedItem(tenant.id(), "Retry Ltd", "+1 555 0100");
        provider.refuseFetches(tenant.id(), 1);
        JsonNode failed = hub.runAndWait(tenant.key(), integration, hub.task(tenant.key(), integration, "Item", "full"), Duration.ofSeconds(60));
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        String failedPath = executionPath(integration, failed.get("id").asText());

        // another tenant neither retries nor cancels it, nor learns it exists
        String other = hub.newTenantKey(ADMIN_KEY);
        assertThat(hub.call("POST", failedPath + "/retry", other, null).status()).isEqualTo(404);
        assertThat(hub.call("POST", failedPath + "/cancel", other, null).status()).isEqualTo(404);
        assertThat(hub.call("POST", executionPath(integration, "no-such-run") + "/retry", tenant.key(), null).status()).isEqualTo(404);
        HubClient.Response cancelFailed = hub.call("POST", failedPath + "/cancel", tenant.key(), null);
        assertThat(cancelFailed.status()).as(cancelFailed.raw()).isEqualTo(409);

        HubClient.Response retry = hub.call("POST", failedPath + "/retry", tenant.key(), null);
        assertThat(retry.status()).as(retry.raw()).isEqualTo(202);
        JsonNode done = hub.awaitExecution(tenant.key(), integration, retry.body().get("executionId").asText(), Duration.ofSeconds(60));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.get("recordsCreated").asLong()).isEqualTo(1);
        HubClient.Response retryCompleted = hub.call("POST", executionPath(integration, done.get("id").asText()) + "/retry", tenant.key(), null);
        assertThat(retryCompleted.status()).as(retryCompleted.raw()).isEqualTo(409);
        assertThat(retryCompleted.raw()).contains("completed");
    }

    @Test
    void aRunningSyncCannotBeRetried() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedTestProvider(tenant.key(), "retry-running");
        provider.seedItem(tenant.id(), "Busy Ltd", "+1 555 0101");
        provider.slowFetches(tenant.id(), Duration.ofMillis(1500));
        String task = hub.task(tenant.key(), integration, "Item", "full");
        String execution = hub.ok("POST", "/api/tenant/integrations/" + integration + "/tasks/" + task + "/run", tenant.key(), null)
                .get("executionId").asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                hub.ok("GET", executionPath(integration, execution), tenant.key(), null).get("status").asText().equals("running"));
        HubClient.Response retry = hub.call("POST", executionPath(integration, execution) + "/retry", tenant.key(), null);
        assertThat(retry.status()).as(retry.raw()).isEqualTo(409);
        assertThat(retry.raw()).contains("running");
        hub.awaitExecution(tenant.key(), integration, execution, Duration.ofSeconds(30));
    }

    private static String executionPath(String integration, String execution) {
        return "/api/tenant/integrations/" + integration + "/executions/" + execution;
    }

    private String connectThroughSlowHop(HubClient hub, String key, String org) {
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", org)).get("id").asText();
        Map<String, Object> credentials = new HashMap<>(hub.sandboxCredentials(org));
        credentials.put("loginUrl", "http://localhost:" + slowHop.port() + "/sandbox/salesforce");
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of("credentials", credentials));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        return integration;
    }
}
