package routes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
 * An execution's timeline ({@code GET .../executions/{execId}/timeline}): a sync of several pages through a hop (WireMock,
 * proxying to the Salesforce sandbox) that answers the second page once with a 503 and then with a 429 and Retry-After,
 * with records that fail to map, records each page with its counts and timings, the retry, the throttling wait, the run
 * resuming and its end, and lists the failed records with their reasons; only to the tenant that owns the run.
 */
class ExecutionTimelineTest extends EmbeddedHubTest {

    /** The pages after the first: {@code nextRecordsUrl}, {@code .../query/<locator>-200}. */
    private static final String NEXT_PAGE = "/sandbox/salesforce/services/data/v[0-9.]+/query/.+";
    private static final String UNAVAILABLE = "[{\"message\":\"Server busy\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]";
    private static final String LIMIT = "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]";

    @Autowired
    OutboundGuard guard;

    private SandboxHop sandboxHop;
    private WireMockServer hop;

    @BeforeEach
    void startHop() {
        sandboxHop = new SandboxHop(guard, port);
        hop = sandboxHop.server();
    }

    @AfterEach
    void stopHop() {
        sandboxHop.close();
    }

    @Test
    void aRunsTimelineHasItsPagesARetryTheProvidersThrottlingAndItsFailedRecordsForItsTenantOnly() {
        hop.stubFor(get(urlPathMatching(NEXT_PAGE)).atPriority(1).inScenario("second page").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody(UNAVAILABLE)).willSetStateTo("unavailable once"));
        hop.stubFor(get(urlPathMatching(NEXT_PAGE)).atPriority(1).inScenario("second page").whenScenarioStateIs("unavailable once")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody(LIMIT)).willSetStateTo("throttled"));

        HubClient hub = hub();
        HubClient.Tenant owner = hub.newTenant(ADMIN_KEY);
        HubClient.Tenant other = hub.newTenant(ADMIN_KEY);
        String org = "timeline-" + UUID.randomUUID().toString().substring(0, 8);
        // every company must have a website: the accounts without one fail with the reason
        String integration = connectThroughHop(hub, owner.key(), org, Map.of("fieldMappings", Map.of("Account",
                List.of(Map.of("target", "domain", "source", "Website", "required", true)))));
        JsonNode execution = hub.runAndWait(owner.key(), integration, hub.task(owner.key(), integration, "Account", "full"),
                Duration.ofSeconds(90));
        assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo("partial");
        String path = "/api/tenant/integrations/" + integration + "/executions/" + execution.get("id").asText() + "/timeline";
        JsonNode timeline = hub.ok("GET", path, owner.key(), null);
        List<JsonNode> steps = new ArrayList<>();
        timeline.get("steps").forEach(steps::add);

        // the pages, numbered on across the wait, each with its counts and timings, adding up to the run's
        List<JsonNode> pages = steps.stream().filter(s -> s.get("step").asText().equals("page")).toList();
        assertThat(pages.size()).as(steps.toString()).isGreaterThanOrEqualTo(5);
        long records = 0;
        long failed = 0;
        for (int i = 0; i < pages.size(); i++) {
            JsonNode data = pages.get(i).get("data");
            assertThat(data.get("page").asInt()).isEqualTo(i + 1);
            assertThat(data.get("fetchMs").asLong()).isNotNegative();
            assertThat(data.get("writeMs").asLong()).isNotNegative();
            assertThat(pages.get(i).get("detail").asText()).startsWith("page " + (i + 1) + ": " + data.get("records").asLong() + " records");
            records += data.get("records").asLong();
            failed += data.get("failed").asLong();
        }
        assertThat(records).isEqualTo(execution.get("recordsProcessed").asLong());
        assertThat(failed).isEqualTo(execution.get("recordsFailed").asLong()).isPositive();

        // the 503 tried again, then the 429 made the run wait on its queue as long as Retry-After said, and it went on
        JsonNode retry = only(steps, "retry");
        assertThat(retry.get("data").get("attempt").asInt()).isEqualTo(1);
        assertThat(retry.get("data").get("page").asInt()).isEqualTo(2);
        assertThat(retry.get("data").get("reason").asText()).contains("503").contains("SERVER_UNAVAILABLE");
        JsonNode wait = only(steps, "wait");
        assertThat(wait.get("data").get("waitingFor").asText()).isEqualTo("throttled");
        assertThat(wait.get("data").get("waitMs").asLong()).isGreaterThanOrEqualTo(900);
        assertThat(wait.get("data").get("page").asInt()).isEqualTo(2);
        assertThat(wait.get("data").get("reason").asText()).contains("429").contains("REQUEST_LIMIT_EXCEEDED");
        List<JsonNode> phases = steps.stream().filter(s -> s.get("step").asText().equals("phase")).toList();
        assertThat(phases.get(0).get("data").get("resumed").asBoolean()).isFalse();
        JsonNode resumed = phases.stream().filter(p -> p.get("data").path("resumed").asBoolean()).findFirst().orElseThrow();
        assertThat(resumed.get("detail").asText()).contains("after waiting (throttled)").contains("after page 1");
        assertThat(steps.get(steps.size() - 1).get("data").get("phase").asText()).isEqualTo("partial");
        assertThat(List.of(seq(pages.get(0)), seq(retry), seq(wait), seq(resumed), seq(pages.get(1)))).isSorted();

        // the failed records with their reasons: the seeded world leaves some accounts without a website
        assertThat(timeline.get("failedRecords").asLong()).isEqualTo(failed);
        assertThat(timeline.get("failures")).hasSize((int) Math.min(failed, 100));
        timeline.get("failures").forEach(f -> {
            assertThat(f.get("externalId").asText()).startsWith("001");
            assertThat(f.get("reason").asText()).contains("field 'domain' (source 'Website'): required but missing or blank");
        });

        // following a run: the steps after one
        JsonNode since = hub.ok("GET", path + "?after=" + seq(wait), owner.key(), null);
        assertThat(since.get("steps").get(0).get("seq").asLong()).isGreaterThan(seq(wait));
        assertThat(since.get("steps")).hasSize((int) steps.stream().filter(s -> seq(s) > seq(wait)).count());

        // another tenant does not see it, nor an execution that is not there
        assertThat(hub.call("GET", path, other.key(), null).status()).isEqualTo(404);
        assertThat(hub.call("GET", "/api/tenant/integrations/" + integration + "/executions/nope/timeline", owner.key(), null).status())
                .isEqualTo(404);
        assertThat(hub.call("GET", path + "?after=-5", owner.key(), null).status()).isEqualTo(400);
    }

    private static JsonNode only(List<JsonNode> steps, String step) {
        List<JsonNode> found = steps.stream().filter(s -> s.get("step").asText().equals(step)).toList();
        assertThat(found).as(steps.toString()).hasSize(1);
        return found.get(0);
    }

    private static long seq(JsonNode step) {
        return step.get("seq").asLong();
    }

    private String connectThroughHop(HubClient hub, String key, String org, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("providerId", "salesforce");
        body.put("name", org);
        String integration = hub.ok("POST", "/api/tenant/integrations", key, body).get("id").asText();
        Map<String, Object> credentials = new HashMap<>(hub.sandboxCredentials(org));
        credentials.put("loginUrl", "http://localhost:" + hop.port() + "/sandbox/salesforce");
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                Map.of("credentials", credentials));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        return integration;
    }

}
