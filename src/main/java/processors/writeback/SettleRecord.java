package processors.writeback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * Settles an update in one transaction: the shard takes the provider's side where it won (unless the
 * shard changed the field again meanwhile), the new base and hash are stored (held fields keep their
 * old base, or none when there was none, so they stay in conflict until resolved), the conflicts are
 * recorded and the row is finished; a shard that took provider values appends {@code shard.updated}
 * (origin {@code write-back}).
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
        WriteBackJob job = WriteBackJob.at(exchange, ID);
        OutboxEntry entry = job.entry();
        ThreeWayMerge.Result result = job.result();
        MappedRecord after = job.after();
        Map<String, Object> ours = job.ours();
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
        transaction.executeWithoutResult(status -> {
            Shard current = shards.lock(entry.tenantId(), entry.shardId()).orElse(null);
            if (current != null && !toShard.isEmpty()) {
                Map<String, Object> data = JsonText.readMap(json, current.structuredData());
                Map<String, Object> now = FieldValues.flatten(data);
                List<String> changed = new ArrayList<>();
                for (Map.Entry<String, Object> e : toShard.entrySet()) {
                    if (FieldValues.same(now.get(e.getKey()), ours.get(e.getKey())) && !FieldValues.same(now.get(e.getKey()), e.getValue())) {
                        FieldValues.put(data, e.getKey(), e.getValue());
                        changed.add(e.getKey());
                    }
                }
                if (!changed.isEmpty()) {
                    String dataJson = JsonText.write(json, data);
                    shards.updateData(current.id(), dataJson);
                    events.append(ShardEvents.of(ShardEvents.UPDATED, entry.tenantId(), current.id(), current.shardType(), ShardEvents.WRITE_BACK,
                            new ShardEvents.Source(entry.integrationId(), job.integration().providerId(), entry.entity(), externalId), dataJson,
                            changed));
                }
            }
            String afterJson = JsonText.write(json, after.structuredData());
            shards.recordSynced(entry.integrationId(), entry.entity(), externalId, after.externalVersion(),
                    ContentHash.of(afterJson, after.relationships()), JsonText.write(json, FieldValues.nest(snapshot)));
            if (!result.conflicts().isEmpty()) {
                conflicts.record(entry.tenantId(), conflict(entry, job.policy(), externalId, result, after.externalVersion()));
            }
            outbox.finish(entry.id(), result.held() ? OutboxEntry.Status.HELD : OutboxEntry.Status.DONE, outcome(result));
        });
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
