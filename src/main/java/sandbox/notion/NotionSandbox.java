package sandbox.notion;

import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import sandbox.kit.AccessTokens;
import sandbox.kit.CallAdmission;
import sandbox.kit.Hmac;
import sandbox.kit.IssuedTokens;
import sandbox.kit.Population;
import sandbox.kit.TokenText;
import sandbox.kit.WebhookSender;
import sandbox.kit.Workspaces;

/**
 * The Notion sandbox's state: its workspaces (the default one behind the internal integration token
 * {@code secret_sandbox}, named ones behind {@code secret_sandbox-<name>} or an OAuth login naming them), the public
 * integration's OAuth tokens (access tokens that stop working after {@code access-token-ttl}; refresh tokens that
 * rotate: each works once), and each workspace's webhook subscription with its delivery queue on the kit's
 * {@link WebhookSender}.
 */
final class NotionSandbox implements NotionWorkspace.Listener {

    static final String CLIENT_ID = "sandbox-client";
    static final String CLIENT_SECRET = "sandbox-secret";
    static final String DEFAULT_TOKEN = "secret_sandbox";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern NAMED_TOKEN = Pattern.compile("secret_sandbox-(" + NAME.pattern() + ")");
    private static final Workspaces.Naming NAMING = new Workspaces.Naming("Notion sandbox", "workspace", "hub.sandbox.notion");

    /** A workspace's webhook subscription (the integration's Webhooks tab): where events go and the token signing them. */
    static final class Subscription {
        final String id = UUID.randomUUID().toString();
        final URI url;
        final String verificationToken = "secret_" + TokenText.urlSafe(32);
        final List<String> eventTypes;
        volatile boolean verified;
        WebhookSender.Queue<Map<String, Object>> events;
        WebhookSender.Queue<Map<String, Object>> handshake;

        Subscription(URI url, List<String> eventTypes) {
            this.url = url;
            this.eventTypes = eventTypes;
        }

        boolean wants(String type) {
            return eventTypes.isEmpty() || eventTypes.contains(type);
        }
    }

    final NotionSandboxProperties properties;
    private final Clock clock;
    private final Population population;
    private final Workspaces<NotionWorkspace> workspaces;
    private final AccessTokens tokens;
    private final WebhookSender sender;
    private final Map<NotionWorkspace, Subscription> subscriptions = java.util.Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<NotionWorkspace, Duration> tokenTtls = java.util.Collections.synchronizedMap(new WeakHashMap<>());

    NotionSandbox(NotionSandboxProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.population = new Population(properties.seed(), Population.DEFAULT_SHARED_SHARE);
        this.workspaces = new Workspaces<>(NAMING, new Workspaces.Limits(properties.maxWorkspaces(), properties.maxWorkspacesPerClient(),
                properties.workspaceIdleAfter()), clock, name -> create(name, properties.companies(), properties.notes()),
                Workspaces.Refusal.withHint("use a workspace that exists or the default one (" + DEFAULT_TOKEN + ")"));
        this.tokens = new AccessTokens(clock);
        this.sender = new WebhookSender("sandbox-notion-webhooks", 2, new WebhookSender.Policy(Duration.ofMillis(50), 1, 50_000,
                properties.webhookRetryInitial(), properties.webhookRetryMax(), properties.webhookMaxAttempts(), Duration.ofHours(24),
                properties.webhookTimeout(), properties.webhookAllowedHosts(), "hub.sandbox.notion.webhook-allowed-hosts"), clock);
    }

    private NotionWorkspace create(String name, int companies, int notes) {
        return new NotionWorkspace(name, properties, companies, notes, population, clock, this);
    }

    /** The workspace an internal integration token stands for ("" for the default), or empty. */
    static Optional<String> nameOfInternalToken(String token) {
        if (DEFAULT_TOKEN.equals(token)) {
            return Optional.of("");
        }
        Matcher named = token == null ? null : NAMED_TOKEN.matcher(token);
        return named != null && named.matches() ? Optional.of(named.group(1)) : Optional.empty();
    }

    /**
     * The caller's workspace from its bearer token: an internal integration token (the workspace made on first use) or
     * a live OAuth access token; 401 {@code unauthorized} otherwise (an expired or revoked OAuth token too).
     */
    NotionWorkspace workspace(String token, String client) {
        NotionWorkspace w = setupWorkspace(token, client);
        if (nameOfInternalToken(token).isPresent() && w.internalTokenRevoked) {
            throw NotionApiException.unauthorized();
        }
        return w;
    }

    /** As {@link #workspace}, for the setup API: an internal token revoked for the API still sets its workspace up. */
    NotionWorkspace setupWorkspace(String token, String client) {
        Optional<String> internal = nameOfInternalToken(token);
        if (internal.isPresent()) {
            try {
                return workspaces.get(internal.get(), client);
            } catch (Workspaces.Full e) {
                throw new NotionApiException(401, "unauthorized", e.getMessage());
            }
        }
        String name = token == null ? null : tokens.workspaceOf(token);
        NotionWorkspace w = name == null ? null : workspaces.find(name);
        if (w == null) {
            throw NotionApiException.unauthorized();
        }
        return w;
    }

    /** The workspace of a login (the authorize page's {@code login_hint}: none or a workspace name). */
    NotionWorkspace login(String hint, String client) {
        String name = hint == null || hint.isBlank() ? "" : hint.trim();
        if (!name.isEmpty() && !NAME.matcher(name).matches()) {
            return null;
        }
        return workspaces.get(name, client);
    }

    /** Admits one API call of the workspace (429 {@code rate_limited} with Retry-After past its window). */
    static void admit(NotionWorkspace w) {
        CallAdmission.Admission admission = w.calls.admit(NotionWorkspace.CALLS);
        if (!admission.allowed()) {
            throw new NotionApiException(429, "rate_limited", "You have been rate limited. Please try again in a few minutes.",
                    Math.max(1, admission.retryAfterSeconds()));
        }
    }

    // ------------------------------------------------------------------ OAuth

    String issueCode(NotionWorkspace w, String redirectUri) {
        return tokens.issueCode(UUID.randomUUID().toString(), w.name, redirectUri, null, null);
    }

    AccessTokens.Code redeemCode(String code) {
        return tokens.redeemCode(code);
    }

    /** A new access and refresh token pair for the workspace. */
    Map<String, String> issuePair(String workspace) {
        NotionWorkspace w = workspaces.find(workspace);
        String refresh = tokens.issueRefresh("nrt_" + TokenText.urlSafe(36), workspace);
        Duration ttl = w == null ? properties.accessTokenTtl() : tokenTtls.getOrDefault(w, properties.accessTokenTtl());
        String access = tokens.issueAccess("ntn_" + TokenText.urlSafe(36), workspace, refresh, ttl);
        return Map.of("access", access, "refresh", refresh);
    }

    /** Takes a refresh token (rotation); the workspace it was for, or null when it is unknown or used. */
    String takeRefresh(String token) {
        return tokens.takeRefresh(token);
    }

    IssuedTokens.Issued<AccessTokens.Access> access(String token) {
        return tokens.access(token);
    }

    void revoke(String token) {
        tokens.revoke(token);
    }

    int expireAccess(NotionWorkspace w) {
        return tokens.expireAccess(w.name);
    }

    void tokenTtl(NotionWorkspace w, Duration ttl) {
        tokenTtls.put(w, ttl);
    }

    Duration tokenTtl(NotionWorkspace w) {
        return tokenTtls.getOrDefault(w, properties.accessTokenTtl());
    }

    NotionWorkspace find(String name) {
        return workspaces.find(name);
    }

    /** The workspace seeded anew (every change dropped), with these sizes. */
    NotionWorkspace reset(NotionWorkspace w, int companies, int notes) {
        Subscription subscription = subscriptions.remove(w);
        NotionWorkspace fresh = workspaces.replace(w.name, old -> create(w.name, companies, notes));
        if (subscription != null) {
            subscriptions.put(fresh, subscription);
        }
        return fresh;
    }

    // ------------------------------------------------------------------ webhooks

    URI destination(String url, int ownPort) {
        return sender.destination(url, ownPort);
    }

    /** A new subscription: Notion posts {@code {"verification_token": ...}} to the URL at once, unsigned. */
    Subscription subscribe(NotionWorkspace w, URI url, List<String> eventTypes) {
        Subscription subscription = new Subscription(url, List.copyOf(eventTypes));
        subscription.events = sender.open("notion events to " + url, url, new EventFormat(subscription));
        subscription.handshake = sender.open("notion verification to " + url, url, new WebhookSender.Format<>() {
            @Override
            public byte[] body(List<WebhookSender.Attempt<Map<String, Object>>> batch) {
                return NotionJson.bytes(batch.get(0).item());
            }

            @Override
            public Map<String, String> headers(URI to, byte[] body, Instant sentAt) {
                return Map.of("Content-Type", "application/json", "User-Agent", "notion-api");
            }
        });
        Subscription previous = subscriptions.put(w, subscription);
        if (previous != null) {
            previous.events.close();
            previous.handshake.close();
        }
        subscription.handshake.enqueue(Map.of("verification_token", subscription.verificationToken));
        return subscription;
    }

    Subscription subscription(NotionWorkspace w) {
        return subscriptions.get(w);
    }

    boolean unsubscribe(NotionWorkspace w) {
        Subscription s = subscriptions.remove(w);
        if (s == null) {
            return false;
        }
        s.events.close();
        s.handshake.close();
        return true;
    }

    @Override
    public void changed(NotionWorkspace w, String type, NotionWorkspace.Page page) {
        Subscription s = sender.stopped() ? null : subscriptions.get(w);
        if (s == null || !s.verified || !s.wants(type)) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", UUID.randomUUID().toString());
        event.put("timestamp", NotionJson.time(clock.instant()));
        event.put("workspace_id", w.workspaceId);
        event.put("workspace_name", w.name.isEmpty() ? "Sandbox" : w.name);
        event.put("subscription_id", s.id);
        event.put("integration_id", w.botId);
        event.put("type", type);
        event.put("authors", List.of(Map.of("id", page.lastEditedBy, "type", page.lastEditedBy.equals(w.botId) ? "bot" : "person")));
        event.put("attempt_number", 1);
        event.put("api_version", NotionJson.V2025);
        event.put("entity", Map.of("id", page.id, "type", "page"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("parent", Map.of("id", page.database.id, "type", "database", "data_source_id", page.database.dataSourceId));
        if (type.equals("page.properties_updated")) {
            data.put("updated_properties", page.database.schema.values().stream().map(NotionWorkspace.Property::id).toList());
        }
        event.put("data", data);
        s.events.enqueue(event);
    }

    /** {@code X-Notion-Signature: sha256=<hex HMAC-SHA256(verification_token, body)>}. */
    static String signature(String verificationToken, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(Hmac.sha256(verificationToken, body));
    }

    @PreDestroy
    public void shutdown() {
        sender.shutdown();
    }

    private record EventFormat(Subscription subscription) implements WebhookSender.Format<Map<String, Object>> {
        @Override
        public byte[] body(List<WebhookSender.Attempt<Map<String, Object>>> batch) {
            Map<String, Object> event = new LinkedHashMap<>(batch.get(0).item());
            event.put("attempt_number", batch.get(0).previousAttempts() + 1);
            return NotionJson.bytes(event);
        }

        @Override
        public Map<String, String> headers(URI to, byte[] body, Instant sentAt) {
            return Map.of("Content-Type", "application/json", "User-Agent", "notion-api",
                    "X-Notion-Signature", signature(subscription.verificationToken, body));
        }
    }
}
