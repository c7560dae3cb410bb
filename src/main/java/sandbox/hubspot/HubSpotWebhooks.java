package sandbox.hubspot;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox app's webhooks, per portal: the target URL and subscriptions set through the setup API (standing in for
 * HubSpot's developer portal), and the queue that delivers the events of changes made through the API. Events queued
 * within the batch window go out together as one JSON array (at most 100 per request), signed as HubSpot signs them
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
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotWebhooks.class);

    private final HubSpotSandboxProperties properties;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<HubSpotPortal, App> apps = Collections.synchronizedMap(new WeakHashMap<>());
    private final AtomicLong eventIds;
    private final AtomicLong subscriptionIds = new AtomicLong(1_000_000);
    private volatile HttpClient http;
    private volatile boolean stopped;

    /** An app's settings as the setup API shows them, with its delivery counters. */
    record Status(URI targetUrl, List<WebhookSubscription> subscriptions, boolean ownSecret, long delivered,
            long dropped, long requests, long failedRequests, int pending, Integer lastStatusCode, String lastError,
            Instant lastAttemptAt) {
    }

    /** A queued event; mutable, guarded by its app. */
    private static final class Pending {
        final Map<String, Object> event;
        int attempts;
        Instant nextAttempt;
        boolean inFlight;

        Pending(Map<String, Object> event, Instant nextAttempt) {
            this.event = event;
            this.nextAttempt = nextAttempt;
        }
    }

    private record Outcome(boolean delivered, Integer statusCode, String error) {
    }

    HubSpotWebhooks(HubSpotSandboxProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        // ids unique across restarts too: the hub deduplicates deliveries on them
        this.eventIds = new AtomicLong(clock.millis() * 1000);
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "sandbox-hubspot-webhooks-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Sets (or replaces) a portal's target URL and subscriptions; pending events of the old settings are dropped. */
    Status configure(HubSpotPortal portal, URI targetUrl, List<WebhookSubscription> subscriptions, String secret) {
        App previous;
        App app = new App(portal.portalId(), targetUrl, List.copyOf(subscriptions), secret);
        previous = apps.put(portal, app);
        if (previous != null) {
            previous.close();
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
        app.close();
        return true;
    }

    @Override
    public void changed(HubSpotPortal portal, List<HubSpotPortal.Change> changes) {
        App app = stopped ? null : apps.get(portal);
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
            app.enqueue(events);
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
        Duration wait = properties.webhookRetryInitial();
        for (int i = 1; i < failedAttempts && wait.compareTo(properties.webhookRetryMax()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(properties.webhookRetryMax()) > 0 ? properties.webhookRetryMax() : wait;
    }

    /** {@code X-HubSpot-Signature-v3}: base64 of HMAC-SHA256(secret, method + uri + body + timestamp). */
    static String signatureV3(String secret, String method, String uri, byte[] body, String timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((method + uri).getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code X-HubSpot-Signature} version v1: hex SHA-256 of secret + body (a plain hash, not an HMAC). */
    static String signatureV1(String secret, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(secret.getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    public void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("HubSpot sandbox webhooks did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http = null;
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(properties.webhookTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
                    http = client;
                }
            }
        }
        return client;
    }

    /** One portal's app settings, queue, timer and counters; all state is guarded by the app. */
    private final class App {
        /** The portal's id only: the apps map holds its portal weakly, so a portal the sandbox evicts takes its app along. */
        final long portalId;
        final URI targetUrl;
        final List<WebhookSubscription> subscriptions;
        final String secret;
        final List<Pending> pending = new ArrayList<>();
        long delivered;
        long dropped;
        long requests;
        long failedRequests;
        Integer lastStatusCode;
        String lastError;
        Instant lastAttemptAt;
        boolean sending;
        boolean closed;
        Instant windowCloses;
        ScheduledFuture<?> timer;
        Instant timerAt;

        App(long portalId, URI targetUrl, List<WebhookSubscription> subscriptions, String secret) {
            this.portalId = portalId;
            this.targetUrl = targetUrl;
            this.subscriptions = subscriptions;
            this.secret = secret;
        }

        synchronized Status status() {
            return new Status(targetUrl, subscriptions, !HubSpotTokens.CLIENT_SECRET.equals(secret), delivered, dropped,
                    requests, failedRequests, pending.size(), lastStatusCode, lastError, lastAttemptAt);
        }

        synchronized void enqueue(List<Map<String, Object>> events) {
            if (closed || stopped) {
                return;
            }
            Instant now = clock.instant();
            // the first event opens a batch window; the ones queued while it is open go out with it
            if (windowCloses == null || !windowCloses.isAfter(now)) {
                windowCloses = now.plus(properties.webhookBatchWindow());
            }
            for (Map<String, Object> event : events) {
                if (pending.size() >= MAX_PENDING) {
                    dropped++;
                    continue;
                }
                pending.add(new Pending(event, windowCloses));
            }
            scheduleAt(windowCloses);
        }

        synchronized void close() {
            closed = true;
            pending.clear();
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void scheduleAt(Instant at) {
            if (closed || stopped || (timer != null && !timer.isDone() && !timerAt.isAfter(at))) {
                return;
            }
            if (timer != null) {
                timer.cancel(false);
            }
            long delay = Math.max(0, (Duration.between(clock.instant(), at).toNanos() + 999_999) / 1_000_000);
            try {
                timer = executor.schedule(this::pump, delay, TimeUnit.MILLISECONDS);
                timerAt = at;
            } catch (RejectedExecutionException e) {
                timer = null;
            }
        }

        private void scheduleNext() {
            pending.stream().filter(p -> !p.inFlight).map(p -> p.nextAttempt).min(Comparator.naturalOrder())
                    .ifPresent(this::scheduleAt);
        }

        /** Sends one request of due events; one request in flight per portal at a time. */
        private void pump() {
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                timer = null;
                if (closed || stopped || sending) {
                    return;
                }
                Instant horizon = clock.instant().plusMillis(1);
                for (Pending p : pending) {
                    if (!p.inFlight && !p.nextAttempt.isAfter(horizon)) {
                        batch.add(p);
                        if (batch.size() == MAX_EVENTS_PER_REQUEST) {
                            break;
                        }
                    }
                }
                if (batch.isEmpty()) {
                    scheduleNext();
                    return;
                }
                sending = true;
                for (Pending p : batch) {
                    p.inFlight = true;
                    p.event.put("attemptNumber", p.attempts);
                }
            }
            Outcome outcome;
            try {
                outcome = send(batch);
            } catch (RuntimeException e) {
                LOG.warn("HubSpot sandbox webhook for portal {} could not be sent", portalId, e);
                outcome = new Outcome(false, null, "sandbox error: " + e);
            }
            finish(batch, outcome);
        }

        private synchronized void finish(List<Pending> batch, Outcome outcome) {
            sending = false;
            if (closed) {
                return;
            }
            requests++;
            Instant now = clock.instant();
            lastAttemptAt = now;
            lastStatusCode = outcome.statusCode();
            lastError = outcome.error();
            if (outcome.delivered()) {
                pending.removeAll(batch);
                delivered += batch.size();
            } else {
                failedRequests++;
                for (Pending p : batch) {
                    p.inFlight = false;
                    p.attempts++;
                    p.nextAttempt = now.plus(backoff(p.attempts));
                }
                int before = pending.size();
                pending.removeIf(p -> p.attempts >= properties.webhookMaxAttempts());
                int gone = before - pending.size();
                if (gone > 0) {
                    dropped += gone;
                    LOG.warn("HubSpot sandbox dropped {} webhook events for portal {} after {} attempts ({})", gone,
                            portalId, properties.webhookMaxAttempts(), outcome.error());
                }
            }
            scheduleNext();
        }

        /** POSTs the events as one signed JSON array; runs outside the app's lock. */
        private Outcome send(List<Pending> batch) {
            List<Map<String, Object>> events = new ArrayList<>(batch.size());
            synchronized (this) {
                batch.forEach(p -> events.add(new LinkedHashMap<>(p.event)));
            }
            byte[] body = HubSpotJson.bytes(events);
            String timestamp = Long.toString(clock.millis());
            String uri = targetUrl.toString();
            HttpRequest request = HttpRequest.newBuilder(targetUrl)
                    .timeout(properties.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .header("X-HubSpot-Signature", signatureV1(secret, body))
                    .header("X-HubSpot-Signature-Version", "v1")
                    .header("X-HubSpot-Signature-v3", signatureV3(secret, "POST", uri, body, timestamp))
                    .header("X-HubSpot-Request-Timestamp", timestamp)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            try {
                HttpResponse<InputStream> response = http().send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    in.readNBytes(MAX_RESPONSE_BYTES);
                }
                int status = response.statusCode();
                return status >= 200 && status < 300 ? new Outcome(true, status, null)
                        : new Outcome(false, status, "HTTP " + status);
            } catch (HttpTimeoutException e) {
                return new Outcome(false, null, "timed out: " + e.getMessage());
            } catch (IOException e) {
                return new Outcome(false, null, "connection failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(false, null, "interrupted");
            }
        }
    }
}
