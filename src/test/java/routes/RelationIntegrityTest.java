package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * Relations stay whole: a contact synced before its account has an orphaned works_at relation, listed at
 * {@code /api/tenant/relations?status=orphaned}, which mends itself when the account arrives; a shard shows its
 * relations both ways; a deleted target orphans the relations to it again. Every list is the tenant's own.
 */
class RelationIntegrityTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void relationsToARecordNotYetSyncedAreOrphanedUntilItArrivesAndShowBothWays() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.connectedSalesforce(key, "relations-" + UUID.randomUUID().toString().substring(0, 8), Map.of());

        hub.runAndWait(key, integration, hub.task(key, integration, "Contact", "full"), TIMEOUT);
        List<JsonNode> contacts = hub.allShards(key, "c_contact");
        List<JsonNode> orphaned = orphaned(hub, key);
        assertThat(orphaned).isNotEmpty().hasSize(contacts.size());
        assertThat(orphaned).allSatisfy(o -> {
            assertThat(o.get("sourceShardType").asText()).isEqualTo("c_contact");
            assertThat(o.at("/relation/type").asText()).isEqualTo("works_at");
            assertThat(o.at("/relation/status").asText()).isEqualTo("orphaned");
            assertThat(o.get("relation").has("targetShardId")).as("no target shard").isFalse();
            assertThat(o.get("reason").asText()).contains("has no shard");
        });
        // pages of 7 walk the same list, each relation once
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = hub.ok("GET", "/api/tenant/relations?status=orphaned&limit=7" + (cursor == null ? "" : "&cursor=" + cursor), key, null);
            page.get("items").forEach(o -> assertThat(seen.add(o.get("sourceShardId").asText() + o.at("/relation/targetExternalId").asText()))
                    .isTrue());
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).hasSize(orphaned.size());

        hub.runAndWait(key, integration, hub.task(key, integration, "Account", "full"), TIMEOUT);
        assertThat(orphaned(hub, key)).isEmpty();
        JsonNode contact = hub.ok("GET", "/api/tenant/shards/" + contacts.get(0).get("id").asText(), key, null);
        JsonNode worksAt = contact.at("/relationships/0");
        assertThat(worksAt.get("status").asText()).isEqualTo("resolved");
        String companyId = worksAt.get("targetShardId").asText();
        JsonNode company = hub.ok("GET", "/api/tenant/shards/" + companyId, key, null);
        assertThat(company.at("/externalRelationships/0/externalId").asText()).isEqualTo(worksAt.get("targetExternalId").asText());
        List<String> from = new ArrayList<>();
        company.get("incomingRelationships").forEach(r -> {
            assertThat(r.get("type").asText()).isEqualTo("works_at");
            assertThat(r.get("externalId").asText()).isEqualTo(worksAt.get("targetExternalId").asText());
            from.add(r.get("sourceShardId").asText());
        });
        assertThat(from).contains(contact.get("id").asText());

        // the company's shard is deleted: the relations to it are orphaned again, with why
        assertThat(hub.call("DELETE", "/api/tenant/shards/" + companyId, key, null).status()).isEqualTo(204);
        List<JsonNode> again = orphaned(hub, key);
        assertThat(again).extracting(o -> o.get("sourceShardId").asText()).containsExactlyInAnyOrderElementsOf(from);
        assertThat(again).allSatisfy(o -> assertThat(o.get("reason").asText()).isEqualTo("the target's shard is deleted"));
        assertThat(hub.ok("GET", "/api/tenant/shards/" + contact.get("id").asText(), key, null).at("/relationships/0/status").asText())
                .isEqualTo("orphaned");

        // another tenant sees none of it
        String other = hub.newTenantKey(ADMIN_KEY);
        assertThat(orphaned(hub, other)).isEmpty();
        assertThat(hub.call("GET", "/api/tenant/shards/" + companyId, other, null).status()).isEqualTo(404);
    }

    @Test
    void theRelationListNamesWhatIsWrongWithARequest() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        HubClient.Response noStatus = hub.call("GET", "/api/tenant/relations", key, null);
        assertThat(noStatus.status()).isEqualTo(400);
        assertThat(noStatus.raw()).contains("status");
        HubClient.Response unknown = hub.call("GET", "/api/tenant/relations?status=broken", key, null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.raw()).contains("orphaned");
        HubClient.Response cursor = hub.call("GET", "/api/tenant/relations?status=orphaned&cursor=bm9wZQ", key, null);
        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.raw()).contains("cursor");
        assertThat(hub.call("GET", "/api/tenant/relations?status=orphaned", null, null).status()).isEqualTo(401);
    }

    private static List<JsonNode> orphaned(HubClient hub, String key) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = hub.ok("GET", "/api/tenant/relations?status=orphaned&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), key, null);
            page.get("items").forEach(all::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return all;
    }
}
