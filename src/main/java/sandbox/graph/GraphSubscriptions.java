package sandbox.graph;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import sandbox.entra.EntraTokens;
import sandbox.kit.TokenText;
import sandbox.kit.WebhookDestinations;
import sandbox.kit.WebhookSender;

/**
 * Graph's change-notification subscriptions on channel messages ({@code /teams/{id}/channels/{id}/messages},
 * {@code /teams/getAllMessages}) and drives ({@code /drives/{id}/root}): created after the validation handshake with
 * the notification URL (and the lifecycle URL), given at most the resource's lifetime, renewed by PATCH, gone once
 * expired. Changes go out as {@code {"value":[...]}} with the subscription's {@code clientState} through the kit's
 * {@link WebhookSender}; lifecycle events ({@code reauthorizationRequired} before expiry, and whatever setup triggers)
 * go to the lifecycle URL. Notification URLs must be https: the hub's own TLS port, or a host listed in
 * {@code hub.sandbox.graph.webhook-allowed-hosts}.
 */
final class GraphSubscriptions {

    enum Kind { CHANNEL, ALL_CHANNELS, DRIVE }

    static final Set<String> CHANGE_TYPES = Set.of("created", "updated", "deleted");
    static final Set<String> LIFECYCLE_EVENTS = Set.of("reauthorizationRequired", "subscriptionRemoved", "missed");
    /** Graph wants a lifecycle URL on Teams subscriptions that live longer than this. */
    static final Duration LIFECYCLE_URL_REQUIRED_AFTER = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(GraphSubscriptions.class);

    static final class Subscription {
        final String id = UUID.randomUUID().toString();
        final String resource;
        final Kind kind;
        final String teamId;
        final String channelId;
        final String driveId;
        final String changeType;
        final Set<String> changeTypes;
        final URI notificationUrl;
        final URI lifecycleUrl;
        final String clientState;
        volatile Instant expiration;
        volatile Instant reauthorizationSentFor;
        WebhookSender.Queue<Map<String, Object>> changes;
        WebhookSender.Queue<Map<String, Object>> lifecycle;

        Subscription(String resource, Kind kind, String teamId, String channelId, String driveId, String changeType,
                URI notificationUrl, URI lifecycleUrl, String clientState, Instant expiration) {
            this.resource = resource;
            this.kind = kind;
            this.teamId = teamId;
            this.channelId = channelId;
            this.driveId = driveId;
            this.changeType = changeType;
            this.changeTypes = Set.copyOf(Arrays.asList(changeType.split(",")));
            this.notificationUrl = notificationUrl;
            this.lifecycleUrl = lifecycleUrl;
            this.clientState = clientState;
            this.expiration = expiration;
        }
    }

    /** What a POST /subscriptions asks for. */
    record Request(String changeType, String notificationUrl, String lifecycleNotificationUrl, String resource,
            String expirationDateTime, String clientState) {
    }

    private final GraphSandboxProperties properties;
    private final Clock clock;
    private final IntSupplier ownTlsPort;
    private final WebhookSender sender;
    private final HttpClient validator;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final ScheduledExecutorService sweeper;

    /**
     * @param tls the trust of the handshake and the deliveries (the hub's sandbox certificate added; null: the JDK's)
     * @param ownTlsPort the hub's sandbox TLS port, where notifications may always go (0: none)
     */
    GraphSubscriptions(GraphSandboxProperties properties, Clock clock, SSLContext tls, IntSupplier ownTlsPort) {
        this.properties = properties;
        this.clock = clock;
        this.ownTlsPort = ownTlsPort;
        this.sender = new WebhookSender("sandbox-graph-notifications", 2, new WebhookSender.Policy(Duration.ofMillis(100), 50,
                50_000, properties.webhookRetryInitial(), properties.webhookRetryMax(), 0, properties.webhookGiveUpAfter(),
                properties.webhookTimeout(), properties.webhookAllowedHosts(), "hub.sandbox.graph.webhook-allowed-hosts"),
                Clock.systemUTC(), tls);
        HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.validationTimeout()).followRedirects(HttpClient.Redirect.NEVER);
        this.validator = (tls == null ? http : http.sslContext(tls)).build();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-graph-lifecycle");
            t.setDaemon(true);
            return t;
        });
        long every = properties.lifecycleSweep().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Validates the request, runs the handshake with both URLs, and keeps the subscription. */
    Subscription create(Request request, GraphTenant tenant) {
        String changeType = required(request.changeType(), "changeType").replace(" ", "");
        for (String type : changeType.split(",")) {
            if (!CHANGE_TYPES.contains(type)) {
                throw GraphApiException.invalid("changeType: '" + type + "' is not one of created, updated, deleted.");
            }
        }
        String resource = required(request.resource(), "resource").strip();
        String[] parts = (resource.startsWith("/") ? resource.substring(1) : resource).split("/");
        Kind kind;
        String teamId = null;
        String channelId = null;
        String driveId = null;
        if (parts.length == 5 && parts[0].equals("teams") && parts[2].equals("channels") && parts[4].equals("messages")) {
            kind = Kind.CHANNEL;
            teamId = parts[1];
            channelId = parts[3];
            tenant.channel(teamId, channelId);
        } else if (parts.length == 2 && parts[0].equals("teams") && parts[1].equals("getAllMessages")) {
            kind = Kind.ALL_CHANNELS;
        } else if (parts.length == 3 && parts[0].equals("drives") && parts[2].equals("root")) {
            kind = Kind.DRIVE;
            driveId = parts[1];
            tenant.drive(driveId);
            if (!changeType.equals("updated")) {
                throw GraphApiException.invalid("changeType: a driveItem subscription takes 'updated' only.");
            }
        } else {
            throw GraphApiException.invalid("resource: '" + resource + "' is not a resource this sandbox notifies about"
                    + " (/teams/{id}/channels/{id}/messages, /teams/getAllMessages, /drives/{id}/root).");
        }
        String clientState = request.clientState();
        if (clientState != null && clientState.length() > 128) {
            throw GraphApiException.invalid("clientState: at most 128 characters.");
        }
        URI notificationUrl = destination("notificationUrl", required(request.notificationUrl(), "notificationUrl"));
        URI lifecycleUrl = request.lifecycleNotificationUrl() == null ? null
                : destination("lifecycleNotificationUrl", request.lifecycleNotificationUrl());
        Instant expiration = expiration(request.expirationDateTime(), kind);
        if (kind != Kind.DRIVE && lifecycleUrl == null
                && expiration.isAfter(clock.instant().plus(LIFECYCLE_URL_REQUIRED_AFTER))) {
            throw GraphApiException.invalid("lifecycleNotificationUrl is a required property for subscription creation on"
                    + " this resource when the expirationDateTime value is set to greater than 1 hour");
        }
        validate(notificationUrl);
        if (lifecycleUrl != null) {
            validate(lifecycleUrl);
        }
        Subscription subscription = new Subscription(resource, kind, teamId, channelId, driveId, changeType, notificationUrl,
                lifecycleUrl, clientState, expiration);
        subscription.changes = sender.open("Graph subscription " + subscription.id, notificationUrl, new Notifications());
        if (lifecycleUrl != null) {
            subscription.lifecycle = sender.open("Graph lifecycle " + subscription.id, lifecycleUrl, new Notifications());
        }
        synchronized (subscriptions) {
            subscriptions.put(subscription.id, subscription);
        }
        return subscription;
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw GraphApiException.invalid(field + " is a required property for subscription creation.");
        }
        return value;
    }

    private URI destination(String field, String url) {
        if (!url.regionMatches(true, 0, "https://", 0, 8)) {
            throw GraphApiException.invalid(field + ": the URL must be https (Graph sends notifications over TLS only).");
        }
        try {
            return sender.destination(url, ownTlsPort.getAsInt());
        } catch (WebhookDestinations.Refused e) {
            throw GraphApiException.invalid(field + ": " + e.getMessage());
        }
    }

    private Instant expiration(String text, Kind kind) {
        Instant at = parseTime(required(text, "expirationDateTime"));
        Instant now = clock.instant();
        Duration max = kind == Kind.DRIVE ? properties.driveSubscriptionMaxLifetime() : properties.teamsSubscriptionMaxLifetime();
        if (!at.isAfter(now)) {
            throw GraphApiException.invalid("Subscription expiration must be in the future.");
        }
        if (at.isAfter(now.plus(max))) {
            throw GraphApiException.invalid("Subscription expiration can only be " + max.toMinutes() + " minutes in the future.");
        }
        return at;
    }

    private static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw GraphApiException.invalid("expirationDateTime: '" + text + "' is not a date and time such as 2024-05-03T10:00:00Z.");
        }
    }

    /** The handshake: POST {url}?validationToken=..., answered within the timeout with 200 and the decoded token. */
    private void validate(URI url) {
        String token = "Validation: " + TokenText.urlSafe(24);
        String raw = url.toString();
        URI target = URI.create(raw + (url.getRawQuery() == null ? "?" : "&") + "validationToken="
                + URLEncoder.encode(token, StandardCharsets.UTF_8).replace("+", "%20"));
        String why;
        try {
            HttpResponse<String> answer = validator.send(HttpRequest.newBuilder(target).timeout(properties.validationTimeout())
                    .header("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200 && token.equals(answer.body())) {
                return;
            }
            why = "HTTP " + answer.statusCode() + (answer.statusCode() == 200 ? " with another body than the token" : "");
        } catch (IOException e) {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        }
        LOG.info("Graph sandbox: validation of {} failed ({})", url, why);
        throw new GraphApiException(HttpStatus.BAD_REQUEST, "InvalidRequest", "Subscription validation request failed."
                + " Notification endpoint must respond with 200 OK to validation request.");
    }

    /** The live subscription, or 404 (an expired one is gone). */
    Subscription get(String id) {
        sweep();
        synchronized (subscriptions) {
            Subscription subscription = subscriptions.get(id);
            if (subscription == null) {
                throw new GraphApiException(HttpStatus.NOT_FOUND, "ResourceNotFound", "The object was not found.");
            }
            return subscription;
        }
    }

    List<Subscription> all() {
        sweep();
        synchronized (subscriptions) {
            return List.copyOf(subscriptions.values());
        }
    }

    /** PATCH: a new expiry within the resource's lifetime. */
    Subscription renew(String id, String expirationDateTime) {
        Subscription subscription = get(id);
        subscription.expiration = expiration(expirationDateTime, subscription.kind);
        subscription.reauthorizationSentFor = null;
        return subscription;
    }

    /** POST .../reauthorize: the subscription is authorized again (its reauthorizationRequired may come again). */
    void reauthorize(String id) {
        get(id).reauthorizationSentFor = null;
    }

    void delete(String id) {
        Subscription subscription = get(id);
        remove(subscription, true);
    }

    private void remove(Subscription subscription, boolean withLifecycle) {
        synchronized (subscriptions) {
            subscriptions.remove(subscription.id);
        }
        subscription.changes.close();
        if (withLifecycle && subscription.lifecycle != null) {
            subscription.lifecycle.close();
        }
    }

    /** Setup: sends a lifecycle event now; {@code subscriptionRemoved} also removes the subscription. */
    void lifecycle(String id, String event) {
        if (event == null || !LIFECYCLE_EVENTS.contains(event)) {
            throw GraphApiException.invalid("lifecycleEvent: one of " + String.join(", ", LIFECYCLE_EVENTS.stream().sorted().toList()) + ".");
        }
        Subscription subscription = get(id);
        if (subscription.lifecycle == null) {
            throw GraphApiException.invalid("subscription " + id + " has no lifecycleNotificationUrl.");
        }
        subscription.lifecycle.enqueue(lifecycleItem(subscription, event));
        if (event.equals("subscriptionRemoved")) {
            remove(subscription, false);
        }
    }

    /** Tenant listener: the change goes to every live subscription on its resource that asked for its type. */
    void changed(GraphTenant.Change change) {
        Instant now = clock.instant();
        List<Subscription> live;
        synchronized (subscriptions) {
            live = new ArrayList<>(subscriptions.values());
        }
        for (Subscription s : live) {
            if (!s.expiration.isAfter(now) || !s.changeTypes.contains(change.changeType())) {
                continue;
            }
            boolean matches = change.driveId() != null ? s.kind == Kind.DRIVE && change.driveId().equals(s.driveId)
                    : s.kind == Kind.ALL_CHANNELS
                            || (s.kind == Kind.CHANNEL && change.teamId().equals(s.teamId) && change.channelId().equals(s.channelId));
            if (matches) {
                s.changes.enqueue(notification(s, change));
            }
        }
    }

    private static Map<String, Object> notification(Subscription s, GraphTenant.Change change) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", TokenText.urlSafe(12));
        item.put("subscriptionId", s.id);
        item.put("subscriptionExpirationDateTime", GraphJson.subscriptionTime(s.expiration));
        item.put("clientState", s.clientState);
        item.put("changeType", change.changeType());
        item.put("tenantId", EntraTokens.TENANT_ID);
        if (change.driveId() != null) {
            item.put("resource", "drives/" + change.driveId() + "/root");
            return item;
        }
        String thread = "teams('" + change.teamId() + "')/channels('" + change.channelId() + "')/messages('";
        String resource = change.rootId() == null ? thread + change.messageId() + "')"
                : thread + change.rootId() + "')/replies('" + change.messageId() + "')";
        item.put("resource", resource);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", change.messageId());
        data.put("@odata.type", "#Microsoft.Graph.chatMessage");
        data.put("@odata.id", resource);
        item.put("resourceData", data);
        return item;
    }

    private static Map<String, Object> lifecycleItem(Subscription s, String event) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("subscriptionId", s.id);
        item.put("subscriptionExpirationDateTime", GraphJson.subscriptionTime(s.expiration));
        item.put("tenantId", EntraTokens.TENANT_ID);
        item.put("clientState", s.clientState);
        item.put("lifecycleEvent", event);
        return item;
    }

    /** Drops expired subscriptions; sends reauthorizationRequired to those near their expiry, once per expiry. */
    void sweep() {
        Instant now = clock.instant();
        List<Subscription> expired = new ArrayList<>();
        List<Subscription> due = new ArrayList<>();
        synchronized (subscriptions) {
            for (Subscription s : subscriptions.values()) {
                if (!s.expiration.isAfter(now)) {
                    expired.add(s);
                } else if (s.lifecycle != null && !s.expiration.equals(s.reauthorizationSentFor)
                        && !s.expiration.isAfter(now.plus(properties.reauthorizeBefore()))) {
                    s.reauthorizationSentFor = s.expiration;
                    due.add(s);
                }
            }
        }
        expired.forEach(s -> remove(s, true));
        due.forEach(s -> s.lifecycle.enqueue(lifecycleItem(s, "reauthorizationRequired")));
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Graph sandbox: subscription sweep failed", e);
        }
    }

    /** Delivery counters of a subscription's notifications and lifecycle events (setup). */
    Map<String, Object> deliveries(String id) {
        Subscription s = get(id);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("notifications", counters(s.changes));
        state.put("lifecycle", s.lifecycle == null ? null : counters(s.lifecycle));
        return state;
    }

    private static Map<String, Object> counters(WebhookSender.Queue<Map<String, Object>> queue) {
        WebhookSender.Status<Map<String, Object>> status = queue.status();
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("delivered", status.delivered());
        counters.put("dropped", status.dropped());
        counters.put("pending", status.pending().size());
        counters.put("lastStatusCode", status.lastStatusCode());
        return counters;
    }

    int shutdown() {
        sweeper.shutdownNow();
        return sender.shutdown();
    }

    /** A delivery: {@code {"value":[...]}}, as JSON. */
    private static final class Notifications implements WebhookSender.Format<Map<String, Object>> {
        @Override
        public byte[] body(List<WebhookSender.Attempt<Map<String, Object>>> batch) {
            return GraphJson.bytes(Map.of("value", batch.stream().map(WebhookSender.Attempt::item).toList()));
        }

        @Override
        public Map<String, String> headers(URI url, byte[] body, Instant sentAt) {
            return Map.of("Content-Type", "application/json; charset=utf-8");
        }
    }
}
