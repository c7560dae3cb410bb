package providers.dynamics365;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.SandboxHop;
import hub.DynamicsSandbox;
import hub.EmbeddedHubTest;
import hub.HubClient;
import security.OutboundGuard;

/**
 * Provider protection and bad answers with Dynamics 365 over HTTP: a sync against the sandbox's service protection
 * (its per-org limit switched on, counting every refused call) stays under it when the hub knows the limit, and
 * honours Retry-After when it does not; a 429 without Retry-After waits the gate's backoff; a row without its id
 * is counted failed and a malformed page fails the run with nothing of it written. A WireMock hop (in front of the
 * sandbox, or standing in for the Web API) stages what the sandbox does not.
 */
class DynamicsProtectionTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Autowired
    OutboundGuard guard;
    @Autowired
    MeterRegistry meters;
    @Autowired
    DataverseHttp http;

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

    private record Integration(HubClient hub, String key, DynamicsSandbox dynamics, String id) {
        JsonNode run(String entity) {
            return hub.runAndWait(key, id, hub.task(key, id, entity, "full"), TIMEOUT);
        }

        JsonNode sandboxLimit(int requests, int windowSeconds) {
            HubClient.Response r = dynamics.setup("POST", "limits", Map.of("rateLimit", requests, "windowSeconds", windowSeconds));
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            return r.body();
        }
    }

    private Integration connected(String prefix, int accounts) {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        DynamicsSandbox dynamics = new DynamicsSandbox(hub, prefix);
        if (accounts != 1000) {
            assertThat(dynamics.setup("POST", "reset", Map.of("accounts", accounts)).status()).isBetween(200, 204);
        }
        return new Integration(hub, key, dynamics, dynamics.connect(key, Map.of()));
    }

    @Test
    void aSyncUnderTheSandboxesLimitEndsWithZeroViolations() {
        Integration dv = connected("rl-zero", 1000);
        dv.sandboxLimit(4, 2);
        dv.hub().ok("PUT", "/api/tenant/integrations/" + dv.id() + "/rate-limits", dv.key(),
                Map.of("integration", Map.of("requests", 4, "windowSeconds", 2)));
        double requeuedBefore = counter("hub.ratelimit.requeued");

        // 2,000 contacts in pages of 200: ten Web API calls, four per two seconds
        JsonNode run = dv.run("contacts");
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(2000);
        assertThat(dv.hub().allShards(dv.key(), "c_contact")).hasSize(2000);
        assertThat(dv.dynamics().limits().get("violations").asLong()).isZero();
        assertThat(run.get("durationMs").asLong()).isGreaterThanOrEqualTo(4000);
        assertThat(counter("hub.ratelimit.requeued")).as("the run waited on its queue, not on a thread").isGreaterThan(requeuedBefore);
        // Dataverse's x-ms-ratelimit-* headers reached the gate
        JsonNode limits = dv.hub().ok("GET", "/api/tenant/integrations/" + dv.id() + "/rate-limits", dv.key(), null);
        assertThat(limits.at("/providerBudget/remaining").isNumber()).as(limits.toString()).isTrue();
    }

    @Test
    void aRefusalsRetryAfterIsHonouredAndTheSyncCompletes() {
        Integration dv = connected("rl-retry", 1000);
        // the hub paces Dataverse at 6,000 per 5 minutes: it learns this tighter limit from the 429s and their Retry-After
        dv.sandboxLimit(3, 3);
        JsonNode run = dv.run("contacts");
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(2000);
        long violations = dv.dynamics().limits().get("violations").asLong();
        assertThat(violations).as("each refusal is followed by Retry-After's wait").isBetween(1L, 5L);
        assertThat(run.get("durationMs").asLong()).isGreaterThanOrEqualTo(6000);
    }

    @Test
    void a429WithoutRetryAfterWaitsTheGatesBackoff() {
        Integration dv = connected("rl-bare", 50);
        // the integration talks to the org through the hop, which refuses its first read with a bare 429
        String hopOrg = "http://localhost:" + hop.port() + "/sandbox/dynamics365/" + dv.dynamics().org();
        Map<String, Object> credentials = new java.util.HashMap<>(dv.dynamics().credentials());
        credentials.put("orgUrl", hopOrg);
        assertThat(dv.hub().ok("POST", "/api/tenant/integrations/" + dv.id() + "/connect/api-key", dv.key(),
                Map.of("type", "oauth2_entra_client_credentials", "credentials", credentials)).get("ok").asBoolean()).isTrue();
        String accounts = "/sandbox/dynamics365/" + dv.dynamics().org() + "/api/data/v9.2/accounts";
        hop.stubFor(get(urlPathEqualTo(accounts)).atPriority(1).inScenario("bare").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":\"0x80072322\",\"message\":\"Number of requests exceeded the limit.\"}}"))
                .willSetStateTo("refused"));
        double requeuedBefore = counter("hub.ratelimit.requeued");

        JsonNode run = dv.run("accounts");
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(50);
        hop.verify(2, getRequestedFor(urlPathEqualTo(accounts)));
        assertThat(counter("hub.ratelimit.requeued")).isGreaterThan(requeuedBefore);
    }

    @Test
    void aRowWithoutItsIdIsCountedAndAMalformedPageFailsTheRunWithNothingOfItWritten() {
        Integration dv = connected("bad-page", 50);
        // the hop stands in for the Web API: WhoAmI, a first page with a row missing its id, then a page that is no page
        String org = "/bad-org";
        String api = "http://localhost:" + hop.port() + org + "/api/data/v9.2/";
        hop.stubFor(get(urlPathEqualTo(org + "/api/data/v9.2/WhoAmI")).atPriority(1).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"UserId\":\"00000000-0000-0000-0000-000000000001\"}")));
        hop.stubFor(get(urlPathEqualTo(org + "/api/data/v9.2/accounts")).atPriority(2).willReturn(aResponse()
                .withHeader("Content-Type", "application/json; odata.metadata=minimal").withBody("""
                        {"value":[{"@odata.etag":"W/\\"1\\"","accountid":"60c4e274-0d87-e711-80e5-00155db19e6d","name":"Good"},
                                  {"@odata.etag":"W/\\"2\\"","name":"No id"}],
                         "@odata.nextLink":"%saccounts?$select=x&$skiptoken=2"}""".formatted(api))));
        hop.stubFor(get(urlPathMatching(org + "/api/data/v9.2/accounts")).atPriority(1)
                .withQueryParam("$skiptoken", com.github.tomakehurst.wiremock.client.WireMock.equalTo("2"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"value\":{\"accountid\":\"7eb682f1-ca75-e511-80d4-00155d2a68d1\",\"name\":\"Half\"}}")));
        Map<String, Object> credentials = new java.util.HashMap<>(dv.dynamics().credentials());
        credentials.put("orgUrl", "http://localhost:" + hop.port() + org);
        assertThat(dv.hub().ok("POST", "/api/tenant/integrations/" + dv.id() + "/connect/api-key", dv.key(),
                Map.of("type", "oauth2_entra_client_credentials", "credentials", credentials)).get("ok").asBoolean()).isTrue();

        JsonNode run = dv.run("accounts");
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("partial");
        assertThat(run.get("recordsProcessed").asLong()).isEqualTo(2);
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(1);
        assertThat(run.get("recordsFailed").asLong()).isEqualTo(1);
        assertThat(run.at("/failures/0/reason").asText()).contains("no external id");
        assertThat(run.get("error").asText()).contains("the page has no list of rows");
        assertThat(dv.hub().allShards(dv.key(), "c_company")).extracting(s -> s.at("/structuredData/name").asText())
                .containsExactly("Good");
    }

    @Test
    void theWebApiClientConnectsOnlyWhereTheOutboundGuardAllows() {
        // an address the tenant's URL might resolve to by the time of the call: refused when the connection opens
        DataverseHttp.Call call = new DataverseHttp.Call("GET", java.net.URI.create("http://127.0.0.2:9/api/data/v9.2/WhoAmI"),
                Map.of("Authorization", "Bearer x"), null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send("guard-test", call))
                .isInstanceOfSatisfying(DataverseHttp.Unanswered.class, e -> assertThat(e.refusedAddress()).isTrue());
    }

    private double counter(String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
