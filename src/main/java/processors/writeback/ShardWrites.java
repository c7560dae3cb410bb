package processors.writeback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import hub.ConflictingStateException;
import hub.Ids;
import hub.InvalidInputException;
import hub.JsonText;
import hub.NotFoundException;
import hub.ShardTypes;
import processors.conflicts.FieldValues;
import processors.mapping.EntityMapping;
import processors.mapping.MappingCatalog;
import security.Caller;
import store.AuditLog;
import store.EventStore;
import store.Integration;
import store.IntegrationStore;
import store.OutboxEntry;
import store.OutboxStore;
import store.Shard;
import store.ShardEvents;
import store.ShardStore;

/**
 * Shard changes made in Castiel: validated against the mappings of the integrations the shard is
 * linked to, applied, and recorded in the write-back outbox in the same transaction, one row per
 * integration that writes the entity back, with its {@code shard.created}, {@code shard.updated} or
 * {@code shard.deleted} event (origin {@code api}). The relays and the write-back routes take it from there.
 */
@Component
public class ShardWrites {

    private final ShardStore shards;
    private final OutboxStore outbox;
    private final IntegrationStore integrations;
    private final MappingCatalog mappings;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final OutboxRelay relay;
    private final EventStore events;

    public ShardWrites(ShardStore shards, OutboxStore outbox, IntegrationStore integrations, MappingCatalog mappings,
                       TransactionTemplate transaction, AuditLog audit, ObjectMapper json, OutboxRelay relay, EventStore events) {
        this.events = events;
        this.shards = shards;
        this.outbox = outbox;
        this.integrations = integrations;
        this.mappings = mappings;
        this.transaction = transaction;
        this.audit = audit;
        this.json = json;
        this.relay = relay;
    }

    /** Applies a partial change of structured data; {@code expectedVersion}, when given, must be the shard's version. */
    public Shard update(Caller caller, String shardId, Map<String, Object> changes, Long expectedVersion) {
        Map<String, Object> flat = changes(changes);
        transaction.executeWithoutResult(status -> {
            Shard shard = writable(caller, shardId, expectedVersion);
            List<Target> targets = targets(caller.tenantId(), shard);
            check(flat, shard.shardType(), targets);
            Map<String, Object> data = read(shard.structuredData());
            flat.forEach((field, value) -> FieldValues.put(data, field, value));
            String dataJson = write(data);
            shards.updateData(shard.id(), dataJson);
            events.append(ShardEvents.of(ShardEvents.UPDATED, caller.tenantId(), shard.id(), shard.shardType(), ShardEvents.API,
                    ShardEvents.Source.NONE, dataJson, new ArrayList<>(flat.keySet())));
            for (Target t : targets) {
                if (t.writesBack()) {
                    outbox.insert(Ids.newId(), caller.tenantId(), t.integration().id(), shard.id(), t.entity(), t.externalId(),
                            OutboxEntry.UPDATE, new ArrayList<>(flat.keySet()));
                }
            }
            audit.record(caller.tenantId(), caller.actor(), "shard.update", "shard", shard.id(), String.join(",", flat.keySet()));
        });
        relay.nudge();
        return shards.find(caller.tenantId(), shardId).orElseThrow();
    }

    /** Creates a shard in Castiel and has the integration create the provider record for it. */
    public Shard create(Caller caller, String integrationId, String shardType, String entity, Map<String, Object> structuredData) {
        if (integrationId == null || integrationId.isBlank()) {
            throw new InvalidInputException("integrationId", "required: the integration to create the record in");
        }
        Integration integration = integrations.find(caller.tenantId(), integrationId)
                .orElseThrow(() -> new InvalidInputException("integrationId", "no such integration"));
        EntityMapping mapping = entityFor(integration, shardType, entity);
        if (!integration.writesBack(mapping.entity())) {
            throw new InvalidInputException("integrationId", "the integration does not write " + mapping.entity() + " back (syncDirection "
                    + integration.syncDirection() + ", writeBack.entities " + integration.settings().writeBack().entities() + ")");
        }
        Map<String, Object> flat = changes(structuredData);
        check(flat, mapping.shardType(), List.of(new Target(integration, mapping, null, true)));
        String id = Ids.newId();
        transaction.executeWithoutResult(status -> {
            String dataJson = write(FieldValues.nest(flat));
            shards.insertLocal(caller.tenantId(), id, mapping.shardType(), dataJson);
            events.append(ShardEvents.of(ShardEvents.CREATED, caller.tenantId(), id, mapping.shardType(), ShardEvents.API,
                    new ShardEvents.Source(integration.id(), integration.providerId(), mapping.entity(), null), dataJson,
                    new ArrayList<>(flat.keySet())));
            outbox.insert(Ids.newId(), caller.tenantId(), integration.id(), id, mapping.entity(), null, OutboxEntry.CREATE,
                    new ArrayList<>(flat.keySet()));
            audit.record(caller.tenantId(), caller.actor(), "shard.create", "shard", id, integration.id() + " " + mapping.entity());
        });
        relay.nudge();
        return shards.find(caller.tenantId(), id).orElseThrow();
    }

    /** Marks the shard deleted and has every integration that writes it back delete the provider record. */
    public void delete(Caller caller, String shardId) {
        transaction.executeWithoutResult(status -> {
            Shard shard = writable(caller, shardId, null);
            shards.markDeleted(shard.id());
            events.append(ShardEvents.of(ShardEvents.DELETED, caller.tenantId(), shard.id(), shard.shardType(), ShardEvents.API,
                    ShardEvents.Source.NONE, null, null));
            for (Target t : targets(caller.tenantId(), shard)) {
                if (t.writesBack()) {
                    outbox.insert(Ids.newId(), caller.tenantId(), t.integration().id(), shard.id(), t.entity(), t.externalId(),
                            OutboxEntry.DELETE, List.of());
                }
            }
            audit.record(caller.tenantId(), caller.actor(), "shard.delete", "shard", shard.id(), null);
        });
        relay.nudge();
    }

    /** An integration the shard is linked to, with the mapping of its entity and whether changes go back. */
    private record Target(Integration integration, EntityMapping mapping, String externalId, boolean writesBack) {
        String entity() {
            return mapping.entity();
        }
    }

    private Shard writable(Caller caller, String shardId, Long expectedVersion) {
        Shard shard = shards.lock(caller.tenantId(), shardId).orElseThrow(() -> NotFoundException.of("shard"));
        if (shard.deleted()) {
            throw new ConflictingStateException("the shard is deleted");
        }
        if (expectedVersion != null && expectedVersion != shard.version()) {
            throw new ConflictingStateException("the shard is at version " + shard.version() + ", not " + expectedVersion
                    + "; read it again and reapply the change", "expectedVersion");
        }
        return shard;
    }

    private List<Target> targets(String tenantId, Shard shard) {
        List<Target> targets = new ArrayList<>();
        for (ShardStore.Link link : shards.links(shard.id())) {
            Integration integration = integrations.find(tenantId, link.integrationId()).orElse(null);
            if (integration == null) {
                continue;
            }
            mappings.find(integration.providerId(), link.entity(), integration.settings().fieldMappings()).ifPresent(m ->
                    targets.add(new Target(integration, m, link.externalId(), integration.writesBack(link.entity()))));
        }
        return targets;
    }

    /**
     * Fields must be known to the shard's mappings, written back by every integration that writes the
     * entity back, and hold what each mapping says the field holds (type, length, a number in range, a
     * value that converts back); the 400 names the fields at fault, and nothing reaches the outbox.
     */
    private void check(Map<String, Object> values, String shardType, List<Target> targets) {
        Set<String> fields = values.keySet();
        Set<String> known = new TreeSet<>();
        List<EntityMapping> knownFrom = targets.isEmpty()
                ? mappings.providers().stream().flatMap(p -> mappings.forProvider(p).stream()).filter(m -> m.shardType().equals(shardType)).toList()
                : targets.stream().map(Target::mapping).toList();
        knownFrom.forEach(m -> m.fields().forEach(f -> known.add(f.target())));
        List<String> unknown = fields.stream().filter(f -> !known.contains(f)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("structuredData", "unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " for " + shardType + " (known: " + String.join(", ", known) + ")");
        }
        for (Target t : targets) {
            if (!t.writesBack()) {
                continue;
            }
            List<String> readOnly = fields.stream().filter(f -> !t.mapping().isWritable(f)).sorted().toList();
            if (!readOnly.isEmpty()) {
                throw new InvalidInputException("structuredData", String.join(", ", readOnly) + (readOnly.size() > 1 ? " are" : " is")
                        + " not written back to " + t.integration().providerId() + " " + t.entity()
                        + " (inbound only, or a transform that cannot be reversed)");
            }
        }
        for (EntityMapping m : knownFrom) {
            values.forEach((field, value) -> m.field(field).flatMap(rule -> rule.refusal(value)).ifPresent(refusal -> {
                throw new InvalidInputException("structuredData." + field, refusal);
            }));
        }
    }

    private EntityMapping entityFor(Integration integration, String shardType, String entity) {
        if (entity != null) {
            return mappings.find(integration.providerId(), entity, integration.settings().fieldMappings())
                    .orElseThrow(() -> new InvalidInputException("entity", "no mapping for " + integration.providerId() + " " + entity));
        }
        if (shardType == null || !ShardTypes.ALL.contains(shardType)) {
            throw new InvalidInputException("shardType", "required: one of " + String.join(", ", ShardTypes.ALL));
        }
        List<EntityMapping> candidates = mappings.forProvider(integration.providerId()).stream()
                .filter(m -> m.shardType().equals(shardType)).toList();
        if (candidates.size() != 1) {
            throw new InvalidInputException("entity", candidates.isEmpty() ? "no " + integration.providerId() + " entity maps to " + shardType
                    : "several entities map to " + shardType + "; name one of " + candidates.stream().map(EntityMapping::entity).toList());
        }
        return mappings.find(integration.providerId(), candidates.get(0).entity(), integration.settings().fieldMappings()).orElseThrow();
    }

    private static Map<String, Object> changes(Map<String, Object> structuredData) {
        if (structuredData == null || structuredData.isEmpty()) {
            throw new InvalidInputException("structuredData", "required: the fields to change, e.g. {\"name\": \"Acme\"}");
        }
        return new LinkedHashMap<>(FieldValues.flatten(structuredData));
    }

    private Map<String, Object> read(String data) {
        return JsonText.readMap(json, data);
    }

    private String write(Object data) {
        return JsonText.write(json, data);
    }
}
