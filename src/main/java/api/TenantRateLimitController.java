package api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import hub.JsonText;
import ratelimits.Overrides;
import ratelimits.ProviderGate;
import ratelimits.RateLimitSettings;
import security.Caller;
import store.AuditLog;
import store.CheckpointStore;
import store.RateLimitOverrideStore;

/**
 * The caller's tenant's provider protection: {@code GET} its own limit (shared by all its
 * integrations), its concurrent syncs and its overrides; {@code PUT} them: {@code tenant},
 * {@code maxConcurrentSyncs}, and {@code integration} / {@code operations} as defaults for every
 * integration of the tenant without its own (the body replaces the tenant's overrides).
 */
@RestController
@RequestMapping("/api/tenant/rate-limits")
public class TenantRateLimitController {

    private final ProviderGate gate;
    private final RateLimitOverrideStore overrides;
    private final RateLimitSettings settings;
    private final CheckpointStore checkpoints;
    private final AuditLog audit;
    private final ObjectMapper json;

    public TenantRateLimitController(ProviderGate gate, RateLimitOverrideStore overrides, RateLimitSettings settings,
                                     CheckpointStore checkpoints, AuditLog audit, ObjectMapper json) {
        this.gate = gate;
        this.overrides = overrides;
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.audit = audit;
        this.json = json;
    }

    @GetMapping
    public Map<String, Object> get(Caller caller) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("tenantId", caller.tenantId());
        view.put("tenant", RateLimitController.limitView(gate.tenantStatus(caller.tenantId())));
        Map<String, Object> syncs = new LinkedHashMap<>();
        syncs.put("maxConcurrentSyncs", gate.maxConcurrentSyncs(caller.tenantId()));
        syncs.put("cap", settings.maxConcurrentSyncsCap());
        syncs.put("running", checkpoints.countRunning(caller.tenantId(), "", ""));
        view.put("syncs", syncs);
        view.put("overrides", gate.tenantOverrides(caller.tenantId()).document());
        return view;
    }

    @PutMapping
    public Map<String, Object> put(Caller caller, @RequestBody JsonNode body) {
        Map<String, Object> document = Overrides.parse(body, true, settings.maxConcurrentSyncsCap()).document();
        overrides.saveTenant(caller.tenantId(), document.isEmpty() ? null : JsonText.write(json, document));
        gate.overridesChanged(caller.tenantId(), null);
        audit.record(caller.tenantId(), caller.actor(), "tenant.rate_limits", "tenant", caller.tenantId(), body.toString());
        return get(caller);
    }
}
