package ratelimits;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import hub.InvalidInputException;

/**
 * Limits set through the API for one scope, each replacing a default. An integration's: its
 * {@code integration} limit and per-{@code operations} limits. A tenant's: the same two as defaults
 * for all its integrations, and its own {@code tenant} limit and {@code maxConcurrentSyncs}. A limit is
 * {@code {"requests": n, "windowSeconds": s}} (window default 60). Parsing checks everything and names
 * the field at fault.
 */
public record Overrides(Limit integration, Map<Operation, Limit> operations, Limit tenant, Integer maxConcurrentSyncs) {

    public static final Overrides NONE = new Overrides(null, Map.of(), null, null);
    private static final Set<String> FIELDS = Set.of("integration", "operations", "tenant", "maxConcurrentSyncs");
    private static final Set<String> TENANT_ONLY = Set.of("tenant", "maxConcurrentSyncs");
    private static final Set<String> LIMIT_FIELDS = Set.of("requests", "windowSeconds");
    /** Faster than any provider allows: a limit above it is a typo, not a budget. */
    private static final long MAX_PER_SECOND = 1000;

    public Overrides {
        operations = operations == null ? Map.of() : Map.copyOf(operations);
    }

    /**
     * Parses a request body (or a stored document) of an integration's or, with {@code tenantScope}, a
     * tenant's overrides; {@code concurrencyCap} bounds maxConcurrentSyncs.
     */
    public static Overrides parse(JsonNode body, boolean tenantScope, int concurrencyCap) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException(null,
                    "body must be a JSON object with any of " + String.join(", ", FIELDS.stream().sorted().toList()));
        }
        unknownFields(body, FIELDS, "");
        if (!tenantScope) {
            for (String field : TENANT_ONLY) {
                if (body.has(field)) {
                    throw new InvalidInputException(field, "a tenant's setting: set it at /api/tenant/rate-limits");
                }
            }
        }
        Limit integration = limit("integration", body.get("integration"));
        Map<Operation, Limit> operations = new EnumMap<>(Operation.class);
        JsonNode ops = body.get("operations");
        if (ops != null && !ops.isNull()) {
            if (!ops.isObject()) {
                throw new InvalidInputException("operations", "must be an object of fetch, create, update, delete limits");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = ops.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Operation op = Operation.of(e.getKey()).orElseThrow(() -> new InvalidInputException("operations." + e.getKey(),
                        "unknown operation; one of fetch, create, update, delete"));
                Limit limit = limit("operations." + e.getKey(), e.getValue());
                if (limit != null) {
                    operations.put(op, limit);
                }
            }
        }
        Limit tenant = limit("tenant", body.get("tenant"));
        Integer concurrency = null;
        JsonNode c = body.get("maxConcurrentSyncs");
        if (c != null && !c.isNull()) {
            if (!c.canConvertToInt() || !c.isIntegralNumber() || c.asInt() < 1 || c.asInt() > concurrencyCap) {
                throw new InvalidInputException("maxConcurrentSyncs", "must be a whole number between 1 and " + concurrencyCap);
            }
            concurrency = c.asInt();
        }
        return new Overrides(integration, operations, tenant, concurrency);
    }

    private static Limit limit(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidInputException(field, "must be an object {\"requests\": n, \"windowSeconds\": s}");
        }
        unknownFields(node, LIMIT_FIELDS, field + ".");
        long requests = whole(field + ".requests", node.get("requests"), true, 60);
        long window = whole(field + ".windowSeconds", node.get("windowSeconds"), false, 60);
        if (requests < 1 || requests > Limit.MAX_REQUESTS) {
            throw new InvalidInputException(field + ".requests", "must be between 1 and " + Limit.MAX_REQUESTS);
        }
        if (window < Limit.MIN_WINDOW.toSeconds() || window > Limit.MAX_WINDOW.toSeconds()) {
            throw new InvalidInputException(field + ".windowSeconds", "must be between 1 and " + Limit.MAX_WINDOW.toSeconds());
        }
        if (requests > MAX_PER_SECOND * window) {
            throw new InvalidInputException(field, "more than " + MAX_PER_SECOND + " requests per second is not a provider limit");
        }
        return new Limit(requests, Duration.ofSeconds(window));
    }

    private static long whole(String field, JsonNode node, boolean required, long defaultValue) {
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidInputException(field, "required");
            }
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidInputException(field, "must be a whole number");
        }
        return node.asLong();
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new InvalidInputException(prefix + name, "unknown field");
            }
        });
    }

    /** The overrides as stored and shown: only what is set. */
    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (integration != null) {
            doc.put("integration", document(integration));
        }
        if (!operations.isEmpty()) {
            Map<String, Object> ops = new LinkedHashMap<>();
            operations.forEach((op, limit) -> ops.put(op.key(), document(limit)));
            doc.put("operations", ops);
        }
        if (tenant != null) {
            doc.put("tenant", document(tenant));
        }
        if (maxConcurrentSyncs != null) {
            doc.put("maxConcurrentSyncs", maxConcurrentSyncs);
        }
        return doc;
    }

    static Map<String, Object> document(Limit limit) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("requests", limit.requests());
        doc.put("windowSeconds", limit.window().toSeconds());
        return doc;
    }
}
