package api;

import java.time.OffsetDateTime;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import hub.Ids;
import messaging.DeadLetters;
import security.ApiKeys;
import security.Caller;
import store.ApiKeyStore;
import store.AuditLog;
import store.Cursor;
import store.DeadLetter;
import store.DeadLetterStore;
import store.Page;
import store.TenantStore.Tenant;
import store.TenantStore;

/** Administration: tenants and their API keys, dead letters (admin key only). */
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

    private final DeadLetterStore deadLetterStore;
    private final DeadLetters deadLetters;

    public AdminController(TenantStore tenants, ApiKeyStore keys, AuditLog audit, DeadLetterStore deadLetterStore, DeadLetters deadLetters) {
        this.tenants = tenants;
        this.keys = keys;
        this.audit = audit;
        this.deadLetterStore = deadLetterStore;
        this.deadLetters = deadLetters;
    }

    /**
     * The audit trail, newest first: every read and write of a secret (action {@code secret.read},
     * {@code secret.write}, {@code secret.delete}; filter with {@code action=secret.}), connections,
     * shard writes, conflict resolutions, dead-letter handling; who, what, when and why.
     */
    @GetMapping("/audit")
    public Page<AuditLog.Entry> audit(@RequestParam(required = false) String tenantId, @RequestParam(required = false) String action,
                                      @RequestParam(required = false) String targetType, @RequestParam(required = false) String targetId,
                                      @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        return audit.list(tenantId, action, targetType, targetId, Cursor.decode(cursor), Cursor.limit(limit, 100, 1000));
    }

    /** Work that failed for good, newest first: origin, failed step, reason, attempts and the original message. */
    @GetMapping("/deadletters")
    public Page<DeadLetter> deadLetters(@RequestParam(required = false) String tenantId, @RequestParam(required = false) Integer limit,
                                        @RequestParam(required = false) String cursor) {
        return deadLetterStore.list(tenantId, Cursor.decode(cursor), Cursor.limit(limit, 50, 500));
    }

    /** Puts the message back on the queue it came from (202: the work is queued again). */
    @PostMapping("/deadletters/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public DeadLetter replay(Caller caller, @PathVariable String id) {
        DeadLetter letter = deadLetterStore.find(id).orElseThrow(() -> ApiException.notFound("dead letter"));
        deadLetters.replay(letter);
        audit.record(letter.tenantId(), caller.actor(), "deadletter.replay", "deadletter", id, letter.sourceQueue());
        return deadLetterStore.find(id).orElseThrow();
    }

    @DeleteMapping("/deadletters/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteDeadLetter(Caller caller, @PathVariable String id) {
        DeadLetter letter = deadLetterStore.find(id).orElseThrow(() -> ApiException.notFound("dead letter"));
        deadLetterStore.delete(id);
        audit.record(letter.tenantId(), caller.actor(), "deadletter.delete", "deadletter", id, letter.sourceQueue());
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
