package processors.writeback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import hub.Ids;
import hub.JsonText;
import processors.conflicts.ConflictPolicy;
import processors.conflicts.FieldValues;
import processors.conflicts.ThreeWayMerge;
import processors.mapping.ContentHash;
import processors.mapping.MappedRecord;
import store.Conflict;
import store.ConflictStore;
import store.EventStore;
import store.OutboxEntry;
import store.OutboxStore;
import store.Shard;
import store.ShardEvents;
import store.ShardStore;
import store.Timestamps;

/**
 * Settles updates in one transaction: the shard takes the provider's side where it won (unless the
 * shard changed the field again meanwhile), the new base and hash are stored (held fields keep their
 * old base, or none when there was none, so they stay in conflict until resolved), the conflicts are
 * recorded and the row is finished; a shard that took provider values appends {@code shard.updated}
 * (origin {@code write-back}). A batch's rows are settled together ({@link #settle(List)}): the shards
 * that take provider values locked in one statement, the bases stored and the rows finished in one JDBC
 * batch each, one commit.
 */
@Component
public class SettleRecord implements Processor {

    public static final String ID = "settle-record";

    private final ShardStore shards;
    private final ConflictStore conflicts;
    private final OutboxStore outbox;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;

    private final EventStore events;

    public SettleRecord(ShardStore shards, ConflictStore conflicts, OutboxStore outbox, TransactionTemplate transaction, ObjectMapper json,
                        EventStore events) {
        this.events = events;
        this.shards = shards;
        this.conflicts = conflicts;
        this.outbox = outbox;
        this.transaction = transaction;
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) {
        settle(List.of(WriteBackJob.at(exchange, ID)));
    }

    /** What settling one row writes, worked out before the transaction. */
    private record Settlement(WriteBackJob job, Map<String, Object> toShard, ShardStore.Synced synced, Conflict conflict,
                              OutboxStore.Finish finish) {
    }

    /** Settles these rows (compared, written where there was something to write, re-read) in one transaction. */
    void settle(List<WriteBackJob> jobs) {
        List<Settlement> settlements = jobs.stream().map(this::settlement).toList();
        transaction.executeWithoutResult(status -> {
            List<Settlement> taking = settlements.stream().filter(s -> !s.toShard().isEmpty()).toList();
            Map<String, Map<String, Shard>> locked = new LinkedHashMap<>();
            taking.stream().collect(Collectors.groupingBy(s -> s.job().entry().tenantId(), LinkedHashMap::new,
                    Collectors.mapping(s -> s.job().entry().shardId(), Collectors.toList())))
                    .forEach((tenant, ids) -> locked.put(tenant, shards.bare(tenant, ids, true)));
            for (Settlement s : taking) {
                takeProviderValues(s, locked.get(s.job().entry().tenantId()).get(s.job().entry().shardId()));
            }
            shards.recordSynced(settlements.stream().map(Settlement::synced).toList());
            settlements.stream().filter(s -> s.conflict() != null).forEach(s -> conflicts.record(s.job().entry().tenantId(), s.conflict()));
            outbox.finish(settlements.stream().map(Settlement::finish).toList());
        });
    }

    private Settlement settlement(WriteBackJob job) {
        OutboxEntry entry = job.entry();
        ThreeWayMerge.Result result = job.result();
        MappedRecord after = job.after();
        String externalId = job.link().externalId();
        Map<String, Object> afterFlat = FieldValues.flatten(after.structuredData());
        Map<String, Object> snapshot = new LinkedHashMap<>(afterFlat);
        for (ThreeWayMerge.FieldConflict c : result.conflicts()) {
            if (c.winner() == ThreeWayMerge.Winner.HELD) {
                snapshot.put(c.field(), c.base());
            }
        }
        Map<String, Object> toShard = new LinkedHashMap<>(result.toShard());
        // what the provider made of the values written (it may normalise them) becomes the shard's value too
        result.toProvider().keySet().forEach(f -> toShard.put(f, afterFlat.get(f)));
        String afterJson = JsonText.write(json, after.structuredData());
        ShardStore.Synced synced = new ShardStore.Synced(entry.integrationId(), entry.entity(), externalId, after.externalVersion(),
                ContentHash.of(afterJson, after.relationships()), JsonText.write(json, FieldValues.nest(snapshot)));
        Conflict conflict = result.conflicts().isEmpty() ? null : conflict(entry, job.policy(), externalId, result, after.externalVersion());
        return new Settlement(job, toShard, synced, conflict,
                new OutboxStore.Finish(entry.id(), result.held() ? OutboxEntry.Status.HELD : OutboxEntry.Status.DONE, outcome(result)));
    }

    /** The provider's winning values into the locked shard, where the shard still holds what was compared. */
    private void takeProviderValues(Settlement s, Shard current) {
        if (current == null) {
            return;
        }
        WriteBackJob job = s.job();
        OutboxEntry entry = job.entry();
        Map<String, Object> ours = job.ours();
        Map<String, Object> data = JsonText.readMap(json, current.structuredData());
        Map<String, Object> now = FieldValues.flatten(data);
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Object> e : s.toShard().entrySet()) {
            if (FieldValues.same(now.get(e.getKey()), ours.get(e.getKey())) && !FieldValues.same(now.get(e.getKey()), e.getValue())) {
                FieldValues.put(data, e.getKey(), e.getValue());
                changed.add(e.getKey());
            }
        }
        if (!changed.isEmpty()) {
            String dataJson = JsonText.write(json, data);
            shards.updateData(current.id(), dataJson);
            events.append(ShardEvents.of(ShardEvents.UPDATED, entry.tenantId(), current.id(), current.shardType(), ShardEvents.WRITE_BACK,
                    new ShardEvents.Source(entry.integrationId(), job.integration().providerId(), entry.entity(), s.synced().externalId()),
                    dataJson, changed));
        }
    }

    private static Conflict conflict(OutboxEntry entry, ConflictPolicy policy, String externalId, ThreeWayMerge.Result result,
                                     String version) {
        List<Conflict.Field> fields = new ArrayList<>();
        for (ThreeWayMerge.FieldConflict c : result.conflicts()) {
            fields.add(new Conflict.Field(c.field(), c.base(), c.ours(), c.theirs(),
                    c.winner() == ThreeWayMerge.Winner.HELD ? null : c.winner() == ThreeWayMerge.Winner.CASTIEL ? "castiel" : "external"));
        }
        boolean held = result.held();
        return new Conflict(Ids.newId(), entry.integrationId(), entry.shardId(), entry.entity(), externalId,
                held ? Conflict.Status.OPEN : Conflict.Status.RESOLVED, policy.strategy(), fields, version, null, Timestamps.now(),
                held ? null : Timestamps.now(), held ? null : "strategy:" + policy.strategy());
    }

    private static String outcome(ThreeWayMerge.Result result) {
        String written = result.toProvider().isEmpty() ? "nothing to write" : "wrote " + String.join(", ", result.toProvider().keySet());
        String taken = result.toShard().isEmpty() ? "" : "; took the provider's " + String.join(", ", result.toShard().keySet());
        String conflicted = result.conflicts().isEmpty() ? "" : "; conflicts on " + String.join(", ",
                result.conflicts().stream().map(c -> c.field() + " (" + c.winner().name().toLowerCase() + ")").toList());
        return written + taken + conflicted;
    }
}
