package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.ChangeFeedTestAdapter;
import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * The sync engine with a provider whose changes come as a feed (as Dataverse change tracking): records out of marker
 * order, deletions in the pages, the next pass starting from the token the last page gave, an expired token making
 * the pass full, and a pass that stopped early replaying from where it started. Pages of 200 (the test context's).
 */
class ChangeFeedSyncTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Autowired
    ChangeFeedTestAdapter feed;

    private record Feed(HubClient hub, String tenantId, String key, String integration, List<String> ids) {

        JsonNode run(String mode) {
            return hub.runAndWait(key, integration, hub.task(key, integration, "Item", mode), TIMEOUT);
        }

        JsonNode shard(String externalId) {
            return SalesforceSyncScenario.byExternalId(hub.allShards(key, "c_company")).get(externalId);
        }
    }

    private Feed feedOf(int items, Map<String, Object> settings) {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            ids.add(feed.put(tenant.id(), null, "Item " + i, "+1 555 " + i));
        }
        Map<String, Object> body = new java.util.HashMap<>(settings);
        body.put("providerId", ChangeFeedTestAdapter.PROVIDER_ID);
        body.put("name", "feed");
        String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(), body).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", tenant.key(),
                Map.of("credentials", Map.of("name", "feed")));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        return new Feed(hub, tenant.id(), tenant.key(), integration, ids);
    }

    @Test
    void theNextPassStartsFromTheTokenAndDeletionsInThePagesMarkShardsDeleted() {
        Feed f = feedOf(450, Map.of());
        JsonNode full = f.run("full");
        SalesforceSyncScenario.assertCounts(full, "completed", 450, 450, 0, 0, 0);
        assertThat(full.has("notice")).isFalse();

        for (int i = 0; i < 3; i++) {
            feed.put(f.tenantId(), f.ids().get(i), "Renamed " + i, "+1 555 000" + i);
        }
        feed.delete(f.tenantId(), f.ids().get(10));
        feed.delete(f.tenantId(), f.ids().get(11));
        String created = feed.put(f.tenantId(), null, "Brand new", "+1 555 9999");
        int readsBefore = feed.reads(f.tenantId());

        JsonNode incremental = f.run("incremental");
        // only what changed since the full pass's token: 3 changed, 1 new (records), 2 deleted (in the page)
        SalesforceSyncScenario.assertCounts(incremental, "completed", 4, 1, 3, 0, 0);
        assertThat(incremental.get("recordsDeleted").asLong()).isEqualTo(2);
        assertThat(feed.reads(f.tenantId()) - readsBefore).as("one page").isEqualTo(1);
        assertThat(f.shard(f.ids().get(0)).at("/structuredData/name").asText()).isEqualTo("Renamed 0");
        assertThat(f.shard(f.ids().get(10)).get("deleted").asBoolean()).isTrue();
        assertThat(f.shard(f.ids().get(11)).get("deleted").asBoolean()).isTrue();
        assertThat(f.shard(f.ids().get(12)).get("deleted").asBoolean()).isFalse();
        assertThat(f.shard(created).at("/structuredData/name").asText()).isEqualTo("Brand new");

        // nothing changed since: nothing read but the empty delta
        SalesforceSyncScenario.assertCounts(f.run("incremental"), "completed", 0, 0, 0, 0, 0);
    }

    @Test
    void anExpiredTokenMakesThePassFullAndTheExecutionSaysSo() {
        Feed f = feedOf(250, Map.of());
        SalesforceSyncScenario.assertCounts(f.run("full"), "completed", 250, 250, 0, 0, 0);
        feed.put(f.tenantId(), f.ids().get(0), "Changed while the token expired", "+1 555 1234");
        feed.expireTokens(f.tenantId());

        JsonNode incremental = f.run("incremental");
        assertThat(incremental.get("mode").asText()).isEqualTo("incremental");
        assertThat(incremental.get("notice").asText()).contains("refused the change marker").contains("delta token expired")
                .contains("the pass became a full pass");
        SalesforceSyncScenario.assertCounts(incremental, "completed", 250, 0, 1, 249, 0);
        assertThat(f.shard(f.ids().get(0)).at("/structuredData/name").asText()).isEqualTo("Changed while the token expired");

        // the full pass gave a new token: the next incremental pass reads from it
        feed.put(f.tenantId(), f.ids().get(1), "After", "+1 555 4321");
        JsonNode next = f.run("incremental");
        SalesforceSyncScenario.assertCounts(next, "completed", 1, 0, 1, 0, 0);
        assertThat(next.has("notice")).isFalse();
    }

    @Test
    void aPassSentBackToItsQueueGoesOnAtThePageAfterTheLastOneCommitted() {
        Feed f = feedOf(500, Map.of());
        // the third page is refused for volume: the run waits on its queue and comes back at that page
        feed.refuseRead(f.tenantId(), 3);
        int readsBefore = feed.reads(f.tenantId());
        JsonNode full = f.run("full");
        SalesforceSyncScenario.assertCounts(full, "completed", 500, 500, 0, 0, 0);
        assertThat(feed.reads(f.tenantId()) - readsBefore).as("three pages and the refused read").isEqualTo(4);
        assertThat(f.hub().allShards(f.key(), "c_company")).hasSize(500);

        feed.put(f.tenantId(), f.ids().get(7), "Later", "+1 555 7777");
        SalesforceSyncScenario.assertCounts(f.run("incremental"), "completed", 1, 0, 1, 0, 0);
    }

    @Test
    void aPassWhosePageIsNoLongerServedReplaysFromItsStartAndWritesNothingTwice() {
        Feed f = feedOf(500, Map.of());
        // refused at the third page, and by the time the run comes back the provider has forgotten its page cursors
        feed.refuseRead(f.tenantId(), 3, true);
        JsonNode full = f.run("full");
        assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
        assertThat(full.get("recordsCreated").asLong()).isEqualTo(500);
        // pages 1 and 2 were read again, unchanged
        assertThat(full.get("recordsUnchanged").asLong()).isEqualTo(400);
        assertThat(full.get("recordsProcessed").asLong()).isEqualTo(900);
        assertThat(f.hub().allShards(f.key(), "c_company")).hasSize(500);
    }

    @Test
    void aRecordLimitEndsARunAfterAWholePageAndTheNextRunGoesOnAtTheNextPage() {
        Feed f = feedOf(450, Map.of("maxRecordsPerSync", 100));
        String task = f.hub().task(f.key(), f.integration(), "Item", "full");
        long[] processed = new long[3];
        boolean[] more = new boolean[3];
        for (int i = 0; i < 3; i++) {
            JsonNode run = f.hub().runAndWait(f.key(), f.integration(), task, TIMEOUT);
            assertThat(run.get("status").asText()).isEqualTo("completed");
            processed[i] = run.get("recordsProcessed").asLong();
            more[i] = run.get("morePending").asBoolean();
        }
        assertThat(processed).containsExactly(200, 200, 50);
        assertThat(more).containsExactly(true, true, false);
        assertThat(f.hub().allShards(f.key(), "c_company")).hasSize(450);
    }
}
