package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;

import hub.EmbeddedHubTest;
import hub.HubClient;

/** A tenant with a bidirectional Salesforce integration on its own sandbox org, its Accounts synced, and what tests do with it. */
public final class WriteBackSession {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    final HubClient hub;
    public final String key;
    final String integration;
    final String token;

    /** Connects with these integration settings over {@code syncDirection: bidirectional} and syncs the Accounts. */
    public WriteBackSession(HubClient hub, Map<String, Object> settings) {
        this.hub = hub;
        this.key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        Map<String, Object> all = new HashMap<>(Map.of("syncDirection", "bidirectional"));
        all.putAll(settings);
        String org = "wb-" + UUID.randomUUID().toString().substring(0, 8);
        this.integration = hub.connectedSalesforce(key, org, all);
        this.token = hub.sandboxToken(org);
        JsonNode full = sync("full");
        assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
    }

    JsonNode sync(String mode) {
        return hub.runAndWait(key, integration, hub.task(key, integration, "Account", mode), TIMEOUT);
    }

    /** The first n Accounts that have a phone (the seeded world leaves some blank; these tests change phones that are set). */
    public List<JsonNode> accounts(int n) {
        String soql = "SELECT Id, Name, Phone FROM Account WHERE Phone != null ORDER BY SystemModstamp ASC LIMIT " + n;
        HubClient.Response r = hub.sandbox("GET", token, "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8).replace("+", "%20"), null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<JsonNode> records = new ArrayList<>();
        r.body().get("records").forEach(records::add);
        assertThat(records).hasSize(n);
        return records;
    }

    /** The Account as Salesforce holds it. */
    public JsonNode record(String id) {
        HubClient.Response r = hub.sandbox("GET", token, "/sobjects/Account/" + id, null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    /** A change made in Salesforce. */
    void changeInSalesforce(String id, Map<String, Object> fields) {
        HubClient.Response r = hub.sandbox("PATCH", token, "/sobjects/Account/" + id, fields);
        assertThat(r.status()).as(r.raw()).isEqualTo(204);
    }

    public JsonNode shardOf(String externalId) {
        return hub.allShards(key, "c_company").stream()
                .filter(s -> s.at("/externalRelationships/0/externalId").asText().equals(externalId)).findFirst().orElseThrow();
    }

    JsonNode shard(String id) {
        return hub.ok("GET", "/api/tenant/shards/" + id, key, null);
    }

    public JsonNode patch(String shardId, Map<String, Object> data) {
        return hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", data));
    }

    public List<JsonNode> writes(String shardId) {
        List<JsonNode> items = new ArrayList<>();
        hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items").forEach(items::add);
        return items;
    }

    public void awaitWritesFinished(String shardId) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> writes(shardId).stream().allMatch(w -> w.hasNonNull("finishedAt")));
    }

    public List<JsonNode> conflicts(String status) {
        List<JsonNode> items = new ArrayList<>();
        hub.ok("GET", "/api/tenant/conflicts" + (status == null ? "" : "?status=" + status), key, null).get("items").forEach(items::add);
        return items;
    }

    /** Salesforce changes Phone to "theirs", then Castiel changes it to "ours", before any sync: a conflict. */
    public Conflicted conflictOnPhone() {
        String recordId = accounts(1).get(0).get("Id").asText();
        JsonNode shard = shardOf(recordId);
        changeInSalesforce(recordId, Map.of("Phone", "theirs"));
        patch(shard.get("id").asText(), Map.of("phone", "ours"));
        awaitWritesFinished(shard.get("id").asText());
        return new Conflicted(recordId, shard.get("id").asText(), shard.at("/structuredData/phone").asText());
    }

    public record Conflicted(String recordId, String shardId, String base) {
    }
}
