package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import store.OutboxEntry;
import store.OutboxStore;
import store.Timestamps;

/**
 * A batch of 80 records is written in four Composite requests of at most 25, sent concurrently
 * ({@code hub.writeback.batch-calls-in-flight}): the provider ends in the state single writes leave, with the same
 * per-record outcomes, though one record in the second request is refused by the provider and one in the third is
 * changed at the provider between the batch's read and its write (refused by its condition, compared again, held).
 */
class WriteBackBatchConcurrencyTest extends BatchWriteBackTest {

    private static final int RECORDS = 80;
    /** In the second Composite request of the batch (records 25..49). */
    private static final int REFUSED = 30;
    /** In the third (50..74). */
    private static final int RACED = 60;

    @Autowired
    WriteBatch writeBatch;

    @Autowired
    OutboxStore outbox;

    @Autowired
    ObjectMapper json;

    @Autowired
    CamelContext camel;

    @Value("${hub.writeback.batch-calls-in-flight:4}")
    int callsInFlight;

    @AfterEach
    void restore() {
        writeBatch.beforeWriteCall(null);
    }

    /** What a run left, per record by its place: the provider's phone, the write's status and outcome, its conflict. */
    private record Outcome(Map<Integer, String> phones, Map<Integer, String> statuses, Map<Integer, String> outcomes,
                           Map<Integer, String> conflicts) {
    }

    @Test
    void compositeRequestsSentConcurrentlyLeaveWhatSingleWritesLeave() {
        assertThat(callsInFlight).as("this test needs write calls in flight together").isGreaterThanOrEqualTo(2);
        Outcome single = run(1, null);

        // each write call waits (a bounded while) until a second one is in flight: calls made one after another never overlap
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch two = new CountDownLatch(2);
        Outcome batched = run(200, () -> {
            calls.incrementAndGet();
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            two.countDown();
            try {
                two.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });

        // the raced record's second round writes nothing: its conflict is held
        assertThat(calls.get()).as("Composite writes of the batch: 25 + 25 + 25 + 5").isEqualTo(4);
        assertThat(most.get()).as("write calls in flight at once").isBetween(2, callsInFlight);
        assertThat(batched.phones()).isEqualTo(single.phones());
        assertThat(batched.statuses()).isEqualTo(single.statuses());
        assertThat(batched.outcomes()).isEqualTo(single.outcomes());
        assertThat(batched.conflicts()).isEqualTo(single.conflicts());

        for (int i = 0; i < RECORDS; i++) {
            if (i != REFUSED && i != RACED) {
                assertThat(batched.statuses().get(i)).as("record %d", i).isEqualTo("done");
                assertThat(batched.phones().get(i)).as("record %d", i).isEqualTo(ours(i));
            }
        }
        assertThat(batched.statuses().get(REFUSED)).as("refused by the provider: only it fails").isEqualTo("failed");
        assertThat(batched.outcomes().get(REFUSED)).contains("NUMBER_OUTSIDE_VALID_RANGE");
        assertThat(batched.phones().get(REFUSED)).as("not written").isNotEqualTo(ours(REFUSED));
        assertThat(batched.statuses().get(RACED)).as("changed between the read and the write: compared again, held").isEqualTo("held");
        assertThat(batched.phones().get(RACED)).as("the provider's late change is not overwritten").isEqualTo("late " + RACED);
        assertThat(batched.conflicts().get(RACED)).isEqualTo("open phone ours=" + ours(RACED) + " theirs=late " + RACED);
        assertThat(batched.conflicts()).hasSize(1);
    }

    /**
     * The relay puts a record in a batch once; a batch that holds it twice all the same (two changes, another record's
     * between them) finishes each row, in passes, and the provider ends with the record's latest value. (Each row writes
     * the shard as it is now, so the order of the passes shows in no value; {@link WriteBatchPassesTest} checks it.)
     */
    @Test
    void aBatchHoldingARecordTwiceFinishesEachOfItsRows() throws Exception {
        WriteBackSession s = new WriteBackSession(hub(), Map.of());
        List<String> ids = s.accounts(2).stream().map(a -> a.get("Id").asText()).toList();
        String twice = s.shardOf(ids.get(0)).get("id").asText();
        String other = s.shardOf(ids.get(1)).get("id").asText();
        relay.paused(true);
        s.patch(twice, Map.of("phone", "+1 555 0301"));
        s.patch(other, Map.of("phone", "+1 555 0302"));
        s.patch(twice, Map.of("phone", "+1 555 0303"));
        List<String> rows = new ArrayList<>();
        s.writes(twice).forEach(w -> rows.add(w.get("id").asText()));
        rows.add(1, s.writes(other).get(0).get("id").asText());
        List<OutboxEntry> entries = rows.stream().map(id -> outbox.find(id).orElseThrow()).toList();
        outbox.markRelayed(rows);
        OutboxEntry first = entries.get(0);
        String batch = new WriteBackBatchRequest("twice-" + first.id(), first.integrationId(), first.entity(),
                entries.stream().map(e -> WriteBackRequest.of(e).event(json, e)).toList()).event(json, Timestamps.now());
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(batch);

        writeBatch.process(exchange);

        assertThat(s.writes(twice)).extracting(w -> w.get("status").asText()).containsExactly("done", "done");
        assertThat(s.writes(other)).extracting(w -> w.get("status").asText()).containsExactly("done");
        assertThat(s.record(ids.get(0)).get("Phone").asText()).as("the later change last").isEqualTo("+1 555 0303");
        assertThat(s.record(ids.get(1)).get("Phone").asText()).isEqualTo("+1 555 0302");
        assertThat(s.shard(twice).at("/structuredData/phone").asText()).isEqualTo("+1 555 0303");
    }

    /** The scenario with write-back batches of this size (1: the single path), on a new tenant and org. */
    private Outcome run(int size, Runnable beforeWriteCall) {
        relay.writeBackBatchSize(size);
        WriteBackSession s = new WriteBackSession(hub(), Map.of("conflictResolution", "manual"));
        List<String> ids = s.accounts(RECORDS).stream().map(a -> a.get("Id").asText()).toList();
        List<String> shards = ids.stream().map(id -> s.shardOf(id).get("id").asText()).toList();
        Set<String> injected = ConcurrentHashMap.newKeySet();
        merge.afterRead(externalId -> {
            if (externalId.equals(ids.get(RACED)) && injected.add(externalId)) {
                s.changeInSalesforce(externalId, Map.of("Phone", "late " + RACED));
            }
        });
        writeBatch.beforeWriteCall(beforeWriteCall);

        relay.paused(true);
        for (int i = 0; i < shards.size(); i++) {
            s.patch(shards.get(i), i == REFUSED ? Map.of("phone", ours(i), "employees", TOO_MANY) : Map.of("phone", ours(i)));
        }
        relay.paused(false);
        nudge.nudge();
        shards.forEach(s::awaitWritesFinished);
        merge.afterRead(null);
        writeBatch.beforeWriteCall(null);

        Map<Integer, String> phones = new LinkedHashMap<>();
        Map<Integer, String> statuses = new LinkedHashMap<>();
        Map<Integer, String> outcomes = new LinkedHashMap<>();
        Map<Integer, String> conflicts = new LinkedHashMap<>();
        List<JsonNode> all = s.conflicts(null);
        for (int i = 0; i < shards.size(); i++) {
            phones.put(i, s.record(ids.get(i)).path("Phone").asText());
            JsonNode write = s.writes(shards.get(i)).get(0);
            statuses.put(i, write.get("status").asText());
            outcomes.put(i, write.path("outcome").asText().replace(ids.get(i), "<id>"));
            String shard = shards.get(i);
            int at = i;
            all.stream().filter(c -> c.get("shardId").asText().equals(shard)).forEach(c -> conflicts.put(at,
                    c.get("status").asText() + " " + c.at("/fields/0/field").asText() + " ours=" + c.at("/fields/0/ours").asText()
                            + " theirs=" + c.at("/fields/0/theirs").asText()));
        }
        return new Outcome(phones, statuses, outcomes, conflicts);
    }

    private static String ours(int i) {
        return "+1 555 02" + String.format("%02d", i);
    }
}
