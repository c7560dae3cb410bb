package processors.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import hub.Ids;
import hub.JsonText;
import hub.Traces;
import processors.conflicts.FieldValues;
import processors.mapping.ContentHash;
import processors.mapping.DerivedMapping;
import processors.mapping.MappedRecord;
import processors.mapping.RelationshipRef;
import processors.resolution.RecordResolver;
import providers.DeletedRecord;
import store.CheckpointStore;
import store.Event;
import store.EventStore;
import store.ShardEvents;
import store.ShardStore.Existing;
import store.ShardStore.RelationTarget;
import store.ShardStore.ShardWrite;
import store.ShardStore;
import store.SyncExecution.Counts;
import store.SyncExecution.RecordFailure;
import store.SyncExecutionStore;
import store.Timestamps;

/**
 * Writes one page in one transaction: new records become shards, changed ones are updated,
 * unchanged ones (same content hash) are left alone, except that a link still without a base (the
 * values last synced, for three-way conflict detection) gets one; deletions the page reports mark their shards
 * deleted; the execution's counts, the failures, the pass cursor and the page's step on the run's timeline
 * ({@link RunTimeline}) commit with them, so a crash never leaves a page half-written or counted twice.
 */
@Component
public class ShardUpsert implements Processor {

    /** The span of one page's upsert (README, "Tracing"). */
    public static final String SPAN = "shard upsert";

    private final ShardStore shards;
    private final RecordResolver resolver;
    private final SyncExecutionStore executions;
    private final CheckpointStore checkpoints;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final Duration lease;
    private final int maxFailuresRecorded;
    private final EventStore events;
    private final RunTimeline timeline;
    private final Traces traces;

    public ShardUpsert(ShardStore shards, RecordResolver resolver, SyncExecutionStore executions, CheckpointStore checkpoints, TransactionTemplate transaction,
                       ObjectMapper json, @Value("${hub.sync.lease}") String lease,
                       @Value("${hub.sync.max-failures-recorded}") int maxFailuresRecorded, EventStore events, RunTimeline timeline,
                       Traces traces) {
        this.traces = traces;
        this.events = events;
        this.timeline = timeline;
        this.shards = shards;
        this.resolver = resolver;
        this.executions = executions;
        this.checkpoints = checkpoints;
        this.transaction = transaction;
        this.json = json;
        this.lease = DurationStyle.detectAndParse(lease);
        this.maxFailuresRecorded = maxFailuresRecorded;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        PageBatch batch = exchange.getMessage().getBody() instanceof PageBatch b ? b : new PageBatch();
        long start = System.nanoTime();
        // the span the traces of webhook deliveries end in: the page's shards written
        traces.within(SPAN, Map.of("hub.integration", run.integration().id(), "hub.entity", run.entity(),
                "hub.execution", run.executionId(), "hub.records", Integer.toString(batch.outcomes().size())), () -> {
            Counts delta = transaction.execute(status -> write(run, batch, start));
            run.pageCommitted(batch.lastVersion(), delta);
        });
    }

    private Counts write(SyncRun run, PageBatch batch, long start) {
        // a record listed twice in one page: the later copy wins
        Map<String, MappedRecord> mapped = new LinkedHashMap<>();
        List<RecordFailure> failures = new ArrayList<>();
        long skipped = 0;
        for (RecordOutcome outcome : batch.outcomes()) {
            if (outcome.mapped() != null) {
                mapped.put(outcome.externalId(), outcome.mapped());
            } else if (outcome.skippedBy() != null) {
                skipped++;
            } else {
                failures.add(new RecordFailure(outcome.externalId(), outcome.failure()));
            }
        }
        String integrationId = run.integration().id();
        // first: a delivery of this run that a later one has replaced (its instance was paused) writes nothing
        checkpoints.checkHolder(integrationId, run.entity(), run.executionId(), run.leaseToken());
        String shardType = run.mapping().shardType();
        Split own = split(mapped, shards.existing(integrationId, run.entity(), mapped.keySet()));
        RecordResolver.Source source = source(run, run.entity(), false);
        // matched before the upsert: a new record may join a shard that exists (entity resolution)
        RecordResolver.Resolution resolved = resolver.resolve(source, shardType, own.inserts());
        List<ShardWrite> inserts = resolved.creates();
        List<ShardWrite> updates = resolver.mergeUpdates(source, shardType, own.updates());
        if (run.integration().writesBack(run.entity()) && !updates.isEmpty()) {
            updates = keepLocalChanges(run, updates);
        }
        shards.insert(run.integration().tenantId(), integrationId, run.entity(), run.integration().syncDirection(), inserts);
        shards.update(integrationId, run.entity(), updates);
        shards.fillMissingBase(integrationId, run.entity(), own.missingBase());
        resolver.apply(source, shardType, run.integration().syncDirection(), resolved);
        batch.written(inserts, updates);
        List<Event.New> shardEvents = new ArrayList<>(inserts.size() + updates.size());
        shardEvents(run, run.entity(), inserts, updates, shardEvents);
        Resolved derived = writeDerived(run, mapped.values(), shardEvents);
        // the page's shard events: one multi-row insert, in the page's transaction
        events.appendAll(shardEvents);
        // deletions the page reports (a change feed's): after its upserts, in its transaction
        int deleted = 0;
        if (!run.pageDeletions().isEmpty()) {
            List<String> gone = run.pageDeletions().stream().map(DeletedRecord::externalId).toList();
            deleted = shards.markDeleted(integrationId, run.entity(), gone);
            for (DerivedMapping d : run.mapping().derived()) {
                shards.markDeleted(integrationId, d.entity(), gone);
            }
        }
        long unchanged = own.unchanged();
        long duplicates = batch.outcomes().size() - failures.size() - skipped - mapped.size();
        Counts delta = new Counts(batch.outcomes().size(), inserts.size(), updates.size(), unchanged + duplicates, deleted, failures.size(),
                skipped, resolved.joins().size() + derived.merged(), resolved.reviews().size() + derived.inReview(),
                resolved.unblocked() + derived.unblocked(), resolved.pairsCompared() + derived.pairsCompared());
        executions.addCounts(run.executionId(), delta);
        executions.addFailures(run.executionId(), failures, maxFailuresRecorded);
        checkpoints.advance(integrationId, run.entity(), run.executionId(), run.resumePoint(batch.lastVersion()), run.resumePage(),
                Timestamps.now().plus(lease));
        // the page's step on the run's timeline: one row, committed with the page
        timeline.pageWritten(run, delta, (System.nanoTime() - start) / 1_000_000);
        return delta;
    }

    private static RecordResolver.Source source(SyncRun run, String entity, boolean derived) {
        return new RecordResolver.Source(run.integration().tenantId(), run.integration().id(), run.integration().providerId(), entity,
                derived);
    }

    /** {@code shard.created} for the shards created, {@code shard.updated} for those changed, added to {@code into}. */
    private static void shardEvents(SyncRun run, String entity, List<ShardWrite> created, List<ShardWrite> changed, List<Event.New> into) {
        String tenantId = run.integration().tenantId();
        for (ShardWrite w : created) {
            into.add(ShardEvents.of(ShardEvents.CREATED, tenantId, w.shardId(), w.shardType(), ShardEvents.SYNC, source(run, entity, w),
                    w.dataJson(), null));
        }
        for (ShardWrite w : changed) {
            into.add(ShardEvents.of(ShardEvents.UPDATED, tenantId, w.shardId(), w.shardType(), ShardEvents.SYNC, source(run, entity, w),
                    w.dataJson(), null));
        }
    }

    private static ShardEvents.Source source(SyncRun run, String entity, ShardWrite w) {
        return new ShardEvents.Source(run.integration().id(), run.integration().providerId(), entity, w.externalId());
    }

    /** A page's records sorted against what is stored: new, changed, unchanged, and unchanged but without a base. */
    private record Split(List<ShardWrite> inserts, List<ShardWrite> updates, List<ShardWrite> missingBase, long unchanged) {
    }

    // every link keeps the values last synced as its base, whatever the direction now: the integration may write back later
    private Split split(Map<String, MappedRecord> records, Map<String, Existing> existing) {
        List<ShardWrite> inserts = new ArrayList<>();
        List<ShardWrite> updates = new ArrayList<>();
        List<ShardWrite> missingBase = new ArrayList<>();
        long unchanged = 0;
        for (MappedRecord record : records.values()) {
            String dataJson = toJson(record.structuredData());
            String hash = ContentHash.of(dataJson, record.relationships());
            Existing current = existing.get(record.externalId());
            if (current == null) {
                inserts.add(write(Ids.newId(), record, dataJson, hash));
            } else if (current.contentHash().equals(hash) && !current.deleted()) {
                unchanged++;
                if (!current.hasBase()) {
                    missingBase.add(write(current.shardId(), record, dataJson, hash));
                }
            } else {
                updates.add(write(current.shardId(), record, dataJson, hash));
            }
        }
        return new Split(inserts, updates, missingBase, unchanged);
    }

    /** What resolution decided for a page's derived records, counted with the page's own. */
    private record Resolved(long merged, long inReview, long unblocked, long pairsCompared) {
    }

    /**
     * The shards the page's records derive (a lead's company), each under its derived source entity: created, updated
     * or left alone as the records' own shards are, never written back (their links are inbound). Derived records
     * joining a shard count as merged, those sent to review as in review.
     */
    private Resolved writeDerived(SyncRun run, Iterable<MappedRecord> records, List<Event.New> shardEvents) {
        if (run.mapping().derived().isEmpty()) {
            return new Resolved(0, 0, 0, 0);
        }
        Map<String, Map<String, MappedRecord>> byEntity = new LinkedHashMap<>();
        for (MappedRecord record : records) {
            for (MappedRecord.Derived d : record.derived()) {
                byEntity.computeIfAbsent(d.entity(), e -> new LinkedHashMap<>()).put(record.externalId(), d.record());
            }
        }
        String integrationId = run.integration().id();
        long[] counts = new long[4];
        byEntity.forEach((entity, derived) -> {
            Split split = split(derived, shards.existing(integrationId, entity, derived.keySet()));
            String shardType = derived.values().iterator().next().shardType();
            RecordResolver.Source source = source(run, entity, true);
            RecordResolver.Resolution resolved = resolver.resolve(source, shardType, split.inserts());
            List<ShardWrite> updates = resolver.mergeUpdates(source, shardType, split.updates());
            shards.insert(run.integration().tenantId(), integrationId, entity, ShardStore.DERIVED, resolved.creates());
            shards.update(integrationId, entity, updates, false);
            shardEvents(run, entity, resolved.creates(), updates, shardEvents);
            shards.fillMissingBase(integrationId, entity, split.missingBase());
            resolver.apply(source, shardType, ShardStore.DERIVED, resolved);
            counts[0] += resolved.joins().size();
            counts[1] += resolved.reviews().size();
            counts[2] += resolved.unblocked();
            counts[3] += resolved.pairsCompared();
        });
        return new Resolved(counts[0], counts[1], counts[2], counts[3]);
    }

    /**
     * For an integration that writes the entity back: a field changed in Castiel and not yet written
     * back keeps Castiel's value, and its base stays as last synced, so the write-back compares all
     * three and settles the field by the conflict policy instead of the provider's value silently
     * replacing it. Every other field takes the provider's value.
     */
    private List<ShardWrite> keepLocalChanges(SyncRun run, List<ShardWrite> updates) {
        Map<String, ShardStore.SyncState> states = shards.syncState(run.integration().id(), updates.stream().map(ShardWrite::shardId).toList());
        List<ShardWrite> kept = new ArrayList<>(updates.size());
        for (ShardWrite w : updates) {
            ShardStore.SyncState state = states.get(w.shardId());
            if (state == null || state.snapshotJson() == null) {
                kept.add(w);
                continue;
            }
            Map<String, Object> ours = FieldValues.flatten(fromJson(state.dataJson()));
            Map<String, Object> base = FieldValues.flatten(fromJson(state.snapshotJson()));
            Map<String, Object> data = FieldValues.flatten(fromJson(w.dataJson()));
            Map<String, Object> snapshot = new LinkedHashMap<>(data);
            boolean local = false;
            for (String field : run.mapping().writableTargets()) {
                if (!FieldValues.same(ours.get(field), base.get(field))) {
                    data.put(field, ours.get(field));
                    snapshot.put(field, base.get(field));
                    local = true;
                }
            }
            kept.add(!local ? w : new ShardWrite(w.shardId(), w.externalId(), w.externalVersion(), w.shardType(),
                    toJson(FieldValues.nest(data)), w.contentHash(), w.relations(), toJson(FieldValues.nest(snapshot))));
        }
        return kept;
    }

    private static ShardWrite write(String shardId, MappedRecord record, String dataJson, String hash) {
        List<RelationTarget> relations = new ArrayList<>(record.relationships().size());
        for (RelationshipRef r : record.relationships()) {
            relations.add(new RelationTarget(r.type(), r.targetShardType(), r.targetEntity(), r.targetExternalId()));
        }
        return new ShardWrite(shardId, record.externalId(), record.externalVersion(), record.shardType(), dataJson, hash, relations,
                dataJson);
    }

    private Map<String, Object> fromJson(String data) {
        return JsonText.readMap(json, data);
    }

    private String toJson(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("mapped data is not serializable: " + e.getOriginalMessage());
        }
    }
}
