package processors.outgoing;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import hub.ConflictingStateException;
import hub.Ids;
import hub.InvalidInputException;
import hub.NotFoundException;
import hub.ShardTypes;
import processors.events.EventCatalog;
import security.InvalidCredentialsException;
import security.OutboundGuard;
import store.AuditLog;
import store.OutgoingEndpoint;
import store.OutgoingWebhookStore;
import store.Timestamps;

/**
 * A tenant's outgoing webhook endpoints: created with a signing secret the hub generates (answered once), changed,
 * enabled again, deleted, their secret rotated, their messages replayed. Every URL passes the outbound guard: https and
 * public addresses, or plain http to a host listed in {@code hub.outbound.allowed-hosts}.
 */
@Component
public class OutgoingEndpoints {

    static final int MAX_URL = 2048;
    static final int MAX_DESCRIPTION = 500;

    /** What a tenant sends to create (every field but description required) or change (null: unchanged) an endpoint. */
    public record Request(String url, List<String> eventTypes, List<String> shardTypes, String description, Boolean enabled) {
    }

    /** A new endpoint and its secret, shown this once. */
    public record Created(OutgoingEndpoint endpoint, String secret) {
    }

    private final OutgoingWebhookStore store;
    private final SigningSecrets secrets;
    private final EventCatalog catalog;
    private final OutboundGuard guard;
    private final AuditLog audit;

    public OutgoingEndpoints(OutgoingWebhookStore store, SigningSecrets secrets, EventCatalog catalog, OutboundGuard guard, AuditLog audit) {
        this.store = store;
        this.secrets = secrets;
        this.catalog = catalog;
        this.guard = guard;
        this.audit = audit;
    }

    @Transactional
    public Created create(String tenantId, String actor, Request request) {
        if (request == null) {
            throw new InvalidInputException("url", "required");
        }
        String id = Ids.newId();
        OffsetDateTime now = Timestamps.now();
        String secretName = SigningSecrets.nameOf(tenantId, id);
        OutgoingEndpoint endpoint = new OutgoingEndpoint(id, tenantId, checkedUrl(request.url()), description(request.description()),
                EventTypePatterns.checked("eventTypes", request.eventTypes(), catalog), shardTypes(request.shardTypes()),
                OutgoingEndpoint.Status.ENABLED, null, null, null, secretName, 1, null, now, now);
        store.insert(endpoint);
        String secret = secrets.generate(tenantId, secretName, actor);
        audit.record(tenantId, actor, "webhook_endpoint.create", "webhook_endpoint", id, endpoint.url());
        return new Created(endpoint, secret);
    }

    @Transactional
    public OutgoingEndpoint update(String tenantId, String actor, String id, Request request) {
        OutgoingEndpoint current = find(tenantId, id);
        if (request == null) {
            return current;
        }
        OutgoingEndpoint changed = new OutgoingEndpoint(id, tenantId, request.url() == null ? current.url() : checkedUrl(request.url()),
                request.description() == null ? current.description() : description(request.description()),
                request.eventTypes() == null ? current.eventTypes() : EventTypePatterns.checked("eventTypes", request.eventTypes(), catalog),
                request.shardTypes() == null ? current.shardTypes() : shardTypes(request.shardTypes()), current.status(),
                current.disabledReason(), current.disabledAt(), current.failingSince(), current.secretName(), current.secretVersion(),
                current.previousSecretUntil(), current.createdAt(), current.updatedAt());
        store.update(changed);
        if (Boolean.TRUE.equals(request.enabled()) && !current.enabled()) {
            store.enable(tenantId, id);
        } else if (Boolean.FALSE.equals(request.enabled()) && current.enabled()) {
            store.disable(id, "disabled by the tenant", Timestamps.now());
        }
        audit.record(tenantId, actor, "webhook_endpoint.update", "webhook_endpoint", id, changed.url());
        return find(tenantId, id);
    }

    @Transactional
    public void delete(String tenantId, String actor, String id) {
        OutgoingEndpoint endpoint = find(tenantId, id);
        store.delete(tenantId, id);
        secrets.delete(endpoint, actor);
        audit.record(tenantId, actor, "webhook_endpoint.delete", "webhook_endpoint", id, endpoint.url());
    }

    @Transactional
    public SigningSecrets.Rotation rotate(String tenantId, String actor, String id) {
        return secrets.rotate(find(tenantId, id), actor);
    }

    /**
     * Sends again one message ({@code messageId}) or every failed one created since {@code since}, each with a fresh
     * retry schedule and its own webhook-id; returns how many. An unknown message is a 404; a disabled endpoint a 409.
     */
    @Transactional
    public int replay(String tenantId, String actor, String id, String messageId, OffsetDateTime since) {
        OutgoingEndpoint endpoint = find(tenantId, id);
        if ((messageId == null) == (since == null)) {
            throw new InvalidInputException("messageId", "give messageId (one message) or since (every failed message since then), not both");
        }
        if (!endpoint.enabled()) {
            throw new ConflictingStateException("the endpoint is disabled: enable it (PATCH {\"enabled\": true}) before a replay");
        }
        int count;
        if (messageId != null) {
            if (!store.replay(tenantId, id, messageId, Timestamps.now())) {
                throw NotFoundException.of("message " + messageId);
            }
            count = 1;
        } else {
            count = store.replayFailedSince(tenantId, id, since, Timestamps.now());
        }
        audit.record(tenantId, actor, "webhook_endpoint.replay", "webhook_endpoint", id, messageId != null ? messageId : "failed since " + since);
        return count;
    }

    public OutgoingEndpoint find(String tenantId, String id) {
        return store.find(tenantId, id).orElseThrow(() -> NotFoundException.of("webhook endpoint"));
    }

    /** An absolute http(s) URL the guard allows: https with public addresses, or http to a listed host. */
    String checkedUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("url", "required");
        }
        if (url.length() > MAX_URL) {
            throw new InvalidInputException("url", "at most " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("url", "not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            throw new InvalidInputException("url", "must be an absolute https URL with a host, no user info and no fragment");
        }
        if (scheme.equals("http") && !guard.listed(uri)) {
            throw new InvalidInputException("url", "must be https (plain http only to hosts listed in hub.outbound.allowed-hosts)");
        }
        try {
            guard.checkField("url", uri.toString());
        } catch (InvalidCredentialsException e) {
            throw new InvalidInputException("url", e.getMessage());
        }
        return uri.toString();
    }

    private static String description(String description) {
        if (description == null) {
            return null;
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw new InvalidInputException("description", "at most " + MAX_DESCRIPTION + " characters");
        }
        return description.isBlank() ? null : description.trim();
    }

    /** The shard types an endpoint filters on; empty: every type (null). */
    private static List<String> shardTypes(List<String> shardTypes) {
        if (shardTypes == null || shardTypes.isEmpty()) {
            return null;
        }
        List<String> checked = new ArrayList<>();
        for (String type : shardTypes) {
            if (type == null || !ShardTypes.ALL.contains(type)) {
                throw new InvalidInputException("shardTypes", "unknown shard type " + type + "; known: " + String.join(", ", ShardTypes.ALL));
            }
            if (!checked.contains(type)) {
                checked.add(type);
            }
        }
        return checked;
    }
}
