package writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * Write-back through the real Salesforce adapter to the sandbox: shard changes reach the provider in
 * order, conflicts are settled per strategy, failures are dead-lettered and replayable, and the
 * hub's own writes do not come back as changes.
 */
class WriteBackTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private HubClient hub;
    private String key;
    private String integration;
    private String token;

    @BeforeEach
    void tenant() {
        hub = hub();
        key = hub.newTenantKey(ADMIN_KEY);
    }

    // ------------------------------------------------------------------ the write path

    @Test
    void aPatchReachesTheProviderAndDoesNotComeBackAsAChange() {
        connect(Map.of());
        JsonNode account = accounts(1).get(0);
        JsonNode shard = shardOf(account.get("Id").asText());

        JsonNode patched = patch(shard.get("id").asText(), Map.of("name", "Renamed Ltd", "phone", "+1 555 0100"), null);
        assertThat(patched.at("/structuredData/name").asText()).isEqualTo("Renamed Ltd");
        assertThat(patched.get("version").asLong()).isEqualTo(shard.get("version").asLong() + 1);

        awaitWritesFinished(shard.get("id").asText());
        JsonNode atProvider = record(account.get("Id").asText());
        assertThat(atProvider.get("Name").asText()).isEqualTo("Renamed Ltd");
        assertThat(atProvider.get("Phone").asText()).isEqualTo("+1 555 0100");
        assertThat(writes(shard.get("id").asText()).get(0).get("status").asText()).isEqualTo("done");

        // the hub's own write is not a change when it syncs the record again
        JsonNode incremental = hub.runAndWait(key, integration, hub.task(key, integration, "Account", "incremental"), TIMEOUT);
        assertThat(incremental.get("recordsUpdated").asLong()).as(incremental.toString()).isZero();
        assertThat(conflicts(null)).isEmpty();
        JsonNode after = hub.ok("GET", "/api/tenant/shards/" + shard.get("id").asText(), key, null);
        assertThat(after.get("version").asLong()).as("no second version from the echo").isEqualTo(patched.get("version").asLong());
    }

    @Test
    void writesToUnknownReadOnlyOrDeletedShardsAreRefused() {
        connect(Map.of());
        String shardId = shardOf(accounts(1).get(0).get("Id").asText()).get("id").asText();
        HubClient.Response unknown = hub.call("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("colour", "red")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().get("message").asText()).contains("colour");
        HubClient.Response readOnly = hub.call("PATCH", "/api/tenant/shards/" + shardId, key,
                Map.of("structuredData", Map.of("createdAt", "2020-01-01T00:00:00Z")));
        assertThat(readOnly.status()).isEqualTo(400);
        assertThat(readOnly.body().get("message").asText()).contains("createdAt", "not written back");
        HubClient.Response stale = hub.call("PATCH", "/api/tenant/shards/" + shardId, key,
                Map.of("structuredData", Map.of("name", "X"), "expectedVersion", 99));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(hub.call("PATCH", "/api/tenant/shards/nope", key, Map.of("structuredData", Map.of("name", "X"))).status()).isEqualTo(404);
        assertThat(hub.call("DELETE", "/api/tenant/shards/" + shardId, key, null).status()).isEqualTo(204);
        assertThat(hub.call("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("name", "X"))).status())
                .isEqualTo(409);
        // another tenant cannot see or change it
        String other = hub.newTenantKey(ADMIN_KEY);
        assertThat(hub.call("PATCH", "/api/tenant/shards/" + shardId, other, Map.of("structuredData", Map.of("name", "X"))).status())
                .isEqualTo(404);
    }

    @Test
    void anInboundOnlyIntegrationDoesNotWriteBack() {
        connect(Map.of("syncDirection", "inbound"));
        JsonNode account = accounts(1).get(0);
        String shardId = shardOf(account.get("Id").asText()).get("id").asText();
        patch(shardId, Map.of("name", "Local only"), null);
        assertThat(writes(shardId)).isEmpty();
        assertThat(record(account.get("Id").asText()).get("Name").asText()).isNotEqualTo("Local only");
    }

    @Test
    void aHundredRapidEditsToOneRecordEndWithTheLast() {
        connect(Map.of());
        JsonNode account = accounts(1).get(0);
        String shardId = shardOf(account.get("Id").asText()).get("id").asText();
        for (int i = 1; i <= 100; i++) {
            patch(shardId, Map.of("description", "edit " + i), null);
        }
        awaitWritesFinished(shardId);
        assertThat(record(account.get("Id").asText()).get("Description").asText()).isEqualTo("edit 100");
        assertThat(writes(shardId)).hasSize(100).allMatch(w -> w.get("status").asText().equals("done"));
    }

    @Test
    void editsToManyRecordsAreWrittenInParallel() {
        connect(Map.of());
        List<JsonNode> accounts = accounts(40);
        Map<String, String> shardByRecord = new HashMap<>();
        for (JsonNode a : accounts) {
            String shardId = shardOf(a.get("Id").asText()).get("id").asText();
            shardByRecord.put(a.get("Id").asText(), shardId);
            patch(shardId, Map.of("phone", "+1 555 " + a.get("Id").asText().substring(12)), null);
        }
        shardByRecord.values().forEach(this::awaitWritesFinished);
        for (JsonNode a : accounts) {
            assertThat(record(a.get("Id").asText()).get("Phone").asText()).isEqualTo("+1 555 " + a.get("Id").asText().substring(12));
        }
    }

    @Test
    void aShardCreatedInCastielIsCreatedAtTheProviderAndLinked() {
        connect(Map.of());
        JsonNode created = hub.ok("POST", "/api/tenant/shards", key, Map.of("integrationId", integration, "shardType", "c_company",
                "structuredData", Map.of("name", "Born In Castiel", "phone", "+44 20 0000 0000")));
        String shardId = created.get("id").asText();
        awaitWritesFinished(shardId);
        JsonNode linked = hub.ok("GET", "/api/tenant/shards/" + shardId, key, null);
        String externalId = linked.at("/externalRelationships/0/externalId").asText();
        assertThat(record(externalId).get("Name").asText()).isEqualTo("Born In Castiel");
        // the next sync finds the record already linked: no second shard
        hub.runAndWait(key, integration, hub.task(key, integration, "Account", "incremental"), TIMEOUT);
        assertThat(hub.allShards(key, "c_company").stream().filter(s -> s.at("/structuredData/name").asText().equals("Born In Castiel")))
                .hasSize(1);
    }

    // ------------------------------------------------------------------ conflicts

    @Test
    void castielWinsWritesOursOverTheProvidersChange() {
        Conflicted c = conflictOnPhone("castiel_wins");
        assertThat(record(c.recordId).get("Phone").asText()).isEqualTo("ours");
        JsonNode conflict = conflicts("resolved").get(0);
        assertThat(conflict.get("strategy").asText()).isEqualTo("castiel_wins");
        assertThat(conflict.at("/fields/0/field").asText()).isEqualTo("phone");
        assertThat(conflict.at("/fields/0/ours").asText()).isEqualTo("ours");
        assertThat(conflict.at("/fields/0/theirs").asText()).isEqualTo("theirs");
        assertThat(conflict.at("/fields/0/base").asText()).isEqualTo(c.base);
        assertThat(conflict.at("/fields/0/winner").asText()).isEqualTo("castiel");
    }

    @Test
    void externalWinsTakesTheProvidersValueIntoTheShard() {
        Conflicted c = conflictOnPhone("external_wins");
        assertThat(record(c.recordId).get("Phone").asText()).isEqualTo("theirs");
        assertThat(shard(c.shardId).at("/structuredData/phone").asText()).isEqualTo("theirs");
        assertThat(conflicts("resolved").get(0).at("/fields/0/winner").asText()).isEqualTo("external");
    }

    @Test
    void lastWriteWinsGoesToTheLaterChange() {
        // the shard was changed after the provider's record: Castiel's change is the later one
        Conflicted c = conflictOnPhone("last_write_wins");
        assertThat(record(c.recordId).get("Phone").asText()).isEqualTo("ours");
        assertThat(conflicts("resolved").get(0).at("/fields/0/winner").asText()).isEqualTo("castiel");
    }

    @Test
    void manualHoldsTheFieldUntilResolvedAndTheResolutionReachesBothSides() {
        Conflicted c = conflictOnPhone("manual");
        JsonNode open = conflicts("open").get(0);
        assertThat(open.at("/fields/0/winner").isNull()).isTrue();
        assertThat(record(c.recordId).get("Phone").asText()).as("held: not written").isEqualTo("theirs");
        assertThat(shard(c.shardId).at("/structuredData/phone").asText()).isEqualTo("ours");

        HubClient.Response bad = hub.call("POST", "/api/tenant/conflicts/" + open.get("id").asText() + "/resolve", key,
                Map.of("values", Map.of("name", "x")));
        assertThat(bad.status()).isEqualTo(400);
        JsonNode resolved = hub.ok("POST", "/api/tenant/conflicts/" + open.get("id").asText() + "/resolve", key,
                Map.of("values", Map.of("phone", "chosen")));
        assertThat(resolved.get("status").asText()).isEqualTo("resolved");
        awaitWritesFinished(c.shardId);
        assertThat(record(c.recordId).get("Phone").asText()).isEqualTo("chosen");
        assertThat(shard(c.shardId).at("/structuredData/phone").asText()).isEqualTo("chosen");
        assertThat(conflicts("open")).isEmpty();
        assertThat(hub.call("POST", "/api/tenant/conflicts/" + open.get("id").asText() + "/resolve", key, Map.of("keep", "ours")).status())
                .isEqualTo(409);
    }

    @Test
    void mergeCombinesChangesToDifferentFieldsAndFallsBackOnTheSameField() {
        connect(Map.of("conflictResolution", "merge", "writeBack", Map.of("fallback", "external_wins")));
        JsonNode account = accounts(1).get(0);
        String recordId = account.get("Id").asText();
        String shardId = shardOf(recordId).get("id").asText();
        assertThat(hub.sandbox("PATCH", token, "/sobjects/Account/" + recordId, Map.of("Phone", "their phone", "Description", "their text"))
                .status()).isEqualTo(204);
        patch(shardId, Map.of("name", "Our Name", "description", "our text"), null);
        awaitWritesFinished(shardId);
        JsonNode atProvider = record(recordId);
        assertThat(atProvider.get("Name").asText()).isEqualTo("Our Name");
        assertThat(atProvider.get("Phone").asText()).isEqualTo("their phone");
        assertThat(atProvider.get("Description").asText()).as("overlap: the fallback gives it to the provider").isEqualTo("their text");
        JsonNode merged = shard(shardId).get("structuredData");
        assertThat(merged.get("name").asText()).isEqualTo("Our Name");
        assertThat(merged.get("phone").asText()).isEqualTo("their phone");
        assertThat(merged.get("description").asText()).isEqualTo("their text");
    }

    @Test
    void fieldPriorityGivesEachFieldToItsOwner() {
        connect(Map.of("conflictResolution", "field_priority",
                "writeBack", Map.of("fieldPriority", Map.of("name", "castiel", "phone", "external"))));
        JsonNode account = accounts(1).get(0);
        String recordId = account.get("Id").asText();
        String shardId = shardOf(recordId).get("id").asText();
        assertThat(hub.sandbox("PATCH", token, "/sobjects/Account/" + recordId, Map.of("Name", "Their Name", "Phone", "their phone"))
                .status()).isEqualTo(204);
        patch(shardId, Map.of("name", "Our Name", "phone", "our phone"), null);
        awaitWritesFinished(shardId);
        assertThat(record(recordId).get("Name").asText()).isEqualTo("Our Name");
        assertThat(record(recordId).get("Phone").asText()).isEqualTo("their phone");
        assertThat(shard(shardId).at("/structuredData/phone").asText()).isEqualTo("their phone");
    }

    @Test
    void aLocalChangeSurvivesAnInboundSyncThatRunsBeforeItIsWrittenBack() {
        // the relay is fast, so a sync that lands before it is simulated by a provider change synced while a conflict is held
        Conflicted c = conflictOnPhone("manual");
        hub.sandbox("PATCH", token, "/sobjects/Account/" + c.recordId, Map.of("Name", "Renamed at the provider"));
        hub.runAndWait(key, integration, hub.task(key, integration, "Account", "incremental"), TIMEOUT);
        JsonNode data = shard(c.shardId).get("structuredData");
        assertThat(data.get("name").asText()).as("the provider's change to another field comes in").isEqualTo("Renamed at the provider");
        assertThat(data.get("phone").asText()).as("the held local change is kept").isEqualTo("ours");
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aRejectedRecordIsDeadLetteredShownOnTheShardAndCanBeReplayed() {
        connect(Map.of("writeBack", Map.of("retry", Map.of("maxAttempts", 2, "backoffMs", 50))));
        JsonNode account = accounts(1).get(0);
        String recordId = account.get("Id").asText();
        String shardId = shardOf(recordId).get("id").asText();
        patch(shardId, Map.of("phone", "9".repeat(60)), null);
        awaitWritesFinished(shardId);
        assertThat(writes(shardId).get(0).get("status").asText()).isEqualTo("failed");
        JsonNode link = shard(shardId).at("/externalRelationships/0");
        assertThat(link.get("syncError").asText()).contains("STRING_TOO_LONG");

        JsonNode letter = awaitDeadLetter(shardId);
        assertThat(letter.get("failedStep").asText()).isEqualTo("update");
        assertThat(letter.get("reason").asText()).contains("STRING_TOO_LONG");
        assertThat(letter.get("sourceQueue").asText()).isEqualTo("sync-outbound");
        assertThat(letter.get("body").asText()).contains(shardId);

        // fixed in Castiel, then the dead letter replayed: the write goes through
        patch(shardId, Map.of("phone", "+1 555 0199"), null);
        awaitWritesFinished(shardId);
        assertThat(hub.call("POST", "/api/admin/deadletters/" + letter.get("id").asText() + "/replay", ADMIN_KEY, null).status())
                .isEqualTo(202);
        Awaitility.await().atMost(TIMEOUT).until(() -> writes(shardId).get(0).get("status").asText().equals("done"));
        assertThat(record(recordId).get("Phone").asText()).isEqualTo("+1 555 0199");
        assertThat(shard(shardId).at("/externalRelationships/0/syncError").isMissingNode()
                || shard(shardId).at("/externalRelationships/0/syncError").isNull()).isTrue();
        assertThat(hub.call("DELETE", "/api/admin/deadletters/" + letter.get("id").asText(), ADMIN_KEY, null).status()).isEqualTo(204);
        assertThat(hub.call("DELETE", "/api/admin/deadletters/" + letter.get("id").asText(), ADMIN_KEY, null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ helpers

    private record Conflicted(String recordId, String shardId, String base) {
    }

    /** The provider changes Phone to "theirs", then Castiel changes it to "ours", before any sync: a conflict. */
    private Conflicted conflictOnPhone(String strategy) {
        connect(Map.of("conflictResolution", strategy));
        JsonNode account = accounts(1).get(0);
        String recordId = account.get("Id").asText();
        JsonNode shard = shardOf(recordId);
        String base = shard.at("/structuredData/phone").asText();
        assertThat(hub.sandbox("PATCH", token, "/sobjects/Account/" + recordId, Map.of("Phone", "theirs")).status()).isEqualTo(204);
        patch(shard.get("id").asText(), Map.of("phone", "ours"), null);
        awaitWritesFinished(shard.get("id").asText());
        return new Conflicted(recordId, shard.get("id").asText(), base);
    }

    private void connect(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(Map.of("syncDirection", "bidirectional"));
        all.putAll(settings);
        String org = "wb-" + UUID.randomUUID().toString().substring(0, 8);
        integration = hub.connectedSalesforce(key, org, all);
        token = hub.sandboxToken(org);
        JsonNode full = hub.runAndWait(key, integration, hub.task(key, integration, "Account", "full"), TIMEOUT);
        assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
    }

    private List<JsonNode> accounts(int n) {
        return hub.sandboxRecords(token, "Account", "Id, Name, Phone", n);
    }

    private JsonNode record(String id) {
        HubClient.Response r = hub.sandbox("GET", token, "/sobjects/Account/" + id, null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private JsonNode shardOf(String externalId) {
        return hub.allShards(key, "c_company").stream()
                .filter(s -> s.at("/externalRelationships/0/externalId").asText().equals(externalId)).findFirst().orElseThrow();
    }

    private JsonNode shard(String id) {
        return hub.ok("GET", "/api/tenant/shards/" + id, key, null);
    }

    private JsonNode patch(String shardId, Map<String, Object> data, Long expectedVersion) {
        Map<String, Object> body = new HashMap<>(Map.of("structuredData", data));
        if (expectedVersion != null) {
            body.put("expectedVersion", expectedVersion);
        }
        return hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, body);
    }

    private List<JsonNode> writes(String shardId) {
        List<JsonNode> items = new ArrayList<>();
        hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items").forEach(items::add);
        return items;
    }

    private void awaitWritesFinished(String shardId) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> writes(shardId).stream().allMatch(w -> w.hasNonNull("finishedAt")));
    }

    private List<JsonNode> conflicts(String status) {
        List<JsonNode> items = new ArrayList<>();
        hub.ok("GET", "/api/tenant/conflicts" + (status == null ? "" : "?status=" + status), key, null).get("items").forEach(items::add);
        return items;
    }

    private JsonNode awaitDeadLetter(String shardId) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await().atMost(TIMEOUT).until(() -> {
            for (JsonNode d : hub.ok("GET", "/api/admin/deadletters?limit=500", ADMIN_KEY, null).get("items")) {
                if (d.get("body").asText().contains(shardId)) {
                    found[0] = d;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
