package ratelimits;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubSpotPortal;
import security.OutboundGuard;

/**
 * Provider protection with HubSpot: the adapter against the HubSpot sandbox with its burst limit on (it counts every
 * refused call), a contact page costing two requests (the search and its associations), and HubSpot's 429s with and
 * without Retry-After.
 */
class HubSpotProtectionTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Autowired
    MeterRegistry meters;
    @Autowired
    OutboundGuard guard;

    @Test
    void aLongSyncAgainstTheSandboxsBurstLimitEndsWithZeroViolations() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        HubSpotPortal portal = new HubSpotPortal(hub, "rl-long");
        String integration = portal.connect(key, Map.of());
        portal.limits(Map.of("rateLimit", 8, "windowSeconds", 2));
        hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", key,
                Map.of("integration", Map.of("requests", 8, "windowSeconds", 2)));
        double requeuedBefore = requeued();

        // 2,000 contacts in pages of 200: ten searches and ten association reads, eight requests per two seconds
        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "contacts", "full"), TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsCreated").asLong()).as(run.toString()).isEqualTo(2000);
        assertThat(hub.allShards(key, "c_contact")).hasSize(2000);
        JsonNode limits = portal.limits();
        assertThat(limits.get("violations").asLong()).as(limits.toString()).isZero();
        // the twentieth request cannot come before two full windows have passed
        assertThat(run.get("durationMs").asLong()).isGreaterThanOrEqualTo(4000);
        assertThat(requeued()).as("the run waited on the queue, not on a thread").isGreaterThan(requeuedBefore);
        JsonNode applied = hub.ok("GET", "/api/tenant/integrations/" + integration + "/rate-limits", key, null);
        assertThat(applied.at("/providerBudget/limit").asLong()).as("the X-HubSpot-RateLimit-* headers reached the gate").isEqualTo(8);
    }

    @Test
    void hubSpotsRetryAfterIsHonouredAndTheSyncStillCompletes() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        HubSpotPortal portal = new HubSpotPortal(hub, "rl-retry");
        String integration = portal.connect(key, Map.of());
        // the hub does not know this limit (its own is far higher): it learns it from the 429s and their Retry-After
        portal.limits(Map.of("rateLimit", 3, "windowSeconds", 2));

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "companies", "full"), TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsCreated").asLong()).as(run.toString()).isEqualTo(1000);
        JsonNode limits = portal.limits();
        // each refusal is followed by a wait of Retry-After: few refused calls for five pages
        assertThat(limits.at("/violationsByPolicy/TEN_SECONDLY_ROLLING").asLong()).as(limits.toString()).isBetween(1L, 4L);
    }

    @Test
    void a429WithoutRetryAfterIsWaitedOutWithTheHubsBackoffAndNotRetriedByTheClient() {
        HubClient hub = hub();
        WireMockServer front = new WireMockServer(options().dynamicPort());
        front.start();
        try (OutboundGuard.Allowance allowed = guard.allow("localhost", front.port())) {
            front.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom("http://localhost:" + port)));
            String search = "/sandbox/hubspot/crm/v3/objects/companies/search";
            front.stubFor(post(urlPathMatching(search)).atPriority(1).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                            .withBody("{\"status\":\"error\",\"message\":\"You have reached your daily limit.\",\"errorType\":\"RATE_LIMIT\","
                                    + "\"policyName\":\"DAILY\"}"))
                    .willSetStateTo("open"));
            String key = hub.newTenantKey(ADMIN_KEY);
            HubSpotPortal portal = new HubSpotPortal(hub, "rl-no-wait");
            String integration = portal.connect(key, Map.of());
            hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of("type", "private_app_token",
                    "credentials", Map.of("accessToken", portal.token(), "baseUrl", "http://localhost:" + front.port() + "/sandbox/hubspot")));
            double requeuedBefore = requeued();

            JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "companies", "full"), TIMEOUT);

            assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
            assertThat(run.get("recordsCreated").asLong()).isEqualTo(1000);
            assertThat(requeued()).isGreaterThan(requeuedBefore);
            List<LoggedRequest> searches = front.findAll(postRequestedFor(urlPathMatching(search)));
            // the refused search was asked again only after the hub's backoff (1 s), by the hub, not at once by the client
            long refusedAt = searches.get(0).getLoggedDate().getTime();
            long againAt = searches.get(1).getLoggedDate().getTime();
            assertThat(againAt - refusedAt).isGreaterThanOrEqualTo(900);
        } finally {
            front.stop();
        }
    }

    private double requeued() {
        return meters.find("hub.ratelimit.requeued").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
