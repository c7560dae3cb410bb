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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.DynamicsSandbox;
import hub.HubClient;

/**
 * Batched write-back to Dynamics 365 (rows read with one filtered GET, written in one {@code $batch} of independent
 * conditional PATCHes) against the sandbox, beside single writes on the same changes: of 50 records changed in Castiel,
 * one is changed in Dynamics between the write-back's read and its write (its 412 sends it back to comparison, and the
 * next round writes it with the other change taken in), one is refused by Dynamics (it alone fails, with Dataverse's
 * reason), the others are written; both ways leave the same writes and rows, and the batch costs a handful of Web API
 * calls where single writes cost three a record.
 */
class DynamicsWriteBackBatchTest extends BatchWriteBackTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int RECORDS = 50;
    private static final int RACED = 10;
    private static final int REFUSED = 20;
    private static final String UNCHANGED = "(as seeded)";

    /** What a run left, per record by its place: the write's status and outcome, Dynamics' phone; the raced row; the calls. */
    private record Outcome(List<String> statuses, List<String> outcomes, List<String> phones, String racedDescription,
                           String racedShardDescription, int conflicts, int calls) {
    }

    @Test
    void aBatchWritesWhatSingleWritesDoWhenOneRowRacesAndOneIsRefusedInAFewCalls() {
        Outcome single = run(1);
        Outcome batched = run(200);

        assertThat(batched.statuses()).isEqualTo(single.statuses());
        // the raced row's outcome says whether the single path's own retry found its phone written already: timing, not batching
        assertThat(withoutRaced(batched.outcomes())).isEqualTo(withoutRaced(single.outcomes()));
        assertThat(batched.outcomes().get(RACED)).endsWith("took the provider's description");
        assertThat(batched.phones()).isEqualTo(single.phones());
        for (int i = 0; i < RECORDS; i++) {
            if (i == REFUSED) {
                assertThat(batched.statuses().get(i)).as("refused by Dynamics: only it fails").isEqualTo("failed");
                assertThat(batched.outcomes().get(i)).as("the reason a single write gives")
                        .startsWith("update: Dynamics 365 update accounts failed (HTTP 400): 0x");
                assertThat(batched.phones().get(i)).as("not written").isEqualTo(UNCHANGED);
                continue;
            }
            assertThat(batched.statuses().get(i)).as("record %d: %s", i, batched.outcomes().get(i)).isEqualTo("done");
            assertThat(batched.phones().get(i)).as("record %d", i).isEqualTo(ours(i));
        }
        assertThat(batched.racedDescription()).as("Dynamics' change is kept").isEqualTo("changed meanwhile");
        assertThat(batched.racedShardDescription()).as("and taken into the shard as the 412 sent the row back to comparison")
                .isEqualTo("changed meanwhile");
        assertThat(batched.conflicts()).as("no conflict: another column").isZero();

        // single: a read, a write and a re-read a record; batched: two reads of 25, one $batch, the raced row read and
        // written again, two re-reads of the 49 written
        assertThat(single.calls()).isGreaterThanOrEqualTo(3 * (RECORDS - 2));
        assertThat(batched.calls()).as("Web API calls of the batched write-back of %d records", RECORDS).isBetween(5, 8);
    }

    /** The scenario with write-back batches of this size (1: the single path), on a new tenant and org. */
    private Outcome run(int size) {
        relay.writeBackBatchSize(size);
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

        // Dynamics changes another column of one row after the write-back read it, before it is written
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

        List<String> statuses = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            JsonNode write = writes(hub, key, shards.get(i)).get(0);
            statuses.add(write.get("status").asText());
            outcomes.add(write.path("outcome").asText());
            String phone = dynamics.row("accounts", ids.get(i)).path("telephone1").asText(null);
            // each org is seeded with its own phones: the refused row's is compared by whether it changed
            phones.add(i == REFUSED && java.util.Objects.equals(phone, refusedPhoneBefore) ? UNCHANGED : phone);
        }
        return new Outcome(statuses, outcomes, phones, dynamics.row("accounts", ids.get(RACED)).path("description").asText(),
                hub.ok("GET", "/api/tenant/shards/" + shards.get(RACED), key, null).at("/structuredData/description").asText(),
                hub.ok("GET", "/api/tenant/conflicts", key, null).get("items").size(), calls);
    }

    private static List<String> withoutRaced(List<String> perRecord) {
        List<String> others = new ArrayList<>(perRecord);
        others.remove(RACED);
        return others;
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
