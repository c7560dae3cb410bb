package processors.writeback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import connections.Connections;
import hub.Ids;
import hub.JsonText;
import messaging.DeadLetters;
import messaging.QueueWriter;
import processors.conflicts.ConflictPolicy;
import processors.conflicts.FieldValues;
import processors.conflicts.ThreeWayMerge;
import processors.mapping.ContentHash;
import processors.mapping.DateFormatTransform;
import processors.mapping.EntityMapping;
import processors.mapping.MappedRecord;
import processors.mapping.MappingCatalog;
import processors.mapping.MappingException;
import providers.AdapterRegistry;
import providers.ConnectionContext;
import providers.IntegrationAdapter;
import providers.ProviderException;
import providers.ThrottledException;
import ratelimits.Operation;
import ratelimits.ProviderGate;
import ratelimits.RateLimitSettings;
import store.Conflict;
import store.ConflictStore;
import store.Integration;
import store.IntegrationStore;
import store.OutboxEntry;
import store.OutboxStore;
import store.Shard;
import store.ShardStore;
import store.Timestamps;

/**
 * Writes one outbox row back to the provider. An update compares, field by field, the base last
 * synced, the shard and the provider's record as it is now, writes what Castiel changed (and what
 * the conflict policy gives to Castiel) with the provider's optimistic concurrency, takes into the
 * shard what the provider changed, records the conflicts, and stores what the provider then holds
 * as the new base and content hash, so the change does not come back as an inbound change. A 412
 * from the provider starts the comparison again on the record as it now is.
 *
 * <p>Failures: transient ones are retried by re-queueing the message with the integration's backoff
 * (no consumer thread waits); exhausted or permanent ones go to the dead-letter channel with the
 * provider's reason, and the shard's link shows the error.
 */
@Component
public class WriteBack implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WriteBack.class);
    private static final int CONFLICT_ROUNDS = 3;
    /** The provider calls each kind of write makes when nothing gets in its way, reserved before it starts. */
    private static final Map<String, Map<Operation, Integer>> CALLS = Map.of(
            OutboxEntry.CREATE, Map.of(Operation.CREATE, 1, Operation.FETCH, 1),
            OutboxEntry.UPDATE, Map.of(Operation.FETCH, 2, Operation.UPDATE, 1),
            OutboxEntry.DELETE, Map.of(Operation.DELETE, 1));

    private final OutboxStore outbox;
    private final ShardStore shards;
    private final IntegrationStore integrations;
    private final ConflictStore conflicts;
    private final MappingCatalog mappings;
    private final AdapterRegistry adapters;
    private final Connections connections;
    private final TransactionTemplate transaction;
    private final QueueWriter queues;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;
    private final String queue;
    private final RateLimitSettings rateLimits;
    private final MeterRegistry meters;
    private final ProviderGate gate;

    public WriteBack(OutboxStore outbox, ShardStore shards, IntegrationStore integrations, ConflictStore conflicts, MappingCatalog mappings,
                     AdapterRegistry adapters, Connections connections, TransactionTemplate transaction, QueueWriter queues,
                     DeadLetters deadLetters, ObjectMapper json, @Value("${hub.queue.sync-outbound}") String queue,
                     RateLimitSettings rateLimits, MeterRegistry meters, ProviderGate gate) {
        this.gate = gate;
        this.rateLimits = rateLimits;
        this.meters = meters;
        this.outbox = outbox;
        this.shards = shards;
        this.integrations = integrations;
        this.conflicts = conflicts;
        this.mappings = mappings;
        this.adapters = adapters;
        this.connections = connections;
        this.transaction = transaction;
        this.queues = queues;
        this.deadLetters = deadLetters;
        this.json = json;
        this.queue = queue;
    }

    /** Why a write could not be made now: retried later, or (permanent) dead-lettered at once. */
    private static final class NotNow extends RuntimeException {
        final boolean permanent;
        final String step;

        NotNow(String step, String message, boolean permanent) {
            super(message);
            this.step = step;
            this.permanent = permanent;
        }
    }

    @Override
    public void process(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        WriteBackRequest request = WriteBackRequest.read(json, body);
        OutboxEntry found = request.outboxId() == null ? null : outbox.find(request.outboxId()).orElse(null);
        if (found == null) {
            LOG.warn("Write-back message for unknown outbox row {} dropped", request.outboxId());
            return;
        }
        if (found.finished()) {
            boolean replay = exchange.getMessage().getHeader(DeadLetters.REPLAY_OF) != null && OutboxEntry.FAILED.equals(found.status());
            if (!replay) {
                return;
            }
            outbox.reopen(found.id());
        }
        OutboxEntry entry = outbox.find(found.id()).orElseThrow();
        Integration integration = integrations.findById(entry.integrationId()).orElse(null);
        if (integration == null || !integration.writesBack(entry.entity())) {
            outbox.finish(entry.id(), OutboxEntry.SKIPPED, integration == null ? "the integration no longer exists"
                    : "the integration does not write " + entry.entity() + " back (syncDirection " + integration.syncDirection() + ")");
            return;
        }
        String step = "connect";
        try {
            IntegrationAdapter adapter = adapters.get(integration.providerId());
            EntityMapping mapping = mappings.find(integration.providerId(), entry.entity(), integration.settings().fieldMappings())
                    .orElseThrow(() -> new NotNow("map", "no mapping for " + integration.providerId() + " " + entry.entity(), true));
            ConnectionContext connection = connections.context(integration, "write back " + entry.id())
                    .orElseThrow(() -> new NotNow("connect", "the integration is not connected", false));
            step = entry.operation();
            try (ProviderGate.Reservation calls = gate.reserve(connection, CALLS.get(entry.operation()),
                    adapter.descriptor().defaultRateLimitPerMinute())) {
                switch (entry.operation()) {
                    case OutboxEntry.CREATE -> create(entry, integration, adapter, connection, mapping);
                    case OutboxEntry.DELETE -> delete(entry, adapter, connection);
                    default -> update(entry, integration, adapter, connection, mapping);
                }
            }
        } catch (NotNow e) {
            failed(body, request, entry, integration, e.step, e.getMessage(), e.permanent);
        } catch (ThrottledException e) {
            throttled(exchange, body, request, entry, integration, step, e);
        } catch (ProviderException e) {
            failed(body, request, entry, integration, step, e.getMessage(),
                    e.kind() == ProviderException.Kind.PERMANENT || e.kind() == ProviderException.Kind.AUTH);
        } catch (MappingException e) {
            failed(body, request, entry, integration, "map", e.getMessage(), true);
        }
    }

    // ------------------------------------------------------------------ operations

    private void update(OutboxEntry entry, Integration integration, IntegrationAdapter adapter, ConnectionContext connection,
                        EntityMapping mapping) {
        ShardStore.Link link = shards.link(entry.shardId(), entry.integrationId())
                .orElseThrow(() -> new NotNow("update", "the provider record is not created yet", false));
        ConflictPolicy policy = ConflictPolicy.of(integration, entry.entity());
        for (int round = 1; round <= CONFLICT_ROUNDS; round++) {
            Shard shard = shards.find(entry.tenantId(), entry.shardId()).orElse(null);
            if (shard == null || shard.deleted()) {
                outbox.finish(entry.id(), OutboxEntry.SKIPPED, "the shard was deleted before its change was written back");
                return;
            }
            MappedRecord theirs = fetch(adapter, connection, mapping, link.externalId())
                    .orElseThrow(() -> new NotNow("fetch", "the record no longer exists at the provider", true));
            Map<String, Object> ours = FieldValues.flatten(read(shard.structuredData()));
            Map<String, Object> theirsFlat = FieldValues.flatten(theirs.structuredData());
            Map<String, Object> base = link.snapshotJson() == null ? null : FieldValues.flatten(read(link.snapshotJson()));
            ThreeWayMerge.Result result = ThreeWayMerge.compare(mapping.writableTargets(), base, ours, theirsFlat, policy,
                    shard.updatedAt().toInstant(), DateFormatTransform.instantOf(theirs.externalVersion()));
            MappedRecord after = theirs;
            if (!result.toProvider().isEmpty()) {
                Map<String, Object> fields = mapping.reverse(FieldValues.nest(result.toProvider()));
                try {
                    adapter.updateRecord(connection, entry.entity(), link.externalId(), fields, theirs.externalVersion());
                } catch (ProviderException e) {
                    if (e.kind() == ProviderException.Kind.CONFLICT && round < CONFLICT_ROUNDS) {
                        LOG.info("Record {} {} changed at the provider while it was written back; comparing again", entry.entity(),
                                link.externalId());
                        continue;
                    }
                    throw e;
                }
                after = fetch(adapter, connection, mapping, link.externalId()).orElse(theirs);
            }
            settle(entry, policy, link.externalId(), ours, base, result, after);
            return;
        }
        throw new NotNow("update", "the record kept changing at the provider while it was written back", false);
    }

    private void create(OutboxEntry entry, Integration integration, IntegrationAdapter adapter, ConnectionContext connection,
                        EntityMapping mapping) {
        Shard shard = shards.find(entry.tenantId(), entry.shardId()).orElse(null);
        if (shard == null || shard.deleted()) {
            outbox.finish(entry.id(), OutboxEntry.SKIPPED, "the shard was deleted before it was created at the provider");
            return;
        }
        if (shards.link(entry.shardId(), entry.integrationId()).isPresent()) {
            outbox.finish(entry.id(), OutboxEntry.DONE, "already created");
            return;
        }
        String externalId = adapter.createRecord(connection, entry.entity(), mapping.reverse(read(shard.structuredData())));
        MappedRecord created;
        try {
            created = fetch(adapter, connection, mapping, externalId).orElse(null);
        } catch (ProviderException e) {
            // the record exists now: link it whatever stops the re-read, or the next attempt would create it again
            LOG.info("Created {} {} but could not re-read it ({}); linked with the shard's values as base", entry.entity(), externalId,
                    e.getMessage());
            created = null;
        }
        MappedRecord createdRecord = created;
        transaction.executeWithoutResult(status -> {
            String snapshot = createdRecord == null ? shard.structuredData() : write(createdRecord.structuredData());
            shards.linkCreated(entry.tenantId(), entry.shardId(), entry.integrationId(), entry.entity(), externalId,
                    integration.syncDirection(), createdRecord == null ? null : createdRecord.externalVersion(),
                    createdRecord == null ? "" : ContentHash.of(snapshot, createdRecord.relationships()), snapshot);
            outbox.finish(entry.id(), OutboxEntry.DONE, "created " + entry.entity() + " " + externalId);
        });
    }

    private void delete(OutboxEntry entry, IntegrationAdapter adapter, ConnectionContext connection) {
        ShardStore.Link link = shards.link(entry.shardId(), entry.integrationId()).orElse(null);
        if (link == null) {
            outbox.finish(entry.id(), OutboxEntry.SKIPPED, "no provider record was created for the shard");
            return;
        }
        try {
            adapter.deleteRecord(connection, entry.entity(), link.externalId());
        } catch (ProviderException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        outbox.finish(entry.id(), OutboxEntry.DONE, "deleted " + entry.entity() + " " + link.externalId());
    }

    // ------------------------------------------------------------------ after the provider call

    /**
     * In one transaction: the shard takes the provider's side where it won (unless the shard changed
     * the field again meanwhile), the new base and hash are stored (held fields keep their old base, or
     * none when there was none, so they stay in conflict until resolved), the conflicts are recorded and the row is finished.
     */
    private void settle(OutboxEntry entry, ConflictPolicy policy, String externalId, Map<String, Object> ours, Map<String, Object> base,
                        ThreeWayMerge.Result result, MappedRecord after) {
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
                Map<String, Object> data = read(current.structuredData());
                Map<String, Object> now = FieldValues.flatten(data);
                boolean changed = false;
                for (Map.Entry<String, Object> e : toShard.entrySet()) {
                    if (FieldValues.same(now.get(e.getKey()), ours.get(e.getKey())) && !FieldValues.same(now.get(e.getKey()), e.getValue())) {
                        FieldValues.put(data, e.getKey(), e.getValue());
                        changed = true;
                    }
                }
                if (changed) {
                    shards.updateData(current.id(), write(data));
                }
            }
            String afterJson = write(after.structuredData());
            shards.recordSynced(entry.integrationId(), entry.entity(), externalId, after.externalVersion(),
                    ContentHash.of(afterJson, after.relationships()), write(FieldValues.nest(snapshot)));
            if (!result.conflicts().isEmpty()) {
                conflicts.record(entry.tenantId(), conflict(entry, policy, externalId, result, after.externalVersion()));
            }
            outbox.finish(entry.id(), result.held() ? OutboxEntry.HELD : OutboxEntry.DONE, outcome(result));
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
                held ? Conflict.OPEN : Conflict.RESOLVED, policy.strategy(), fields, version, null, Timestamps.now(),
                held ? null : Timestamps.now(), held ? null : "strategy:" + policy.strategy());
    }

    private static String outcome(ThreeWayMerge.Result result) {
        String written = result.toProvider().isEmpty() ? "nothing to write" : "wrote " + String.join(", ", result.toProvider().keySet());
        String taken = result.toShard().isEmpty() ? "" : "; took the provider's " + String.join(", ", result.toShard().keySet());
        String conflicted = result.conflicts().isEmpty() ? "" : "; conflicts on " + String.join(", ",
                result.conflicts().stream().map(c -> c.field() + " (" + c.winner().name().toLowerCase() + ")").toList());
        return written + taken + conflicted;
    }

    // ------------------------------------------------------------------ failures

    /**
     * Held back by the rate limits or the provider: back on the queue after the wait, not counted as an
     * attempt, until it has waited longer than the maximum wait; then it fails like any other write.
     */
    private void throttled(Exchange exchange, String body, WriteBackRequest request, OutboxEntry entry, Integration integration, String step,
                           ThrottledException e) {
        long now = System.currentTimeMillis();
        Long header = exchange.getMessage().getHeader(QueueWriter.WAITING_SINCE, Long.class);
        long since = header == null ? now : header;
        String reason = rateLimits.giveUpReason(since, now, e);
        if (reason != null) {
            meters.counter("hub.ratelimit.gave-up", "flow", "write-back").increment();
            failed(body, request, entry, integration, step, reason, true);
            return;
        }
        meters.counter("hub.ratelimit.requeued", "flow", "write-back").increment();
        queues.send(queue, List.of(request.message(json, entry, Math.max(1, e.retryAfter().toMillis()),
                Map.of(QueueWriter.WAITING_SINCE, Long.toString(since)))));
    }

    private void failed(String body, WriteBackRequest request, OutboxEntry entry, Integration integration, String step,
                        String reason, boolean permanent) {
        int attempts = outbox.recordAttempt(entry.id(), step + ": " + reason);
        Integration.Retry retry = integration.settings().writeBack().retry();
        if (!permanent && attempts < retry.maxAttempts()) {
            long delay = retry.delayAfter(attempts);
            LOG.info("Write-back {} of {} {} failed at {} (attempt {} of {}), retrying in {} ms: {}", entry.id(), entry.entity(),
                    entry.shardId(), step, attempts, retry.maxAttempts(), delay, reason);
            queues.send(queue, List.of(request.message(json, entry, delay)));
            return;
        }
        transaction.executeWithoutResult(status -> {
            outbox.finish(entry.id(), OutboxEntry.FAILED, step + ": " + reason);
            shards.recordSyncError(entry.shardId(), entry.integrationId(), "write-back failed at " + step + ": " + reason);
        });
        deadLetters.send(queue, body, WriteBackRequest.EVENT_TYPE, request.group(), step, reason, attempts);
    }

    // ------------------------------------------------------------------ helpers

    private static Optional<MappedRecord> fetch(IntegrationAdapter adapter, ConnectionContext connection, EntityMapping mapping,
                                                String externalId) {
        return adapter.fetchRecord(connection, mapping.entity(), externalId, mapping.sourceFields()).map(mapping::map);
    }

    private Map<String, Object> read(String data) {
        return JsonText.readMap(json, data);
    }

    private String write(Object data) {
        return JsonText.write(json, data);
    }
}
