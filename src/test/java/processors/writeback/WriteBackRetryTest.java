package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;

/**
 * What the Salesforce sandbox cannot stage on demand, against the in-memory test provider: a provider
 * change landing between the hub's read and its conditional write (the 412 re-enters conflict
 * detection), and a provider outage (retried with backoff, then dead-lettered).
 */
class WriteBackRetryTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    TestProviderAdapter provider;

    private HubClient hub;
    private HubClient.Tenant tenant;
    private String key;
    private String item;
    private String shardId;

    /** An integration of the test provider with one Item synced into a shard. */
    private void itemSynced(Map<String, Object> settings) {
        hub = hub();
        tenant = hub.newTenant(ADMIN_KEY);
        key = tenant.key();
        Map<String, Object> body = new java.util.HashMap<>(Map.of("providerId", TestProviderAdapter.PROVIDER_ID, "name", "items",
                "syncDirection", "bidirectional"));
        body.putAll(settings);
        String integration = hub.ok("POST", "/api/tenant/integrations", key, body).get("id").asText();
        assertThat(hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                Map.of("credentials", Map.of("ttlMinutes", "60"))).get("ok").asBoolean()).isTrue();
        item = provider.seedItem(tenant.id(), "Item Ltd", "+1 000");
        JsonNode full = hub.runAndWait(key, integration, hub.task(key, integration, "Item", "full"), TIMEOUT);
        assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
        shardId = hub.allShards(key, "c_company").stream()
                .filter(s -> s.at("/externalRelationships/0/externalId").asText().equals(item)).findFirst().orElseThrow().get("id").asText();
    }

    @Test
    void aRecordChangedJustBeforeTheWriteIsComparedAgainNotOverwritten() {
        itemSynced(Map.of("conflictResolution", "external_wins"));

        int callsBefore = provider.updateCalls();
        provider.raceNextUpdate(item, Map.of("Phone", "+1 their late change"));
        hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("phone", "+1 ours", "name", "Our Name")));
        Awaitility.await().atMost(TIMEOUT).until(() -> hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null)
                .get("items").get(0).hasNonNull("finishedAt"));

        // first write refused (412), then compared again: phone changed on both sides goes to the provider (external_wins),
        // the name only Castiel changed is written
        assertThat(provider.updateCalls() - callsBefore).isEqualTo(2);
        Map<String, Object> atProvider = provider.item(tenant.id(), item);
        assertThat(atProvider.get("Phone")).isEqualTo("+1 their late change");
        assertThat(atProvider.get("Name")).isEqualTo("Our Name");
        JsonNode after = hub.ok("GET", "/api/tenant/shards/" + shardId, key, null);
        assertThat(after.at("/structuredData/phone").asText()).isEqualTo("+1 their late change");
        JsonNode conflict = hub.ok("GET", "/api/tenant/conflicts?shardId=" + shardId, key, null).get("items").get(0);
        assertThat(conflict.at("/fields/0/theirs").asText()).isEqualTo("+1 their late change");
        assertThat(conflict.at("/fields/0/winner").asText()).isEqualTo("external");
    }

    @Test
    void anOutageIsRetriedWithBackoffThenDeadLetteredWithItsReason() {
        itemSynced(Map.of("writeBack", Map.of("retry", Map.of("maxAttempts", 3, "backoffMs", 200, "backoffMultiplier", 2))));
        provider.failUpdates(item, 2);
        long start = System.nanoTime();
        hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("phone", "+1 after outage")));
        Awaitility.await().atMost(TIMEOUT).until(() -> hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null)
                .get("items").get(0).hasNonNull("finishedAt"));
        JsonNode write = hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items").get(0);
        assertThat(write.get("status").asText()).isEqualTo("done");
        assertThat(write.get("attempts").asInt()).as("two failed attempts before the third went through").isEqualTo(2);
        assertThat(System.nanoTime() - start).as("waited 200 ms, then 400 ms").isGreaterThan(Duration.ofMillis(600).toNanos());
        assertThat(provider.item(tenant.id(), item).get("Phone")).isEqualTo("+1 after outage");

        provider.failUpdates(item, 10);
        hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("phone", "+1 never")));
        Awaitility.await().atMost(TIMEOUT).until(() -> hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null)
                .get("items").get(1).hasNonNull("finishedAt"));
        JsonNode failed = hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items").get(1);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("attempts").asInt()).isEqualTo(3);
        Awaitility.await().atMost(TIMEOUT).until(() -> {
            for (JsonNode d : hub.ok("GET", "/api/admin/deadletters?tenantId=" + tenant.id(), ADMIN_KEY, null).get("items")) {
                if (d.get("body").asText().contains(shardId)) {
                    return d.get("attempts").asInt() == 3 && d.get("reason").asText().contains("503");
                }
            }
            return false;
        });
        assertThat(hub.ok("GET", "/api/tenant/shards/" + shardId, key, null).at("/externalRelationships/0/syncError").asText())
                .contains("503");
    }
}
