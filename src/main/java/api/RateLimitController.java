package api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import hub.JsonText;
import providers.AdapterRegistry;
import providers.ConnectionContext;
import ratelimits.Limit;
import ratelimits.Overrides;
import ratelimits.ProviderGate;
import ratelimits.RateLimitSettings;
import security.Caller;
import store.AuditLog;
import store.CheckpointStore;
import store.Integration;
import store.IntegrationStore;
import store.OutboxStore;
import store.RateLimitOverrideStore;
import store.SyncExecutionStore;

/**
 * An integration's provider protection: {@code GET} the limits that apply (with where each comes from,
 * what the adaptive multiplier leaves of it and what its bucket holds now), calls let through and
 * throttled in the window on this instance, the provider's last reported budget, any pause it asked
 * for, the circuit, queued work and the tenant's concurrent syncs; {@code PUT} the integration's
 * overrides ({@code integration} and {@code operations}; the body replaces them); {@code POST .../reset}
 * starts the integration's buckets, multiplier, pause and circuit afresh. The tenant's own settings
 * are at {@link TenantRateLimitController}.
 */
@RestController
@RequestMapping("/api/tenant/integrations/{id}/rate-limits")
public class RateLimitController {

    private final IntegrationStore integrations;
    private final AdapterRegistry adapters;
    private final ProviderGate gate;
    private final RateLimitOverrideStore overrides;
    private final RateLimitSettings settings;
    private final SyncExecutionStore executions;
    private final OutboxStore outbox;
    private final CheckpointStore checkpoints;
    private final AuditLog audit;
    private final ObjectMapper json;

    public RateLimitController(IntegrationStore integrations, AdapterRegistry adapters, ProviderGate gate, RateLimitOverrideStore overrides,
                               RateLimitSettings settings, SyncExecutionStore executions, OutboxStore outbox, CheckpointStore checkpoints,
                               AuditLog audit, ObjectMapper json) {
        this.integrations = integrations;
        this.adapters = adapters;
        this.gate = gate;
        this.overrides = overrides;
        this.settings = settings;
        this.executions = executions;
        this.outbox = outbox;
        this.checkpoints = checkpoints;
        this.audit = audit;
        this.json = json;
    }

    @GetMapping
    public Map<String, Object> get(Caller caller, @PathVariable String id) {
        Integration integration = find(caller, id);
        ProviderGate.Status status = gate.status(context(integration), providerDefault(integration));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("integrationId", integration.id());
        view.put("providerId", integration.providerId());
        view.put("limits", status.limits().stream().map(RateLimitController::limitView).toList());
        view.put("multiplier", status.multiplier());
        if (status.lastSignal() != null) {
            Map<String, Object> signal = new LinkedHashMap<>();
            signal.put("limit", status.lastSignal().limit());
            signal.put("remaining", status.lastSignal().remaining());
            signal.put("resetAt", status.lastSignal().resetAt());
            signal.put("at", status.signalAt());
            view.put("providerBudget", signal);
        }
        view.put("pausedUntil", status.pausedUntil());
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("allowed", status.allowedInWindow());
        window.put("throttled", status.throttledInWindow());
        view.put("usageInWindow", window);
        view.put("circuit", status.circuit());
        Map<String, Object> queued = new LinkedHashMap<>();
        queued.put("syncs", executions.countPending(integration.id()));
        queued.put("writeBacks", outbox.countOpen(integration.id()));
        view.put("queued", queued);
        Map<String, Object> concurrency = new LinkedHashMap<>();
        concurrency.put("maxConcurrentSyncs", gate.maxConcurrentSyncs(integration.tenantId()));
        concurrency.put("running", checkpoints.countRunning(integration.tenantId(), "", ""));
        view.put("tenantSyncs", concurrency);
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("integration", status.overrides().integration().document());
        set.put("tenant", status.overrides().tenant().document());
        view.put("overrides", set);
        return view;
    }

    @PutMapping
    public Map<String, Object> put(Caller caller, @PathVariable String id, @RequestBody JsonNode body) {
        Integration integration = find(caller, id);
        Map<String, Object> document = Overrides.parse(body, false, settings.maxConcurrentSyncsCap()).document();
        overrides.saveIntegration(caller.tenantId(), integration.id(), document.isEmpty() ? null : JsonText.write(json, document));
        gate.overridesChanged(caller.tenantId(), integration.id());
        audit.record(caller.tenantId(), caller.actor(), "integration.rate_limits", "integration", id, body.toString());
        return get(caller, id);
    }

    @PostMapping("/reset")
    public Map<String, Object> reset(Caller caller, @PathVariable String id) {
        Integration integration = find(caller, id);
        gate.reset(context(integration), providerDefault(integration));
        audit.record(caller.tenantId(), caller.actor(), "integration.rate_limits_reset", "integration", id, null);
        return get(caller, id);
    }

    static Map<String, Object> limitView(ProviderGate.AppliedLimit l) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("level", l.level().name().toLowerCase());
        if (l.operation() != null) {
            view.put("operation", l.operation().key());
        }
        view.put("requests", l.limit().requests());
        view.put("windowSeconds", l.limit().window().toSeconds());
        view.put("source", l.source());
        view.put("effectiveRequests", l.effectiveRequests());
        view.put("availableNow", Math.floor(l.available() * 100) / 100);
        return view;
    }

    private Limit providerDefault(Integration integration) {
        return Limit.providerDefault(adapters.get(integration.providerId()).descriptor());
    }

    private static ConnectionContext context(Integration integration) {
        return new ConnectionContext(integration.tenantId(), integration.id(), integration.providerId(), Map.of());
    }

    private Integration find(Caller caller, String id) {
        return integrations.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("integration"));
    }
}
