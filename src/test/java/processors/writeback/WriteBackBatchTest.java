package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;


/**
 * Batched write-back (Salesforce's Composite API on the sandbox) against the single path, on the same changes: the
 * same provider state, the same write outcomes and the same conflicts, including a record the provider refuses (the
 * others are written, it fails with the provider's reason), records the provider changed before the hub's read (held
 * conflicts), a provider change landing between the read and the write (refused by its condition, compared again,
 * kept), and a provider change to another field (taken into the shard as the batch settles); and the batch makes a
 * handful of provider calls where the single path makes three a record.
 */
class WriteBackBatchTest extends BatchWriteBackTest {

    private static final int PLAIN = 30;

    /** What a run left, per record by its place in the scenario: the provider's phone, the write's status and outcome, its conflict. */
    private record Outcome(Map<Integer, String> phones, Map<Integer, String> statuses, Map<Integer, String> conflicts, long calls,
                           Map<Integer, String> outcomes, Map<Integer, String> shardDescriptions) {
    }

    @Test
    void batchedAndSingleWritesLeaveTheSameProviderStateAndConflicts() {
        Outcome single = run(1);
        Outcome batched = run(200);

        assertThat(batched.phones()).isEqualTo(single.phones());
        assertThat(batched.statuses()).isEqualTo(single.statuses());
        assertThat(batched.conflicts()).isEqualTo(single.conflicts());
        assertThat(batched.outcomes()).isEqualTo(single.outcomes());
        assertThat(batched.shardDescriptions()).isEqualTo(single.shardDescriptions());

        for (int i = 0; i < PLAIN; i++) {
            assertThat(batched.statuses().get(i)).isEqualTo("done");
            assertThat(batched.phones().get(i)).isEqualTo(ours(i));
        }
        for (int i = PLAIN; i < PLAIN + 3; i++) {
            assertThat(batched.statuses().get(i)).as("changed at the provider first: held").isEqualTo("held");
            assertThat(batched.phones().get(i)).isEqualTo("theirs " + i);
            assertThat(batched.conflicts().get(i)).isEqualTo("open phone ours=" + ours(i) + " theirs=theirs " + i);
        }
        int bad = PLAIN + 3;
        assertThat(batched.statuses().get(bad)).as("refused by the provider: only it fails").isEqualTo("failed");
        assertThat(batched.outcomes().get(bad)).contains("NUMBER_OUTSIDE_VALID_RANGE");
        assertThat(batched.phones().get(bad)).as("not written").isNotEqualTo(ours(bad));
        int raced = PLAIN + 4;
        assertThat(batched.statuses().get(raced)).as("changed between the read and the write: compared again, held").isEqualTo("held");
        assertThat(batched.phones().get(raced)).as("the provider's late change is not overwritten").isEqualTo("late " + raced);
        assertThat(batched.conflicts().get(raced)).isEqualTo("open phone ours=" + ours(raced) + " theirs=late " + raced);
        int other = PLAIN + 5;
        assertThat(batched.statuses().get(other)).as("the provider changed another field: no conflict").isEqualTo("done");
        assertThat(batched.phones().get(other)).isEqualTo(ours(other));
        assertThat(batched.shardDescriptions().get(other)).as("the provider's change is taken into the shard").isEqualTo("theirs " + other);
        assertThat(batched.conflicts()).doesNotContainKey(other);

        // single: a read, a write and a re-read per record; batched: a read, two composite writes (30 + 2 of 25), the raced
        // record read again, one re-read
        assertThat(single.calls()).isGreaterThanOrEqualTo(3L * PLAIN);
        assertThat(batched.calls()).as("provider calls of the batch").isLessThanOrEqualTo(6);
    }

    @Test
    void recordsInSeveralBatchesAndRepeatedEditsKeepTheirOrder() {
        relay.writeBackBatchSize(4);
        WriteBackSession s = new WriteBackSession(hub(), Map.of());
        List<JsonNode> accounts = s.accounts(10);
        relay.paused(true);
        List<String> shards = new ArrayList<>();
        for (JsonNode a : accounts) {
            shards.add(s.shardOf(a.get("Id").asText()).get("id").asText());
        }
        // three edits of each record in a row: later rows of a record wait for its earlier one
        for (int edit = 1; edit <= 3; edit++) {
            for (String shard : shards) {
                s.patch(shard, Map.of("description", "edit " + edit + " of " + shard));
            }
        }
        relay.paused(false);
        nudge.nudge();
        shards.forEach(s::awaitWritesFinished);
        for (int i = 0; i < accounts.size(); i++) {
            assertThat(s.record(accounts.get(i).get("Id").asText()).get("Description").asText()).isEqualTo("edit 3 of " + shards.get(i));
            assertThat(s.writes(shards.get(i))).hasSize(3).allMatch(w -> w.get("status").asText().equals("done"));
        }
    }

    /** The scenario with write-back batches of this size (1: the single path), on a new tenant and org. */
    private Outcome run(int size) {
        relay.writeBackBatchSize(size);
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "manual"));
        List<JsonNode> accounts = s.accounts(PLAIN + 6);
        List<String> ids = accounts.stream().map(a -> a.get("Id").asText()).toList();
        List<String> shards = ids.stream().map(id -> s.shardOf(id).get("id").asText()).toList();
        for (int i = PLAIN; i < PLAIN + 3; i++) {
            s.changeInSalesforce(ids.get(i), Map.of("Phone", "theirs " + i));
        }
        s.changeInSalesforce(ids.get(PLAIN + 5), Map.of("Description", "theirs " + (PLAIN + 5)));
        int raced = PLAIN + 4;
        Set<String> injected = ConcurrentHashMap.newKeySet();
        merge.afterRead(externalId -> {
            if (externalId.equals(ids.get(raced)) && injected.add(externalId)) {
                s.changeInSalesforce(externalId, Map.of("Phone", "late " + raced));
            }
        });

        relay.paused(true);
        for (int i = 0; i < shards.size(); i++) {
            s.patch(shards.get(i), i == PLAIN + 3 ? Map.of("phone", ours(i), "employees", TOO_MANY) : Map.of("phone", ours(i)));
        }
        long before = used(s);
        relay.paused(false);
        nudge.nudge();
        shards.forEach(s::awaitWritesFinished);
        // the used count includes this reading, and the change injected
        long calls = used(s) - before - 1 - injected.size();
        merge.afterRead(null);

        Map<Integer, String> phones = new LinkedHashMap<>();
        Map<Integer, String> statuses = new LinkedHashMap<>();
        Map<Integer, String> outcomes = new LinkedHashMap<>();
        Map<Integer, String> conflicts = new LinkedHashMap<>();
        Map<Integer, String> descriptions = new LinkedHashMap<>();
        List<JsonNode> all = s.conflicts(null);
        for (int i = 0; i < shards.size(); i++) {
            phones.put(i, s.record(ids.get(i)).path("Phone").asText());
            JsonNode write = s.writes(shards.get(i)).get(0);
            statuses.put(i, write.get("status").asText());
            descriptions.put(i, s.shard(shards.get(i)).at("/structuredData/description").asText());
            outcomes.put(i, write.path("outcome").asText().replace(ids.get(i), "<id>"));
            String shard = shards.get(i);
            all.stream().filter(c -> c.get("shardId").asText().equals(shard)).forEach(c -> conflicts.put(i(shards, shard),
                    c.get("status").asText() + " " + c.at("/fields/0/field").asText() + " ours=" + c.at("/fields/0/ours").asText()
                            + " theirs=" + c.at("/fields/0/theirs").asText()));
        }
        return new Outcome(phones, statuses, conflicts, calls, outcomes, descriptions);
    }

    private static int i(List<String> shards, String shard) {
        return shards.indexOf(shard);
    }

    private static String ours(int i) {
        return "+1 555 01" + String.format("%02d", i);
    }

    /** API calls the org has made today, as Salesforce's limits resource tells. */
    private static long used(WriteBackSession s) {
        JsonNode limits = s.hub.sandbox("GET", s.token, "/limits", null).body().get("DailyApiRequests");
        return limits.get("Max").asLong() - limits.get("Remaining").asLong();
    }
}
