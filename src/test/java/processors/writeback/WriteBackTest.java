package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import hub.EmbeddedHubTest;
import hub.HubClient;
import io.micrometer.core.instrument.MeterRegistry;
import store.OutboxStore;

/**
 * Write-back through the real Salesforce adapter to the sandbox, on the embedded default: bad
 * writes refused, direction and entity list honoured, order kept, records in parallel, creation,
 * every conflict strategy, local changes kept by an inbound sync, links without a base, dead letters and replay.
 */
class WriteBackTest extends EmbeddedHubTest implements WriteBackScenario {

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private MeterRegistry meters;

    // ------------------------------------------------------------------ the write path

    @Test
    void writesToUnknownReadOnlyOrDeletedShardsAreRefused() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of());
        HubClient hub = s.hub;
        String shardId = s.shardOf(s.accounts(1).get(0).get("Id").asText()).get("id").asText();
        String path = "/api/tenant/shards/" + shardId;
        HubClient.Response unknown = hub.call("PATCH", path, s.key, Map.of("structuredData", Map.of("colour", "red")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().get("message").asText()).contains("colour");
        HubClient.Response readOnly = hub.call("PATCH", path, s.key, Map.of("structuredData", Map.of("createdAt", "2020-01-01T00:00:00Z")));
        assertThat(readOnly.status()).isEqualTo(400);
        assertThat(readOnly.body().get("message").asText()).contains("createdAt", "not written back");
        assertThat(hub.call("PATCH", path, s.key, Map.of("structuredData", Map.of())).status()).isEqualTo(400);
        HubClient.Response stale = hub.call("PATCH", path, s.key, Map.of("structuredData", Map.of("name", "X"), "expectedVersion", 99));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(hub.call("PATCH", "/api/tenant/shards/nope", s.key, Map.of("structuredData", Map.of("name", "X"))).status())
                .isEqualTo(404);
        // another tenant can neither see nor change it
        String other = hub.newTenantKey(ADMIN_KEY);
        assertThat(hub.call("PATCH", path, other, Map.of("structuredData", Map.of("name", "X"))).status()).isEqualTo(404);
        assertThat(hub.call("DELETE", path, other, null).status()).isEqualTo(404);
        assertThat(hub.call("DELETE", path, s.key, null).status()).isEqualTo(204);
        assertThat(hub.call("PATCH", path, s.key, Map.of("structuredData", Map.of("name", "X"))).status()).isEqualTo(409);
    }

    @Test
    void onlyOutboundDirectionsAndListedEntitiesWriteBack() {
        WriteBackSession inbound = new WriteBackSession(hub(), Map.of("syncDirection", "inbound"));
        JsonNode account = inbound.accounts(1).get(0);
        String shardId = inbound.shardOf(account.get("Id").asText()).get("id").asText();
        inbound.patch(shardId, Map.of("name", "Local only"));
        assertThat(inbound.writes(shardId)).isEmpty();
        assertThat(inbound.record(account.get("Id").asText()).get("Name").asText()).isNotEqualTo("Local only");

        WriteBackSession contactsOnly = new WriteBackSession(hub(), Map.of("writeBack", Map.of("entities", List.of("Contact"))));
        String other = contactsOnly.shardOf(contactsOnly.accounts(1).get(0).get("Id").asText()).get("id").asText();
        contactsOnly.patch(other, Map.of("name", "Not written"));
        assertThat(contactsOnly.writes(other)).isEmpty();
    }

    @Test
    void aHundredRapidEditsToOneRecordEndWithTheLast() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of());
        String recordId = s.accounts(1).get(0).get("Id").asText();
        String shardId = s.shardOf(recordId).get("id").asText();
        double doneBefore = done();
        for (int i = 1; i <= 100; i++) {
            s.patch(shardId, Map.of("description", "edit " + i));
        }
        s.awaitWritesFinished(shardId);
        assertThat(s.record(recordId).get("Description").asText()).isEqualTo("edit 100");
        assertThat(s.writes(shardId)).hasSize(100).allMatch(w -> w.get("status").asText().equals("done"));
        // the write-back outcomes meter (hub_writeback_records_total{status="done"}) counted the hundred, once each
        // (other tests' writes may finish meanwhile, so at least)
        assertThat(done() - doneBefore).isGreaterThanOrEqualTo(100);
    }

    @Test
    void editsToManyRecordsAreWrittenInParallel() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of());
        List<JsonNode> accounts = s.accounts(40);
        Map<String, String> shardByRecord = new HashMap<>();
        for (JsonNode a : accounts) {
            String shardId = s.shardOf(a.get("Id").asText()).get("id").asText();
            shardByRecord.put(a.get("Id").asText(), shardId);
            s.patch(shardId, Map.of("phone", "+1 555 " + a.get("Id").asText().substring(12)));
        }
        shardByRecord.values().forEach(s::awaitWritesFinished);
        for (JsonNode a : accounts) {
            assertThat(s.record(a.get("Id").asText()).get("Phone").asText()).isEqualTo("+1 555 " + a.get("Id").asText().substring(12));
        }
    }

    @Test
    void aShardCreatedInCastielIsCreatedAtTheProviderAndLinked() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of());
        JsonNode created = s.hub.ok("POST", "/api/tenant/shards", s.key, Map.of("integrationId", s.integration, "shardType", "c_company",
                "structuredData", Map.of("name", "Born In Castiel", "phone", "+44 20 0000 0000")));
        String shardId = created.get("id").asText();
        s.awaitWritesFinished(shardId);
        String externalId = s.shard(shardId).at("/externalRelationships/0/externalId").asText();
        assertThat(s.record(externalId).get("Name").asText()).isEqualTo("Born In Castiel");
        // the next sync finds the record already linked: no second shard
        s.sync("incremental");
        assertThat(s.hub.allShards(s.key, "c_company").stream()
                .filter(shard -> shard.at("/structuredData/name").asText().equals("Born In Castiel"))).hasSize(1);
        HubClient.Response noIntegration = s.hub.call("POST", "/api/tenant/shards", s.key,
                Map.of("shardType", "c_company", "structuredData", Map.of("name", "x")));
        assertThat(noIntegration.status()).isEqualTo(400);
        assertThat(noIntegration.body().get("message").asText()).contains("integration");
    }

    // ------------------------------------------------------------------ conflicts

    @Test
    void castielWinsWritesOursOverTheProvidersChange() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "castiel_wins"));
        WriteBackSession.Conflicted c = s.conflictOnPhone();
        assertThat(s.record(c.recordId()).get("Phone").asText()).isEqualTo("ours");
        JsonNode conflict = s.conflicts("resolved").get(0);
        assertThat(conflict.get("strategy").asText()).isEqualTo("castiel_wins");
        assertThat(conflict.at("/fields/0/field").asText()).isEqualTo("phone");
        assertThat(conflict.at("/fields/0/ours").asText()).isEqualTo("ours");
        assertThat(conflict.at("/fields/0/theirs").asText()).isEqualTo("theirs");
        assertThat(conflict.at("/fields/0/base").asText()).isEqualTo(c.base());
        assertThat(conflict.at("/fields/0/winner").asText()).isEqualTo("castiel");
    }

    @Test
    void externalWinsTakesTheProvidersValueIntoTheShard() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "external_wins"));
        WriteBackSession.Conflicted c = s.conflictOnPhone();
        assertThat(s.record(c.recordId()).get("Phone").asText()).isEqualTo("theirs");
        assertThat(s.shard(c.shardId()).at("/structuredData/phone").asText()).isEqualTo("theirs");
        assertThat(s.conflicts("resolved").get(0).at("/fields/0/winner").asText()).isEqualTo("external");
    }

    @Test
    void lastWriteWinsGoesToTheLaterChange() {
        // the shard was changed after the provider's record: Castiel's change is the later one
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "last_write_wins"));
        WriteBackSession.Conflicted c = s.conflictOnPhone();
        assertThat(s.record(c.recordId()).get("Phone").asText()).isEqualTo("ours");
        assertThat(s.conflicts("resolved").get(0).at("/fields/0/winner").asText()).isEqualTo("castiel");
    }

    @Test
    void anEntityPolicyOverridesTheIntegrationStrategy() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "castiel_wins",
                "writeBack", Map.of("conflicts", Map.of("Account", Map.of("strategy", "external_wins")))));
        WriteBackSession.Conflicted c = s.conflictOnPhone();
        assertThat(s.record(c.recordId()).get("Phone").asText()).isEqualTo("theirs");
        assertThat(s.conflicts("resolved").get(0).get("strategy").asText()).isEqualTo("external_wins");
    }

    @Test
    void mergeCombinesChangesToDifferentFieldsAndFallsBackOnTheSameField() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "merge", "writeBack", Map.of("fallback", "external_wins")));
        String recordId = s.accounts(1).get(0).get("Id").asText();
        String shardId = s.shardOf(recordId).get("id").asText();
        s.changeInSalesforce(recordId, Map.of("Phone", "their phone", "Description", "their text"));
        s.patch(shardId, Map.of("name", "Our Name", "description", "our text"));
        s.awaitWritesFinished(shardId);
        JsonNode atProvider = s.record(recordId);
        assertThat(atProvider.get("Name").asText()).isEqualTo("Our Name");
        assertThat(atProvider.get("Phone").asText()).isEqualTo("their phone");
        assertThat(atProvider.get("Description").asText()).as("overlap: the fallback gives it to the provider").isEqualTo("their text");
        JsonNode merged = s.shard(shardId).get("structuredData");
        assertThat(merged.get("name").asText()).isEqualTo("Our Name");
        assertThat(merged.get("phone").asText()).isEqualTo("their phone");
        assertThat(merged.get("description").asText()).isEqualTo("their text");
    }

    @Test
    void fieldPriorityGivesEachFieldToItsOwner() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "field_priority",
                "writeBack", Map.of("fieldPriority", Map.of("name", "castiel", "phone", "external"))));
        String recordId = s.accounts(1).get(0).get("Id").asText();
        String shardId = s.shardOf(recordId).get("id").asText();
        s.changeInSalesforce(recordId, Map.of("Name", "Their Name", "Phone", "their phone"));
        s.patch(shardId, Map.of("name", "Our Name", "phone", "our phone"));
        s.awaitWritesFinished(shardId);
        assertThat(s.record(recordId).get("Name").asText()).isEqualTo("Our Name");
        assertThat(s.record(recordId).get("Phone").asText()).isEqualTo("their phone");
        assertThat(s.shard(shardId).at("/structuredData/phone").asText()).isEqualTo("their phone");
    }

    @Test
    void conflictSettingsAreValidated() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of());
        String path = "/api/tenant/integrations/" + s.integration;
        HubClient.Response badField = s.hub.call("PATCH", path, s.key, Map.of("writeBack", Map.of("fieldPriority", Map.of("colour", "castiel"))));
        assertThat(badField.status()).isEqualTo(400);
        assertThat(badField.body().get("field").asText()).isEqualTo("writeBack.fieldPriority.colour");
        HubClient.Response badSide = s.hub.call("PATCH", path, s.key, Map.of("writeBack", Map.of("fieldPriority", Map.of("name", "both"))));
        assertThat(badSide.status()).isEqualTo(400);
        HubClient.Response badRetry = s.hub.call("PATCH", path, s.key, Map.of("writeBack", Map.of("retry", Map.of("maxAttempts", 0))));
        assertThat(badRetry.body().get("field").asText()).isEqualTo("writeBack.retry.maxAttempts");
        HubClient.Response badEntity = s.hub.call("PATCH", path, s.key, Map.of("writeBack", Map.of("entities", List.of("Case"))));
        assertThat(badEntity.status()).isEqualTo(400);
    }

    @Test
    void aLocalChangeSurvivesAnInboundSyncThatRunsBeforeItIsWrittenBack() {
        // a held conflict keeps a local change unwritten; a provider change to another field is synced meanwhile
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "manual"));
        WriteBackSession.Conflicted c = s.conflictOnPhone();
        s.changeInSalesforce(c.recordId(), Map.of("Name", "Renamed at the provider"));
        s.sync("incremental");
        JsonNode data = s.shard(c.shardId()).get("structuredData");
        assertThat(data.get("name").asText()).as("the provider's change to another field comes in").isEqualTo("Renamed at the provider");
        assertThat(data.get("phone").asText()).as("the held local change is kept").isEqualTo("ours");
    }

    // ------------------------------------------------------------------ links without a base (synced before every sync kept one)

    @Test
    void aSyncGivesUnchangedLinksWithoutABaseTheirBaseWithoutRewritingThem() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("syncDirection", "inbound"));
        assertThat(linksWithoutBase(s.integration)).as("an inbound-only sync keeps a base too").isZero();
        assertThat(jdbc.update("UPDATE shard_external_relationships SET last_synced_snapshot = NULL WHERE integration_id = ?",
                s.integration)).isPositive();
        String shardId = s.shardOf(s.accounts(1).get(0).get("Id").asText()).get("id").asText();
        long version = s.shard(shardId).get("version").asLong();

        JsonNode again = s.sync("full");
        assertThat(again.get("recordsUpdated").asLong()).as(again.toString()).isZero();
        assertThat(linksWithoutBase(s.integration)).isZero();
        assertThat(s.shard(shardId).get("version").asLong()).as("the shard is not rewritten").isEqualTo(version);
    }

    @Test
    void aWriteBackThatFindsNoBaseSettlesAFieldBothSidesHoldDifferentlyAsAConflict() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "manual"));
        String recordId = s.accounts(1).get(0).get("Id").asText();
        String shardId = s.shardOf(recordId).get("id").asText();
        jdbc.update("UPDATE shard_external_relationships SET last_synced_snapshot = NULL WHERE shard_id = ?", shardId);
        s.changeInSalesforce(recordId, Map.of("Phone", "theirs"));
        s.patch(shardId, Map.of("phone", "ours", "description", "ours too"));
        s.awaitWritesFinished(shardId);

        JsonNode atProvider = s.record(recordId);
        assertThat(atProvider.get("Phone").asText()).as("the provider's value is not taken as consent").isEqualTo("theirs");
        assertThat(atProvider.path("Description").asText()).isNotEqualTo("ours too");
        JsonNode open = s.conflicts("open").get(0);
        assertThat(open.get("fields")).extracting(f -> f.get("field").asText()).contains("phone", "description");
        assertThat(s.shard(shardId).at("/structuredData/phone").asText()).isEqualTo("ours");

        // a further edit does not slip the held field through: it is still in conflict
        s.patch(shardId, Map.of("name", "Renamed Ltd"));
        s.awaitWritesFinished(shardId);
        assertThat(s.record(recordId).get("Phone").asText()).isEqualTo("theirs");
    }

    private long linksWithoutBase(String integrationId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM shard_external_relationships WHERE integration_id = ? AND last_synced_snapshot IS NULL",
                Long.class, integrationId);
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aRejectedRecordIsDeadLetteredShownOnTheShardAndCanBeReplayed() {
        WriteBackSession s = new WriteBackSession(hub(), Map.of("writeBack", Map.of("retry", Map.of("maxAttempts", 2, "backoffMs", 50))));
        String recordId = s.accounts(1).get(0).get("Id").asText();
        String shardId = s.shardOf(recordId).get("id").asText();
        // a whole number the hub takes, beyond the range of Salesforce's 32-bit NumberOfEmployees
        s.patch(shardId, Map.of("employees", 3_000_000_000L));
        s.awaitWritesFinished(shardId);
        assertThat(s.writes(shardId).get(0).get("status").asText()).isEqualTo("failed");
        assertThat(s.shard(shardId).at("/externalRelationships/0/syncError").asText()).contains("NUMBER_OUTSIDE_VALID_RANGE");

        JsonNode letter = awaitDeadLetter(s.hub, shardId);
        assertThat(letter.get("failedStep").asText()).isEqualTo("update");
        assertThat(letter.get("reason").asText()).contains("NUMBER_OUTSIDE_VALID_RANGE");
        assertThat(letter.get("sourceQueue").asText()).isEqualTo("sync-outbound");
        assertThat(letter.get("body").asText()).contains(shardId);

        // fixed in Castiel, then the dead letter replayed: the write goes through
        s.patch(shardId, Map.of("employees", 250, "phone", "+1 555 0199"));
        s.awaitWritesFinished(shardId);
        assertThat(s.hub.call("POST", "/api/admin/deadletters/" + letter.get("id").asText() + "/replay", ADMIN_KEY, null).status())
                .isEqualTo(202);
        Awaitility.await().atMost(WriteBackSession.TIMEOUT).until(() -> s.writes(shardId).get(0).get("status").asText().equals("done"));
        assertThat(s.record(recordId).get("Phone").asText()).isEqualTo("+1 555 0199");
        assertThat(s.record(recordId).get("NumberOfEmployees").asInt()).isEqualTo(250);
        assertThat(s.shard(shardId).at("/externalRelationships/0").has("syncError")).isFalse();
        assertThat(s.hub.call("GET", "/api/admin/deadletters", s.key, null).status()).as("admin only").isEqualTo(403);
        assertThat(s.hub.call("DELETE", "/api/admin/deadletters/" + letter.get("id").asText(), ADMIN_KEY, null).status()).isEqualTo(204);
        assertThat(s.hub.call("DELETE", "/api/admin/deadletters/" + letter.get("id").asText(), ADMIN_KEY, null).status()).isEqualTo(404);
    }

    private static JsonNode awaitDeadLetter(HubClient hub, String shardId) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await().atMost(WriteBackSession.TIMEOUT).until(() -> {
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

    private double done() {
        io.micrometer.core.instrument.Counter counter = meters.find(OutboxStore.FINISHED).tag("status", "done").counter();
        return counter == null ? 0 : counter.count();
    }
}
