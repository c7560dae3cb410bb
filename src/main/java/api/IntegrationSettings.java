package api;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

import hub.Ids;
import processors.mapping.EntityMapping;
import processors.mapping.MappingCatalog;
import processors.mapping.MappingException;
import processors.sync.Schedules;
import providers.AdapterRegistry;
import providers.ConnectionContext;
import providers.IntegrationAdapter;
import providers.PullFilter;
import store.Integration;
import store.Timestamps;

/** Turns an integration request into a valid integration, or a 400 naming the field at fault. */
@Component
public class IntegrationSettings {

    public static final Set<String> DIRECTIONS = Set.of("inbound", "outbound", "bidirectional");
    public static final Set<String> CONFLICT_STRATEGIES = Set.of("last_write_wins", "external_wins", "castiel_wins", "manual", "merge", "field_priority");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
    private static final int MAX_SOURCES = 500;

    private final AdapterRegistry adapters;
    private final MappingCatalog mappings;
    private final Duration minInterval;
    private final int maxRecordsCap;

    IntegrationSettings(AdapterRegistry adapters, MappingCatalog mappings, @Value("${hub.sync.min-interval}") String minInterval,
                        @Value("${hub.sync.max-records-per-sync-cap}") int maxRecordsCap) {
        this.adapters = adapters;
        this.mappings = mappings;
        this.minInterval = DurationStyle.detectAndParse(minInterval);
        this.maxRecordsCap = maxRecordsCap;
    }

    Integration create(String tenantId, IntegrationRequest r) {
        String providerId = Validation.requiredText("providerId", r.providerId(), 64);
        IntegrationAdapter adapter = adapters.find(providerId)
                .orElseThrow(() -> ApiException.badRequest("providerId", "unknown provider '" + providerId + "'; see GET /api/integrations"));
        OffsetDateTime now = Timestamps.now();
        return build(Ids.newId(), tenantId, adapter, r, Integration.Status.PENDING, null, now, now);
    }

    Integration update(Integration current, IntegrationRequest r) {
        if (r.providerId() != null && !r.providerId().equals(current.providerId())) {
            throw ApiException.badRequest("providerId", "cannot change; create another integration");
        }
        return build(current.id(), current.tenantId(), adapters.get(current.providerId()), r, current.status(), current.lastSyncAt(),
                current.createdAt(), Timestamps.now());
    }

    /** The integration as a request, so PATCH can merge changes over it and validate the result as a whole. */
    static IntegrationRequest asRequest(Integration i) {
        return new IntegrationRequest(i.providerId(), i.name(), i.syncEnabled(), i.syncDirection(), i.syncFrequency(),
                i.conflictResolution(), i.maxRecordsPerSync(), i.settings().pullFilters(), i.settings().entityMappings(),
                i.settings().fieldMappings(), i.settings().writeBack(), i.settings().sources());
    }

    /** Entities of the provider that have a mapping, so they can be synced. */
    public List<String> syncableEntities(String providerId) {
        IntegrationAdapter adapter = adapters.get(providerId);
        return adapter.descriptor().entities().stream().filter(e -> mappings.find(providerId, e).isPresent()).toList();
    }

    private Integration build(String id, String tenantId, IntegrationAdapter adapter, IntegrationRequest r, Integration.Status status,
                              OffsetDateTime lastSyncAt, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
        String providerId = adapter.descriptor().id();
        String name = Validation.requiredText("name", r.name(), 200);
        String direction = Validation.oneOf("syncDirection", r.syncDirection(), DIRECTIONS, "inbound");
        String conflicts = Validation.oneOf("conflictResolution", r.conflictResolution(), CONFLICT_STRATEGIES, "last_write_wins");
        String frequency = r.syncFrequency() == null || r.syncFrequency().isBlank() ? null : Validation.requiredText("syncFrequency", r.syncFrequency(), 100);
        if (frequency != null && !"manual".equalsIgnoreCase(frequency)) {
            Schedules.validate("syncFrequency", frequency, minInterval);
        }
        Integer max = r.maxRecordsPerSync();
        if (max != null && (max < 1 || max > maxRecordsCap)) {
            throw ApiException.badRequest("maxRecordsPerSync", "must be between 1 and " + maxRecordsCap);
        }
        List<String> entities = syncableEntities(providerId);
        Integration.Settings settings = new Integration.Settings(
                pullFilters(entities, r.pullFilters()),
                entityMappings(entities, r.entityMappings()),
                fieldMappings(providerId, entities, r.fieldMappings()),
                writeBack(providerId, entities, r.writeBack()),
                sources(adapter.descriptor().entities(), r.sources()));
        return new Integration(id, tenantId, providerId, name, status, r.syncEnabled() == null || r.syncEnabled(), direction, frequency,
                conflicts, max, settings, lastSyncAt, createdAt, updatedAt);
    }

    private static void knownEntity(String field, String entity, List<String> entities) {
        if (!entities.contains(entity)) {
            throw ApiException.badRequest(field, "unknown entity '" + entity + "' (known: " + String.join(", ", entities) + ")");
        }
    }

    /** Sources per entity (or {@code "*"}): ids or names the provider knows, checked against it when connected. */
    private static Map<String, List<String>> sources(List<String> entities, Map<String, List<String>> given) {
        if (given == null) {
            return Map.of();
        }
        Map<String, List<String>> sources = new LinkedHashMap<>();
        given.forEach((entity, selected) -> {
            String field = "sources." + entity;
            if (!ConnectionContext.ANY_ENTITY.equals(entity)) {
                knownEntity(field, entity, entities);
            }
            if (selected == null || selected.size() > MAX_SOURCES) {
                throw ApiException.badRequest(field, "must be a list of at most " + MAX_SOURCES + " source ids");
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < selected.size(); i++) {
                String id = Validation.requiredText(field + "[" + i + "]", selected.get(i), 300);
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
            sources.put(entity, List.copyOf(ids));
        });
        return sources;
    }

    private static Map<String, List<Map<String, Object>>> pullFilters(List<String> entities, Map<String, List<Map<String, Object>>> given) {
        if (given == null) {
            return Map.of();
        }
        Map<String, List<Map<String, Object>>> filters = new LinkedHashMap<>();
        given.forEach((entity, conditions) -> {
            knownEntity("pullFilters." + entity, entity, entities);
            if (conditions == null) {
                throw ApiException.badRequest("pullFilters." + entity, "must be a list of {field, op, value}");
            }
            for (int i = 0; i < conditions.size(); i++) {
                String at = "pullFilters." + entity + "[" + i + "]";
                Map<String, Object> c = conditions.get(i);
                if (c == null || !Set.of("field", "op", "value").containsAll(c.keySet())) {
                    throw ApiException.badRequest(at, "a filter has exactly field, op and value");
                }
                if (!(c.get("field") instanceof String field) || !FIELD.matcher(field).matches()) {
                    throw ApiException.badRequest(at + ".field", "must be a provider field name");
                }
                if (!(c.get("op") instanceof String op) || !PullFilter.OPERATORS.contains(op)) {
                    throw ApiException.badRequest(at + ".op", "must be one of " + String.join(" ", PullFilter.OPERATORS.stream().sorted().toList()));
                }
                Object value = c.get("value");
                if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    throw ApiException.badRequest(at + ".value", "must be a string, number, boolean or null");
                }
            }
            filters.put(entity, conditions);
        });
        return filters;
    }

    private static List<Integration.EntityMapping> entityMappings(List<String> entities, List<Integration.EntityMapping> given) {
        if (given == null) {
            return List.of();
        }
        for (int i = 0; i < given.size(); i++) {
            Integration.EntityMapping m = given.get(i);
            if (m == null || m.entity() == null) {
                throw ApiException.badRequest("entityMappings[" + i + "].entity", "required");
            }
            knownEntity("entityMappings[" + i + "].entity", m.entity(), entities);
        }
        return given.stream().map(m -> new Integration.EntityMapping(m.entity(), m.enabled() == null || m.enabled())).toList();
    }

    private Map<String, List<Map<String, Object>>> fieldMappings(String providerId, List<String> entities,
                                                                 Map<String, List<Map<String, Object>>> given) {
        if (given == null) {
            return Map.of();
        }
        given.forEach((entity, specs) -> {
            knownEntity("fieldMappings." + entity, entity, entities);
            EntityMapping base = mappings.find(providerId, entity).orElseThrow();
            try {
                mappings.withFieldOverrides(base, specs == null ? List.of() : specs);
            } catch (MappingException e) {
                throw ApiException.badRequest("fieldMappings." + entity, e.getMessage());
            }
        });
        return given;
    }

    private static final Set<String> SIDES = Set.of("castiel", "external");
    private static final Set<String> FALLBACKS = Set.of("last_write_wins", "external_wins", "castiel_wins", "manual");

    private Integration.WriteBack writeBack(String providerId, List<String> entities, Integration.WriteBack given) {
        if (given == null) {
            return Integration.WriteBack.DEFAULT;
        }
        for (int i = 0; i < given.entities().size(); i++) {
            knownEntity("writeBack.entities[" + i + "]", given.entities().get(i), entities);
        }
        Validation.oneOf("writeBack.fallback", given.fallback(), FALLBACKS, "manual");
        fieldPriority("writeBack.fieldPriority", given.fieldPriority(), null, providerId, entities);
        given.conflicts().forEach((entity, policy) -> {
            String at = "writeBack.conflicts." + entity;
            knownEntity(at, entity, entities);
            if (policy == null) {
                throw ApiException.badRequest(at, "must be {strategy, fallback, fieldPriority}");
            }
            if (policy.strategy() != null) {
                Validation.oneOf(at + ".strategy", policy.strategy(), CONFLICT_STRATEGIES, null);
            }
            if (policy.fallback() != null) {
                Validation.oneOf(at + ".fallback", policy.fallback(), FALLBACKS, null);
            }
            fieldPriority(at + ".fieldPriority", policy.fieldPriority(), entity, providerId, entities);
        });
        Integration.Retry retry = given.retry();
        if (retry.maxAttempts() < 1 || retry.maxAttempts() > 20) {
            throw ApiException.badRequest("writeBack.retry.maxAttempts", "must be between 1 and 20");
        }
        if (retry.backoffMs() < 0 || retry.backoffMs() > 3_600_000) {
            throw ApiException.badRequest("writeBack.retry.backoffMs", "must be between 0 and 3600000");
        }
        if (retry.backoffMultiplier() < 1 || retry.backoffMultiplier() > 10) {
            throw ApiException.badRequest("writeBack.retry.backoffMultiplier", "must be between 1 and 10");
        }
        return given;
    }

    /** Field priorities name shard fields the entity's mapping (or any mapped entity's, at integration level) writes back. */
    private void fieldPriority(String at, Map<String, String> priorities, String entity, String providerId, List<String> entities) {
        if (priorities == null) {
            return;
        }
        Set<String> fields = new java.util.TreeSet<>();
        for (String e : entity == null ? entities : List.of(entity)) {
            mappings.find(providerId, e).ifPresent(m -> fields.addAll(m.writableTargets()));
        }
        priorities.forEach((field, side) -> {
            if (!fields.contains(field)) {
                throw ApiException.badRequest(at + "." + field, "not a field written back (known: " + String.join(", ", fields) + ")");
            }
            Validation.oneOf(at + "." + field, side, SIDES, null);
        });
    }
}
