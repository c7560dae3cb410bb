package processors.writeback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import hub.ConflictingStateException;
import hub.Ids;
import hub.InvalidInputException;
import hub.JsonText;
import hub.NotFoundException;
import processors.conflicts.FieldValues;
import processors.mapping.MappingCatalog;
import security.Caller;
import store.AuditLog;
import store.Conflict;
import store.ConflictStore;
import store.EventStore;
import store.IntegrationStore;
import store.OutboxEntry;
import store.OutboxStore;
import store.Shard;
import store.ShardEvents;
import store.ShardStore;

/**
 * Resolving an open conflict: the chosen value of each field goes into the shard, the provider's
 * value seen at detection becomes the base, and the write-back is queued, so the resolution reaches
 * both sides (and a provider change made since is detected as a new conflict, not overwritten).
 */
@Component
public class ConflictResolution {

    /** {@code keep}: "ours" or "theirs" for every field; or {@code values}: the value chosen per field. */
    public record Request(String keep, Map<String, Object> values) {
    }

    private final ConflictStore conflicts;
    private final ShardStore shards;
    private final OutboxStore outbox;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final OutboxRelay relay;
    private final IntegrationStore integrations;
    private final MappingCatalog mappings;

    private final EventStore events;

    public ConflictResolution(ConflictStore conflicts, ShardStore shards, OutboxStore outbox, TransactionTemplate transaction,
                              AuditLog audit, ObjectMapper json, OutboxRelay relay, IntegrationStore integrations, MappingCatalog mappings,
                              EventStore events) {
        this.events = events;
        this.integrations = integrations;
        this.mappings = mappings;
        this.conflicts = conflicts;
        this.shards = shards;
        this.outbox = outbox;
        this.transaction = transaction;
        this.audit = audit;
        this.json = json;
        this.relay = relay;
    }

    public Conflict resolve(Caller caller, String conflictId, Request request) {
        Conflict conflict = conflicts.find(caller.tenantId(), conflictId).orElseThrow(() -> NotFoundException.of("conflict"));
        if (conflict.status() != Conflict.Status.OPEN) {
            throw new ConflictingStateException("the conflict is already resolved");
        }
        Map<String, Object> chosen = choices(conflict, request);
        if (request.values() != null) {
            checkValues(caller, conflict, chosen);
        }
        transaction.executeWithoutResult(status -> {
            Shard shard = shards.lock(caller.tenantId(), conflict.shardId()).orElseThrow(() -> NotFoundException.of("shard"));
            if (shard.deleted()) {
                throw new ConflictingStateException("the shard is deleted");
            }
            if (!conflicts.resolve(conflict.id(), chosen, caller.actor())) {
                throw new ConflictingStateException("the conflict is already resolved");
            }
            Map<String, Object> data = read(shard.structuredData());
            chosen.forEach((field, value) -> FieldValues.put(data, field, value));
            String dataJson = write(data);
            shards.updateData(shard.id(), dataJson);
            events.append(ShardEvents.of(ShardEvents.UPDATED, caller.tenantId(), shard.id(), shard.shardType(), ShardEvents.API,
                    new ShardEvents.Source(conflict.integrationId(), null, conflict.entity(), conflict.externalId()), dataJson,
                    new ArrayList<>(chosen.keySet())));
            ShardStore.Link link = shards.link(shard.id(), conflict.integrationId()).orElseThrow();
            Map<String, Object> base = link.snapshotJson() == null ? new LinkedHashMap<>() : read(link.snapshotJson());
            conflict.fields().forEach(f -> FieldValues.put(base, f.field(), f.theirs()));
            shards.replaceSnapshot(shard.id(), conflict.integrationId(), write(base));
            outbox.insert(Ids.newId(), caller.tenantId(), conflict.integrationId(), shard.id(), conflict.entity(), conflict.externalId(),
                    OutboxEntry.UPDATE, new ArrayList<>(chosen.keySet()));
            audit.record(caller.tenantId(), caller.actor(), "conflict.resolve", "conflict", conflict.id(), String.join(",", chosen.keySet()));
        });
        relay.nudge();
        return conflicts.find(caller.tenantId(), conflictId).orElseThrow();
    }

    private static Map<String, Object> choices(Conflict conflict, Request request) {
        if (request == null || (request.keep() == null) == (request.values() == null)) {
            throw new InvalidInputException("keep", "give either keep (\"ours\" or \"theirs\") or values (the value chosen per field)");
        }
        Map<String, Object> chosen = new LinkedHashMap<>();
        if (request.keep() != null) {
            if (!List.of("ours", "theirs").contains(request.keep())) {
                throw new InvalidInputException("keep", "must be ours or theirs");
            }
            conflict.fields().forEach(f -> chosen.put(f.field(), "ours".equals(request.keep()) ? f.ours() : f.theirs()));
            return chosen;
        }
        List<String> fields = conflict.fields().stream().map(Conflict.Field::field).toList();
        for (String given : request.values().keySet()) {
            if (!fields.contains(given)) {
                throw new InvalidInputException("values." + given, "not a field of this conflict (fields: " + String.join(", ", fields) + ")");
            }
        }
        List<String> missing = fields.stream().filter(f -> !request.values().containsKey(f)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidInputException("values", "choose a value for " + String.join(", ", missing));
        }
        fields.forEach(f -> chosen.put(f, request.values().get(f)));
        return chosen;
    }

    /** Chosen values must be what the mapping's fields hold, as any shard write ({@link ShardWrites}). */
    private void checkValues(Caller caller, Conflict conflict, Map<String, Object> chosen) {
        integrations.find(caller.tenantId(), conflict.integrationId())
                .flatMap(i -> mappings.find(i.providerId(), conflict.entity(), i.settings().fieldMappings()))
                .ifPresent(mapping -> chosen.forEach((field, value) -> mapping.field(field).flatMap(rule -> rule.refusal(value))
                        .ifPresent(refusal -> {
                            throw new InvalidInputException("values." + field, refusal);
                        })));
    }

    private Map<String, Object> read(String data) {
        return JsonText.readMap(json, data);
    }

    private String write(Object data) {
        return JsonText.write(json, data);
    }
}
