package sandbox.hubspot;

import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

import sandbox.kit.Hmac;
import sandbox.kit.WebhookSender;

/**
 * The sandbox app's webhooks, per portal: the target URL and subscriptions set through the setup API (standing in for
 * HubSpot's developer portal), and their delivery queue on the kit's {@link WebhookSender}. Events queued within the
 * batch window go out together as one JSON array (at most 100 per request), signed as HubSpot signs them
 * ({@code X-HubSpot-Signature-v3}: base64 HMAC-SHA256 with the app secret of method, URL, body and the
 * {@code X-HubSpot-Request-Timestamp} in milliseconds; and the legacy v1 signature). A delivery not answered 2xx is
 * retried with exponential backoff, re-signed, with {@code attemptNumber} counting up, until the events have had their
 * attempts. The queue lives in memory only.
 */
final class HubSpotWebhooks implements HubSpotPortal.ChangeListener {

    static final int MAX_EVENTS_PER_REQUEST = 100;
    static final int MAX_SUBSCRIPTIONS = 100;
    /** Events one portal may hold undelivered; more are dropped (memory is all there is). */
    static final int MAX_PENDING = 50_000;
    static final String USER_AGENT = "HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio-http-client)"
            + " - WebhooksExecutorDaemon-executor";

    private final WebhookSender sender;
    private final Map<HubSpotPortal, App> apps = Collections.synchronizedMap(new WeakHashMap<>());
    private final AtomicLong eventIds;
    private final AtomicLong subscriptionIds = new AtomicLong(1_000_000);

    /** An app's settings as the setup API shows them, with its delivery counters. */
    record Status(URI targetUrl, List<WebhookSubscription> subscriptions, boolean ownSecret, long delivered,
            long dropped, long requests, long failedRequests, int pending, Integer lastStatusCode, String lastError,
            Instant lastAttemptAt) {
    }

    HubSpotWebhooks(HubSpotSandboxProperties properties, Clock clock) {
        // ids unique across restarts too: the hub deduplicates deliveries on them
        this.eventIds = new AtomicLong(clock.millis() * 1000);
        this.sender = new WebhookSender("sandbox-hubspot-webhooks", 2, new WebhookSender.Policy(
                properties.webhookBatchWindow(), MAX_EVENTS_PER_REQUEST, MAX_PENDING, properties.webhookRetryInitial(),
                properties.webhookRetryMax(), properties.webhookMaxAttempts(), null, properties.webhookTimeout(),
                properties.webhookAllowedHosts(), "hub.sandbox.hubspot.webhook-allowed-hosts"), clock);
    }

    /**
     * The target URL a setup request names, when this sandbox (served on {@code ownPort}) may send to it.
     *
     * @throws sandbox.kit.WebhookDestinations.Refused otherwise
     */
    URI destination(String targetUrl, int ownPort) {
        return sender.destination(targetUrl, ownPort);
    }

    /** Sets (or replaces) a portal's target URL and subscriptions; pending events of the old settings are dropped. */
    Status configure(HubSpotPortal portal, URI targetUrl, List<WebhookSubscription> subscriptions, String secret) {
        App app = new App(targetUrl, List.copyOf(subscriptions), secret);
        App previous = apps.put(portal, app);
        if (previous != null) {
            previous.queue.close();
        }
        return app.status();
    }

    /** A new subscription with a fresh id. */
    WebhookSubscription subscription(HubSpotObjectType type, String change, String propertyName, boolean generic) {
        return new WebhookSubscription(subscriptionIds.incrementAndGet(), type, change, propertyName, generic);
    }

    Optional<Status> status(HubSpotPortal portal) {
        return Optional.ofNullable(apps.get(portal)).map(App::status);
    }

    /** Removes a portal's webhook settings and drops its pending events; false when it had none. */
    boolean remove(HubSpotPortal portal) {
        App app = apps.remove(portal);
        if (app == null) {
            return false;
        }
        app.queue.close();
        return true;
    }

    @Override
    public void changed(HubSpotPortal portal, List<HubSpotPortal.Change> changes) {
        App app = sender.stopped() ? null : apps.get(portal);
        if (app == null) {
            return;
        }
        List<Map<String, Object>> events = new ArrayList<>();
        for (HubSpotPortal.Change change : changes) {
            String changeName = switch (change.kind()) {
                case CREATED -> "creation";
                case UPDATED -> "propertyChange";
                case ARCHIVED -> "deletion";
            };
            for (WebhookSubscription subscription : app.subscriptions) {
                if (change.kind() == HubSpotPortal.Kind.UPDATED) {
                    change.properties().forEach((property, value) -> {
                        if (subscription.matches(change.type(), changeName, property)) {
                            Map<String, Object> event = event(portal, subscription, change);
                            event.put("propertyName", property);
                            event.put("propertyValue", value);
                            events.add(event);
                        }
                    });
                } else if (subscription.matches(change.type(), changeName, null)) {
                    Map<String, Object> event = event(portal, subscription, change);
                    event.put("changeFlag", change.kind() == HubSpotPortal.Kind.CREATED ? "NEW" : "DELETED");
                    events.add(event);
                }
            }
        }
        if (!events.isEmpty()) {
            app.queue.enqueue(events);
        }
    }

    /** The fields every event has, in HubSpot's order; {@code attemptNumber} is set when it is sent. */
    private Map<String, Object> event(HubSpotPortal portal, WebhookSubscription subscription, HubSpotPortal.Change change) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventIds.incrementAndGet());
        event.put("subscriptionId", subscription.id());
        event.put("portalId", portal.portalId());
        event.put("appId", HubSpotOAuthController.APP_ID);
        event.put("occurredAt", change.at().toEpochMilli());
        event.put("subscriptionType", subscription.eventType());
        event.put("attemptNumber", 0);
        if (subscription.generic()) {
            event.put("objectTypeId", change.type().typeId());
        }
        event.put("objectId", change.recordId());
        event.put("changeSource", "API");
        return event;
    }

    /** Initial wait, doubled per failed attempt, capped. */
    Duration backoff(int failedAttempts) {
        return sender.policy().backoff(failedAttempts);
    }

    /** {@code X-HubSpot-Signature-v3}: base64 of HMAC-SHA256(secret, method + uri + body + timestamp). */
    static String signatureV3(String secret, String method, String uri, byte[] body, String timestamp) {
        return Base64.getEncoder().encodeToString(Hmac.sha256(secret, Hmac.utf8(method + uri), body, Hmac.utf8(timestamp)));
    }

    /** {@code X-HubSpot-Signature} version v1: hex SHA-256 of secret + body (a plain hash, not an HMAC). */
    static String signatureV1(String secret, byte[] body) {
        return HexFormat.of().formatHex(Hmac.digest(Hmac.utf8(secret), body));
    }

    @PreDestroy
    public void shutdown() {
        sender.shutdown();
    }

    /**
     * One portal's app: its settings and its queue of events, sent as HubSpot sends them: a JSON array with each event's
     * {@code attemptNumber}, signed with the app secret. The apps map holds its portal weakly, so a portal the sandbox
     * evicts takes its app along.
     */
    private final class App implements WebhookSender.Format<Map<String, Object>> {
        final URI targetUrl;
        final List<WebhookSubscription> subscriptions;
        final String secret;
        final WebhookSender.Queue<Map<String, Object>> queue;

        App(URI targetUrl, List<WebhookSubscription> subscriptions, String secret) {
            this.targetUrl = targetUrl;
            this.subscriptions = subscriptions;
            this.secret = secret;
            this.queue = sender.open("webhooks to " + targetUrl, targetUrl, this);
        }

        Status status() {
            WebhookSender.Status<Map<String, Object>> status = queue.status();
            return new Status(targetUrl, subscriptions, !HubSpotTokens.CLIENT_SECRET.equals(secret), status.delivered(),
                    status.dropped(), status.requests(), status.failedRequests(), status.pending().size(),
                    status.lastStatusCode(), status.lastError(), status.lastAttemptAt());
        }

        @Override
        public byte[] body(List<WebhookSender.Attempt<Map<String, Object>>> batch) {
            List<Map<String, Object>> events = new ArrayList<>(batch.size());
            for (WebhookSender.Attempt<Map<String, Object>> attempt : batch) {
                Map<String, Object> event = new LinkedHashMap<>(attempt.item());
                event.put("attemptNumber", attempt.previousAttempts());
                events.add(event);
            }
            return HubSpotJson.bytes(events);
        }

        @Override
        public Map<String, String> headers(URI url, byte[] body, Instant sentAt) {
            String timestamp = Long.toString(sentAt.toEpochMilli());
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("User-Agent", USER_AGENT);
            headers.put("X-HubSpot-Signature", signatureV1(secret, body));
            headers.put("X-HubSpot-Signature-Version", "v1");
            headers.put("X-HubSpot-Signature-v3", signatureV3(secret, "POST", url.toString(), body, timestamp));
            headers.put("X-HubSpot-Request-Timestamp", timestamp);
            return headers;
        }
    }
}
