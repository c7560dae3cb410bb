package api;

import java.time.OffsetDateTime;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import hub.ApiException;
import hub.Ids;
import security.ApiKeys;
import security.Caller;
import store.ApiKeyStore;
import store.AuditLog;
import store.TenantStore;
import store.TenantStore.Tenant;

/** Administration: tenants and their API keys (admin key only). */
@RestController
@RequestMapping("/api/admin")
public class AdminController {

    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    record TenantRequest(String id, String name) {
    }

    record ApiKeyRequest(String name) {
    }

    /** The key appears in this response only; the hub keeps its hash. */
    record ApiKeyCreated(String id, String tenantId, String key, String prefix, String name, OffsetDateTime createdAt) {
    }

    private final TenantStore tenants;
    private final ApiKeyStore keys;
    private final AuditLog audit;

    public AdminController(TenantStore tenants, ApiKeyStore keys, AuditLog audit) {
        this.tenants = tenants;
        this.keys = keys;
        this.audit = audit;
    }

    @PostMapping("/tenants")
    @ResponseStatus(HttpStatus.CREATED)
    public Tenant createTenant(Caller caller, @RequestBody TenantRequest request) {
        String name = Validation.requiredText("name", request.name(), 200);
        String id = request.id() == null ? Ids.newId() : request.id();
        if (!TENANT_ID.matcher(id).matches()) {
            throw ApiException.badRequest("id", "lowercase letters, digits and dashes, at most 64");
        }
        if (tenants.find(id).isPresent()) {
            throw new ApiException(HttpStatus.CONFLICT, "tenant " + id + " already exists", "id");
        }
        Tenant tenant = tenants.create(id, name);
        audit.record(id, caller.actor(), "tenant.create", "tenant", id, null);
        return tenant;
    }

    @PostMapping("/tenants/{tenantId}/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    public ApiKeyCreated createApiKey(Caller caller, @PathVariable String tenantId, @RequestBody(required = false) ApiKeyRequest request) {
        tenants.find(tenantId).orElseThrow(() -> ApiException.notFound("tenant"));
        String name = request == null || request.name() == null ? null : Validation.requiredText("name", request.name(), 200);
        String key = ApiKeys.newTenantKey();
        String prefix = ApiKeys.displayPrefix(key);
        String id = keys.insert(tenantId, ApiKeys.hash(key), prefix, name);
        audit.record(tenantId, caller.actor(), "api-key.create", "api-key", id, prefix);
        return new ApiKeyCreated(id, tenantId, key, prefix, name, store.Timestamps.now());
    }
}
