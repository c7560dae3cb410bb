package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubSpotPortal;

/**
 * Write-back to HubSpot through the outbox and the three-way comparison, with every conflict strategy. HubSpot has no
 * conditional write (its last write wins), so the comparison with what HubSpot holds when the write-back reads the
 * record, and the re-read after the write (its hs_lastmodifieddate moves), are what keeps both sides' changes.
 */
class HubSpotWriteBackTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** A tenant's bidirectional HubSpot integration on a portal of its own, its companies synced. */
    private final class Session {
        final HubClient hub = hub();
        final String key = hub.newTenantKey(ADMIN_KEY);
        final HubSpotPortal portal = new HubSpotPortal(hub, "wb");
        final String integration;

        Session(Map<String, Object> settings, String... entities) {
            Map<String, Object> all = new HashMap<>(Map.of("syncDirection", "bidirectional"));
            all.putAll(settings);
            integration = portal.connect(key, all);
            for (String entity : entities.length == 0 ? new String[] {"companies"} : entities) {
                JsonNode full = hub.runAndWait(key, integration, hub.task(key, integration, entity, "full"), TIMEOUT);
                assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
            }
        }

        String companyId() {
            return portal.records("companies", List.of("name"), 1).get(0).get("id").asText();
        }

        JsonNode company(String id) {
            return portal.record("companies", id, "name,phone,description,hs_lastmodifieddate").get("properties");
        }

        JsonNode shardOf(String shardType, String externalId) {
            return HubSpotPortal.shardsByExternalId(hub, key, shardType).get(externalId);
        }

        JsonNode shard(String id) {
            return hub.ok("GET", "/api/tenant/shards/" + id, key, null);
        }

        void patch(String shardId, Map<String, Object> data) {
            hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", data));
        }

        List<JsonNode> writes(String shardId) {
            List<JsonNode> items = new ArrayList<>();
            hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items").forEach(items::add);
            return items;
        }

        void awaitWritesFinished(String shardId) {
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> writes(shardId).stream().allMatch(w -> w.hasNonNull("finishedAt")));
        }

        List<JsonNode> conflicts(String status) {
            List<JsonNode> items = new ArrayList<>();
            hub.ok("GET", "/api/tenant/conflicts?status=" + status, key, null).get("items").forEach(items::add);
            return items;
        }

        /** HubSpot changes the phone to "theirs", then Castiel changes it to "ours", before any sync. */
        String[] conflictOnPhone() {
            String id = companyId();
            String shardId = shardOf("c_company", id).get("id").asText();
            portal.update("companies", id, Map.of("phone", "theirs"));
            patch(shardId, Map.of("phone", "ours"));
            awaitWritesFinished(shardId);
            return new String[] {id, shardId};
        }
    }

    @Test
    void aPatchReachesHubSpotAndDoesNotComeBackAsAChange() {
        Session s = new Session(Map.of());
        String id = s.companyId();
        JsonNode shard = s.shardOf("c_company", id);
        String shardId = shard.get("id").asText();

        s.patch(shardId, Map.of("name", "Renamed Ltd", "phone", "+1 555 0100", "employees", 42));
        s.awaitWritesFinished(shardId);

        JsonNode atHubSpot = s.portal.record("companies", id, "name,phone,numberofemployees").get("properties");
        assertThat(atHubSpot.get("name").asText()).isEqualTo("Renamed Ltd");
        assertThat(atHubSpot.get("phone").asText()).isEqualTo("+1 555 0100");
        assertThat(atHubSpot.get("numberofemployees").asText()).isEqualTo("42");
        assertThat(s.writes(shardId).get(0).get("status").asText()).isEqualTo("done");
        // the re-read's marker is the link's version: the next sync finds the hub's own write unchanged
        assertThat(s.shard(shardId).at("/externalRelationships/0/externalVersion").asText())
                .isEqualTo(s.company(id).get("hs_lastmodifieddate").asText());
        JsonNode incremental = s.hub.runAndWait(s.key, s.integration, s.hub.task(s.key, s.integration, "companies", "incremental"), TIMEOUT);
        assertThat(incremental.get("recordsUpdated").asLong()).as(incremental.toString()).isZero();
        assertThat(s.conflicts("open")).isEmpty();
    }

    @Test
    void castielWinsWritesOursOverHubSpotsChange() {
        Session s = new Session(Map.of("conflictResolution", "castiel_wins"));
        String[] c = s.conflictOnPhone();
        assertThat(s.company(c[0]).get("phone").asText()).isEqualTo("ours");
        JsonNode conflict = s.conflicts("resolved").get(0);
        assertThat(conflict.get("strategy").asText()).isEqualTo("castiel_wins");
        assertThat(conflict.at("/fields/0/field").asText()).isEqualTo("phone");
        assertThat(conflict.at("/fields/0/theirs").asText()).isEqualTo("theirs");
        assertThat(conflict.at("/fields/0/winner").asText()).isEqualTo("castiel");
    }

    @Test
    void externalWinsTakesHubSpotsValueIntoTheShard() {
        Session s = new Session(Map.of("conflictResolution", "external_wins"));
        String[] c = s.conflictOnPhone();
        assertThat(s.company(c[0]).get("phone").asText()).isEqualTo("theirs");
        assertThat(s.shard(c[1]).at("/structuredData/phone").asText()).isEqualTo("theirs");
        assertThat(s.conflicts("resolved").get(0).at("/fields/0/winner").asText()).isEqualTo("external");
    }

    @Test
    void lastWriteWinsComparesTheShardsChangeWithHubSpotsModificationDate() {
        Session s = new Session(Map.of("conflictResolution", "last_write_wins"));
        String[] c = s.conflictOnPhone();
        // Castiel's change came after HubSpot's (hs_lastmodifieddate): ours is the later one
        assertThat(s.company(c[0]).get("phone").asText()).isEqualTo("ours");
        assertThat(s.conflicts("resolved").get(0).at("/fields/0/winner").asText()).isEqualTo("castiel");
    }

    @Test
    void manualHoldsTheFieldUntilResolvedAndTheResolutionReachesHubSpot() {
        Session s = new Session(Map.of("conflictResolution", "manual"));
        String[] c = s.conflictOnPhone();
        JsonNode open = s.conflicts("open").get(0);
        assertThat(open.at("/fields/0/field").asText()).isEqualTo("phone");
        assertThat(s.company(c[0]).get("phone").asText()).as("held: not written").isEqualTo("theirs");

        s.hub.ok("POST", "/api/tenant/conflicts/" + open.get("id").asText() + "/resolve", s.key, Map.of("values", Map.of("phone", "chosen")));
        s.awaitWritesFinished(c[1]);
        assertThat(s.company(c[0]).get("phone").asText()).isEqualTo("chosen");
        assertThat(s.shard(c[1]).at("/structuredData/phone").asText()).isEqualTo("chosen");
        assertThat(s.conflicts("open")).isEmpty();
    }

    @Test
    void mergeCombinesChangesToDifferentFieldsAndFallsBackOnTheSameField() {
        Session s = new Session(Map.of("conflictResolution", "merge", "writeBack", Map.of("fallback", "external_wins")));
        String id = s.companyId();
        String shardId = s.shardOf("c_company", id).get("id").asText();
        s.portal.update("companies", id, Map.of("phone", "their phone", "description", "their text"));
        s.patch(shardId, Map.of("name", "Our Name", "description", "our text"));
        s.awaitWritesFinished(shardId);
        JsonNode atHubSpot = s.company(id);
        assertThat(atHubSpot.get("name").asText()).isEqualTo("Our Name");
        assertThat(atHubSpot.get("phone").asText()).isEqualTo("their phone");
        assertThat(atHubSpot.get("description").asText()).isEqualTo("their text");
        JsonNode merged = s.shard(shardId).get("structuredData");
        assertThat(merged.get("name").asText()).isEqualTo("Our Name");
        assertThat(merged.get("phone").asText()).isEqualTo("their phone");
    }

    @Test
    void fieldPriorityGivesEachFieldToItsOwner() {
        Session s = new Session(Map.of("conflictResolution", "field_priority",
                "writeBack", Map.of("fieldPriority", Map.of("name", "castiel", "phone", "external"))));
        String id = s.companyId();
        String shardId = s.shardOf("c_company", id).get("id").asText();
        s.portal.update("companies", id, Map.of("name", "Their Name", "phone", "their phone"));
        s.patch(shardId, Map.of("name", "Our Name", "phone", "our phone"));
        s.awaitWritesFinished(shardId);
        assertThat(s.company(id).get("name").asText()).isEqualTo("Our Name");
        assertThat(s.company(id).get("phone").asText()).isEqualTo("their phone");
        assertThat(s.shard(shardId).at("/structuredData/phone").asText()).isEqualTo("their phone");
    }

    @Test
    void contactsAndDealsAreWrittenBackCreatedAndDeletedThroughTheirOwnProperties() {
        Session s = new Session(Map.of(), "companies", "contacts", "deals");
        String contactId = s.portal.records("contacts", List.of("email"), 1).get(0).get("id").asText();
        String contactShard = s.shardOf("c_contact", contactId).get("id").asText();
        s.patch(contactShard, Map.of("title", "Head of Widgets", "mobile", "+1 555 0142"));
        String dealId = s.portal.records("deals", List.of("dealname"), 1).get(0).get("id").asText();
        String dealShard = s.shardOf("c_opportunity", dealId).get("id").asText();
        s.patch(dealShard, Map.of("amount", 2500.5, "closeDate", "2026-03-31"));
        s.awaitWritesFinished(contactShard);
        s.awaitWritesFinished(dealShard);
        JsonNode contact = s.portal.record("contacts", contactId, "jobtitle,mobilephone").get("properties");
        assertThat(contact.get("jobtitle").asText()).isEqualTo("Head of Widgets");
        assertThat(contact.get("mobilephone").asText()).isEqualTo("+1 555 0142");
        JsonNode deal = s.portal.record("deals", dealId, "amount,closedate").get("properties");
        assertThat(deal.get("amount").asText()).isIn("2500.5", "2500.50");
        assertThat(deal.get("closedate").asText()).startsWith("2026-03-31T00:00:00");

        // a company made in Castiel is created at HubSpot and linked; deleting the shard archives it there
        JsonNode created = s.hub.ok("POST", "/api/tenant/shards", s.key, Map.of("integrationId", s.integration, "shardType", "c_company",
                "structuredData", Map.of("name", "Born In Castiel", "domain", "born.example")));
        String shardId = created.get("id").asText();
        s.awaitWritesFinished(shardId);
        String externalId = s.shard(shardId).at("/externalRelationships/0/externalId").asText();
        assertThat(s.company(externalId).get("name").asText()).isEqualTo("Born In Castiel");
        s.hub.ok("DELETE", "/api/tenant/shards/" + shardId, s.key, null);
        s.awaitWritesFinished(shardId);
        assertThat(s.portal.call("GET", "/crm/v3/objects/companies/" + externalId, null).status()).isEqualTo(404);
        assertThat(s.portal.call("GET", "/crm/v3/objects/companies/" + externalId + "?archived=true", null).status()).isEqualTo(200);
    }
}
