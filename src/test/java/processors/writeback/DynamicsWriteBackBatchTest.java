package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import hub.DynamicsSandbox;
import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * Batched write-back to Dynamics 365 (rows read with one filtered GET, written in one {@code $batch} of independent
 * conditional PATCHes) against the sandbox: of 50 records changed in Castiel, one is changed in Dynamics between the
 * batch's read and its write (its 412 sends it back to comparison, and the next round writes it with the other change
 * taken in), one is refused by Dynamics (it alone fails, with Dataverse's reason), the others are written; and the
 * batch costs a handful of Web API calls where single writes cost three a record.
 */
class DynamicsWriteBackBatchTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int RECORDS = 50;
    private static final int RACED = 10;
    private static final int REFUSED = 20;
    /** More employees than Dataverse's whole number holds: the hub takes it, Dynamics refuses it. */
    private static final long TOO_MANY = 3_000_000_000L;

    @Autowired
    LockPendingRows relay;

    @Autowired
    MergeFields merge;

    @Autowired
    OutboxRelay nudge;

    @Value("${hub.writeback.batch-size}")
    int batchSize;

    @AfterEach
    void restore() {
        relay.paused(false);
        relay.writeBackBatchSize(batchSize);
        merge.afterRead(null);
    }

    @Test
    void aBatchWritesTheOthersWhenOneRowRacesAndOneIsRefusedInAFewCalls() {
        relay.writeBackBatchSize(200);
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        DynamicsSandbox dynamics = new DynamicsSandbox(hub, "wbb");
        assertThat(dynamics.setup("POST", "reset", Map.of("accounts", RECORDS)).status()).isBetween(200, 204);
        String integration = dynamics.connect(key, new HashMap<>(Map.of("syncDirection", "bidirectional")));
        JsonNode synced = hub.runAndWait(key, integration, hub.task(key, integration, "accounts", "full"), TIMEOUT);
        assertThat(synced.get("status").asText()).isEqualTo("completed");

        List<String> ids = dynamics.rows("accounts", "accountid").stream().map(r -> r.get("accountid").asText()).toList();
        assertThat(ids).hasSize(RECORDS);
        Map<String, String> shardByAccount = new HashMap<>();
        hub.allShards(key, "c_company").forEach(s -> shardByAccount.put(s.at("/externalRelationships/0/externalId").asText(),
                s.get("id").asText()));
        List<String> shards = ids.stream().map(shardByAccount::get).toList();
        String refusedPhoneBefore = dynamics.row("accounts", ids.get(REFUSED)).path("telephone1").asText(null);

        // Dynamics changes another column of one row after the batch read it, before it is written
        Set<String> injected = ConcurrentHashMap.newKeySet();
        merge.afterRead(externalId -> {
            if (externalId.equals(ids.get(RACED)) && injected.add(externalId)) {
                dynamics.update("accounts", externalId, Map.of("description", "changed meanwhile"));
            }
        });
        // every call counted in the user's window (the setup endpoints are not counted)
        assertThat(dynamics.setup("POST", "limits", Map.of("rateLimit", 100_000, "windowSeconds", 300)).status()).isEqualTo(200);

        relay.paused(true);
        for (int i = 0; i < RECORDS; i++) {
            // numberofemployees is a whole number of 32 bits in Dataverse: more is refused (400), by Dynamics alone
            Map<String, Object> data = i == REFUSED ? Map.of("phone", ours(i), "employees", TOO_MANY) : Map.of("phone", ours(i));
            hub.ok("PATCH", "/api/tenant/shards/" + shards.get(i), key, Map.of("structuredData", data));
        }
        int before = dynamics.limits().get("used").asInt();
        relay.paused(false);
        nudge.nudge();
        for (String shard : shards) {
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> writes(hub, key, shard).stream().allMatch(w -> w.hasNonNull("finishedAt")));
        }
        // less the change Dynamics made in the race
        int calls = dynamics.limits().get("used").asInt() - before - injected.size();
        merge.afterRead(null);

        assertThat(injected).as("the race happened").hasSize(1);
        for (int i = 0; i < RECORDS; i++) {
            JsonNode write = writes(hub, key, shards.get(i)).get(0);
            JsonNode row = dynamics.row("accounts", ids.get(i));
            if (i == REFUSED) {
                assertThat(write.get("status").asText()).as("refused by Dynamics: only it fails").isEqualTo("failed");
                assertThat(write.path("outcome").asText()).as("the reason a single write gives")
                        .startsWith("update: Dynamics 365 update accounts failed (HTTP 400): 0x");
                assertThat(row.path("telephone1").asText(null)).as("not written").isEqualTo(refusedPhoneBefore);
                assertThat(row.path("telephone1").asText(null)).isNotEqualTo(ours(i));
                continue;
            }
            assertThat(write.get("status").asText()).as("record %d: %s", i, write).isEqualTo("done");
            assertThat(row.path("telephone1").asText()).as("record %d", i).isEqualTo(ours(i));
        }
        JsonNode raced = dynamics.row("accounts", ids.get(RACED));
        assertThat(raced.path("description").asText()).as("Dynamics' change is kept").isEqualTo("changed meanwhile");
        assertThat(hub.ok("GET", "/api/tenant/shards/" + shards.get(RACED), key, null).at("/structuredData/description").asText())
                .as("and taken into the shard as the 412 sent the row back to comparison").isEqualTo("changed meanwhile");
        assertThat(hub.ok("GET", "/api/tenant/conflicts", key, null).get("items")).as("no conflict: another column").isEmpty();

        // two reads of 25, one $batch, the raced row read and written again, two re-reads of the 49 written: 7 calls, not 3 x 50
        assertThat(calls).as("Web API calls of the batched write-back of %d records", RECORDS).isBetween(5, 8);
    }

    private static List<JsonNode> writes(HubClient hub, String key, String shardId) {
        List<JsonNode> items = new ArrayList<>();
        hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items").forEach(items::add);
        return items;
    }

    private static String ours(int i) {
        return "+1 555 01" + String.format("%02d", i);
    }
}
