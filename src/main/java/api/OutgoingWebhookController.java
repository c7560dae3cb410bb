package api;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.springframework.web.bind.annotation.RestController;

import processors.outgoing.OutgoingEndpoints;
import processors.outgoing.SigningSecrets;
import security.Caller;
import store.Cursor;
import store.OutgoingAttempt;
import store.OutgoingEndpoint;
import store.OutgoingMessage;
import store.OutgoingWebhookStore;
import store.Page;

/**
 * The caller's tenant's outgoing webhook endpoints (Standard Webhooks): listed, created (the answer carries the signing
 * secret, the only time it is shown), read, changed ({@code enabled: true} enables a disabled one), deleted; the secret
 * rotated (the replaced one signs too for 24 hours); the endpoint's messages and attempts read; messages replayed.
 */
@RestController
@RequestMapping("/api/tenant/webhook-endpoints")
public class OutgoingWebhookController {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** A replay: one message by its id, or every failed message created since a time. */
    public record ReplayRequest(String messageId, OffsetDateTime since) {
    }

    private final OutgoingEndpoints endpoints;
    private final OutgoingWebhookStore store;
    private final ObjectMapper json;

    public OutgoingWebhookController(OutgoingEndpoints endpoints, OutgoingWebhookStore store, ObjectMapper json) {
        this.endpoints = endpoints;
        this.store = store;
        this.json = json;
    }

    @GetMapping
    public Page<OutgoingEndpoint> list(Caller caller, @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        return store.list(caller.tenantId(), Cursor.decode(cursor), Cursor.limit(limit, 50, 500));
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> create(Caller caller, @RequestBody(required = false) OutgoingEndpoints.Request request) {
        OutgoingEndpoints.Created created = endpoints.create(caller.tenantId(), caller.actor(), request);
        Map<String, Object> view = new LinkedHashMap<>(json.convertValue(created.endpoint(), MAP));
        view.put("secret", created.secret());
        return ResponseEntity.status(HttpStatus.CREATED).body(view);
    }

    @GetMapping("/{id}")
    public OutgoingEndpoint get(Caller caller, @PathVariable String id) {
        return endpoints.find(caller.tenantId(), id);
    }

    @PatchMapping("/{id}")
    public OutgoingEndpoint update(Caller caller, @PathVariable String id, @RequestBody(required = false) OutgoingEndpoints.Request request) {
        return endpoints.update(caller.tenantId(), caller.actor(), id, request);
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
        endpoints.delete(caller.tenantId(), caller.actor(), id);
        return ResponseEntity.noContent().build();
    }

    /** A new secret, shown this once: {@code {"secret", "previousSecretValidUntil"}}. */
    @PostMapping("/{id}/rotate-secret")
    public Map<String, Object> rotate(Caller caller, @PathVariable String id) {
        SigningSecrets.Rotation rotation = endpoints.rotate(caller.tenantId(), caller.actor(), id);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("secret", rotation.secret());
        view.put("previousSecretValidUntil", rotation.previousSecretUntil());
        return view;
    }

    @GetMapping("/{id}/messages")
    public Page<OutgoingMessage> messages(Caller caller, @PathVariable String id, @RequestParam(required = false) String status,
                                          @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        endpoints.find(caller.tenantId(), id);
        return store.messages(caller.tenantId(), id, Validation.status("status", status, OutgoingMessage.Status.class), Cursor.decode(cursor),
                Cursor.limit(limit, 50, 500));
    }

    @GetMapping("/{id}/messages/{messageId}")
    public OutgoingMessage message(Caller caller, @PathVariable String id, @PathVariable String messageId) {
        return store.findMessage(caller.tenantId(), id, messageId).orElseThrow(() -> ApiException.notFound("message"));
    }

    /** The endpoint's attempts, newest first ({@code messageId}: of one message). */
    @GetMapping("/{id}/attempts")
    public Page<OutgoingAttempt> attempts(Caller caller, @PathVariable String id, @RequestParam(required = false) String messageId,
                                          @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        endpoints.find(caller.tenantId(), id);
        return store.attempts(caller.tenantId(), id, messageId, Cursor.decode(cursor), Cursor.limit(limit, 50, 500));
    }

    /** Sends again one message or every failed one since a time: {@code {"replayed": n}}, 202. */
    @PostMapping("/{id}/replay")
    public ResponseEntity<Map<String, Object>> replay(Caller caller, @PathVariable String id, @RequestBody(required = false) ReplayRequest request) {
        ReplayRequest given = request == null ? new ReplayRequest(null, null) : request;
        int replayed = endpoints.replay(caller.tenantId(), caller.actor(), id, given.messageId(), given.since());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("replayed", replayed));
    }
}
