package routes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubSpotPortal;
import security.OutboundGuard;

/**
 * HubSpot pages the hub must get through whole: a search whose results pass HubSpot's 10,000 cap, a page that is not
 * HubSpot's JSON, a record without its id. A stand-in (WireMock) in front of the sandbox serves the broken pages.
 * Entity resolution is switched off for these tenants: the paging is under test, and matching 10,200 contacts
 * (EntityResolutionTest covers it) takes this 2-core machine minutes.
 */
class HubSpotPagesTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final String COMPANY_SEARCH = "/sandbox/hubspot/crm/v3/objects/companies/search";

    @Autowired
    OutboundGuard guard;

    private WireMockServer front;
    private OutboundGuard.Allowance allowance;

    @BeforeEach
    void startFront() {
        front = new WireMockServer(options().dynamicPort());
        front.start();
        allowance = guard.allow("localhost", front.port());
        front.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom("http://localhost:" + port)));
    }

    @AfterEach
    void stopFront() {
        allowance.close();
        front.stop();
    }

    @Test
    void aPassOverMoreRecordsThanTheSearchCapTakesEveryRecordOnce() {
        HubClient hub = hub();
        String key = tenantWithoutMatching(hub);
        HubSpotPortal portal = new HubSpotPortal(hub, "cap");
        // 5,100 companies with two contacts each: a search over contacts finds 10,200, past the 10,000 HubSpot pages to
        portal.reset(5_100);
        String integration = portal.connect(key, Map.of());

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "contacts", "full"), TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsProcessed").asLong()).as("no record twice").isEqualTo(10_200);
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(10_200);
        List<JsonNode> contacts = hub.allShards(key, "c_contact");
        Set<String> ids = new HashSet<>();
        contacts.forEach(s -> ids.add(s.at("/externalRelationships/0/externalId").asText()));
        assertThat(ids).hasSize(10_200);

        // changed records come again after the pass; an incremental run takes exactly those and the boundary record
        List<JsonNode> some = portal.records("contacts", List.of("email"), 3);
        some.forEach(c -> portal.update("contacts", c.get("id").asText(), Map.of("jobtitle", "After The Cap")));
        JsonNode incremental = hub.runAndWait(key, integration, hub.task(key, integration, "contacts", "incremental"), TIMEOUT);
        assertThat(incremental.get("recordsUpdated").asLong()).as(incremental.toString()).isEqualTo(3);
        assertThat(incremental.get("recordsProcessed").asLong()).isLessThanOrEqualTo(4);
    }

    @Test
    void aPageThatIsNotHubSpotsJsonFailsTheRunWithTheReasonAndKeepsWhatWasCommitted() {
        HubClient hub = hub();
        String key = tenantWithoutMatching(hub);
        HubSpotPortal portal = new HubSpotPortal(hub, "malformed");
        String integration = connectThroughFront(hub, key, portal);
        // the second page (a query anchored after the first page's last record) comes back cut short
        front.stubFor(post(urlPathEqualTo(COMPANY_SEARCH)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.filterGroups[0].filters[0].operator", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo("GTE")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"total\":800,\"results\":[{\"id\":\"1\",\"properties\":{\"name\":")));

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "companies", "full"), TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("partial");
        assertThat(run.get("error").asText()).isEqualTo("permanent provider error: HubSpot returned an unreadable search result: "
                + "the answer was not HubSpot's");
        // the first page is committed whole, nothing of the broken one
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(200);
        assertThat(hub.allShards(key, "c_company")).hasSize(200);

        // once HubSpot answers properly the next run goes on from the checkpoint
        front.resetMappings();
        front.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom("http://localhost:" + port)));
        JsonNode again = hub.runAndWait(key, integration, run.get("taskId").asText(), TIMEOUT);
        assertThat(again.get("status").asText()).as(again.toString()).isEqualTo("completed");
        assertThat(hub.allShards(key, "c_company")).hasSize(1000);
    }

    @Test
    void aRecordWithoutItsIdIsCountedAsFailedAndTheRestOfItsPageIsWritten() {
        HubClient hub = hub();
        String key = tenantWithoutMatching(hub);
        HubSpotPortal portal = new HubSpotPortal(hub, "no-id");
        String integration = connectThroughFront(hub, key, portal);
        front.stubFor(post(urlPathEqualTo(COMPANY_SEARCH)).atPriority(1).willReturn(okJson("{\"total\":3,\"results\":["
                + "{\"id\":\"9100000001\",\"properties\":{\"name\":\"First\",\"hs_lastmodifieddate\":\"2025-01-01T00:00:01.000Z\"}},"
                + "{\"properties\":{\"name\":\"Without Id\",\"hs_lastmodifieddate\":\"2025-01-01T00:00:02.000Z\"}},"
                + "{\"id\":\"9100000003\",\"properties\":{\"name\":\"Third\",\"hs_lastmodifieddate\":\"2025-01-01T00:00:03.000Z\"}}]}")));

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "companies", "full"), TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("partial");
        assertThat(run.get("recordsProcessed").asLong()).isEqualTo(3);
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(2);
        assertThat(run.get("recordsFailed").asLong()).isEqualTo(1);
        assertThat(run.at("/failures/0/reason").asText()).contains("id");
        assertThat(HubSpotPortal.shardsByExternalId(hub, key, "c_company")).containsOnlyKeys("9100000001", "9100000003");
    }

    private String connectThroughFront(HubClient hub, String key, HubSpotPortal portal) {
        String integration = portal.connect(key, Map.of());
        JsonNode reconnected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of("type",
                "private_app_token", "credentials", Map.of("accessToken", portal.token(), "baseUrl",
                        "http://localhost:" + front.port() + "/sandbox/hubspot")));
        assertThat(reconnected.get("ok").asBoolean()).as(reconnected.toString()).isTrue();
        return integration;
    }

    private static String tenantWithoutMatching(HubClient hub) {
        String key = hub.newTenantKey(ADMIN_KEY);
        for (String type : List.of("c_company", "c_contact")) {
            hub.ok("PUT", "/api/tenant/match-rules/" + type, key, Map.of("enabled", false));
        }
        return key;
    }
}
