package api;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import connections.Connections;
import processors.sync.TaskSchedules;
import providers.ConnectionTestResult;
import security.Caller;
import store.AuditLog;
import store.Connection;
import store.ConnectionStore;
import store.Cursor;
import store.Integration;
import store.IntegrationStore;
import store.Page;

/** A tenant's integrations and their connections. Every lookup is scoped to the caller's tenant. */
@RestController
@RequestMapping("/api/tenant/integrations")
public class IntegrationController {

    private static final Set<String> PATCHABLE = Set.of("name", "syncEnabled", "syncDirection", "syncFrequency", "conflictResolution",
            "maxRecordsPerSync", "pullFilters", "entityMappings", "fieldMappings", "writeBack", "sources", "providerId");

    /**
     * {@code type}: the credential type (one the provider takes; default its first), {@code credentials}: its fields,
     * {@code rotation}: optional policy, {@code {"maxAgeDays": 90, "warnBeforeDays": 14}}.
     */
    public record ConnectRequest(String type, Map<String, Object> credentials, RotationRequest rotation) {
    }

    public record RotationRequest(Integer maxAgeDays, Integer warnBeforeDays) {
    }

    public record ConnectionResult(boolean ok, String message, Connection connection) {
    }

    private final IntegrationStore integrations;
    private final ConnectionStore connectionStore;
    private final IntegrationSettings settings;
    private final Connections connections;
    private final TaskSchedules schedules;
    private final AuditLog audit;
    private final ObjectMapper json;

    public IntegrationController(IntegrationStore integrations, ConnectionStore connectionStore, IntegrationSettings settings,
                                 Connections connections, TaskSchedules schedules, AuditLog audit, ObjectMapper json) {
        this.integrations = integrations;
        this.connectionStore = connectionStore;
        this.settings = settings;
        this.connections = connections;
        this.schedules = schedules;
        this.audit = audit;
        this.json = json;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public IntegrationView create(Caller caller, @RequestBody IntegrationRequest request) {
        Integration integration = settings.create(caller.tenantId(), request);
        integrations.insert(integration);
        audit.record(caller.tenantId(), caller.actor(), "integration.create", "integration", integration.id(), integration.providerId());
        return IntegrationView.of(integration);
    }

    @GetMapping
    public Page<IntegrationView> list(Caller caller, @RequestParam(required = false) Integer limit,
                                      @RequestParam(required = false) String cursor) {
        Page<Integration> page = integrations.list(caller.tenantId(), Cursor.decode(cursor), Cursor.limit(limit, 50, 500));
        return new Page<>(page.items().stream().map(IntegrationView::of).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    public IntegrationView get(Caller caller, @PathVariable String id) {
        return IntegrationView.of(find(caller, id));
    }

    @PatchMapping("/{id}")
    public IntegrationView patch(Caller caller, @PathVariable String id, @RequestBody JsonNode patch) {
        if (!patch.isObject()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "body must be a JSON object of the settings to change");
        }
        Integration current = find(caller, id);
        ObjectNode merged = json.valueToTree(IntegrationSettings.asRequest(current));
        patch.fields().forEachRemaining(change -> {
            if (!PATCHABLE.contains(change.getKey())) {
                throw ApiException.badRequest(change.getKey(), "unknown field");
            }
            merged.set(change.getKey(), change.getValue());
        });
        IntegrationRequest request;
        try {
            request = json.treeToValue(merged, IntegrationRequest.class);
        } catch (JsonProcessingException e) {
            throw ApiErrors.unreadable(e);
        }
        Integration updated = settings.update(current, request);
        if (!updated.settings().sources().equals(current.settings().sources())) {
            connections.checkSources(updated);
        }
        integrations.update(updated);
        schedules.rescheduleAll(updated);
        audit.record(caller.tenantId(), caller.actor(), "integration.update", "integration", id, String.join(",", iterable(patch)));
        return IntegrationView.of(find(caller, id));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
        Integration integration = find(caller, id);
        connections.close(integration);
        integrations.delete(caller.tenantId(), id);
        audit.record(caller.tenantId(), caller.actor(), "integration.delete", "integration", id, null);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/connect/api-key")
    public ConnectionResult connect(Caller caller, @PathVariable String id, @RequestBody ConnectRequest request) {
        Integration integration = find(caller, id);
        ConnectionTestResult result = connections.connect(caller, integration, request.type(), request.credentials(), rotation(request.rotation()));
        return new ConnectionResult(result.ok(), result.message(), connectionStore.find(id).orElseThrow());
    }

    @PostMapping("/{id}/disconnect")
    public Connection disconnect(Caller caller, @PathVariable String id) {
        Integration integration = find(caller, id);
        connections.disconnect(caller, integration);
        return connectionStore.find(id).orElseThrow();
    }

    @GetMapping("/{id}/connection")
    public Connection connection(Caller caller, @PathVariable String id) {
        find(caller, id);
        return connectionStore.find(id).orElseThrow(() -> ApiException.notFound("connection"));
    }

    @PostMapping("/{id}/connection/test")
    public ConnectionResult test(Caller caller, @PathVariable String id) {
        Integration integration = find(caller, id);
        ConnectionTestResult result = connections.test(caller, integration);
        return new ConnectionResult(result.ok(), result.message(), connectionStore.find(id).orElseThrow());
    }

    private Integration find(Caller caller, String id) {
        return integrations.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("integration"));
    }

    private static Iterable<String> iterable(JsonNode node) {
        return node::fieldNames;
    }

    private static ConnectionStore.Rotation rotation(RotationRequest r) {
        if (r == null) {
            return null;
        }
        if (r.maxAgeDays() == null || r.maxAgeDays() < 1 || r.maxAgeDays() > 3650) {
            throw ApiException.badRequest("rotation.maxAgeDays", "must be between 1 and 3650 days");
        }
        int warn = r.warnBeforeDays() == null ? 0 : r.warnBeforeDays();
        if (warn < 0 || warn > r.maxAgeDays()) {
            throw ApiException.badRequest("rotation.warnBeforeDays", "must be between 0 and maxAgeDays");
        }
        return new ConnectionStore.Rotation(r.maxAgeDays(), warn);
    }
}
