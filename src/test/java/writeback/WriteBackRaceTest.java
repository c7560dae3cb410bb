package writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;

/** A provider change that lands between the hub's read and its conditional write: the 412 re-enters conflict detection. */
class WriteBackRaceTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    TestProviderAdapter provider;

    @Test
    void aRecordChangedJustBeforeTheWriteIsComparedAgainNotOverwritten() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String key = tenant.key();
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                "name", "race", "syncDirection", "bidirectional", "conflictResolution", "external_wins")).get("id").asText();
        assertThat(hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                Map.of("credentials", Map.of("ttlMinutes", "60"))).get("ok").asBoolean()).isTrue();
        String item = provider.seedItem(tenant.id(), "Race Ltd", "+1 000");
        JsonNode full = hub.runAndWait(key, integration, hub.task(key, integration, "Item", "full"), TIMEOUT);
        assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
        JsonNode shard = hub.allShards(key, "c_company").stream()
                .filter(s -> s.at("/externalRelationships/0/externalId").asText().equals(item)).findFirst().orElseThrow();
        String shardId = shard.get("id").asText();

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
}
