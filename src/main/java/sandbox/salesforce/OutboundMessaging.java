package sandbox.salesforce;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Workflow outbound messaging: the outbound messages defined through the sandbox's setup API, and the queue
 * that delivers their notifications. A record created or edited through the API queues one notification per
 * outbound message on its object (deletes fire no workflow). Notifications queued within the batch window go
 * out together, at most 100 per SOAP message, on a small executor of the sandbox's own, never on the REST
 * call's thread. A message that is not answered {@code 200} with {@code <Ack>true</Ack>} is retried with
 * exponential backoff and the same notification ids until the notifications are too old.
 *
 * <p>As in Salesforce, a notification carries the record as it is when the message is sent, not when it was
 * queued, and one whose record has been deleted meanwhile carries no data (here: just the id). Unlike Salesforce,
 * the queue lives in memory only: a restart loses pending notifications and the definitions themselves.
 */
public final class OutboundMessaging implements SalesforceChangeListener {

    /** Salesforce's limit of notifications in one SOAP message. */
    static final int MAX_NOTIFICATIONS_PER_MESSAGE = 100;
    /** Outbound messages one org may define. */
    static final int MAX_MESSAGES_PER_ORG = 100;
    /** Undelivered notifications one outbound message may hold; more are dropped (memory is all there is). */
    static final int MAX_PENDING = 50_000;
    private static final int MAX_RESPONSE_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(OutboundMessaging.class);

    private final SalesforceSandboxProperties properties;
    private final SandboxTokens tokens;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<String, OrgMessages> byOrgId = new ConcurrentHashMap<>();
    private volatile HttpClient http;
    private volatile boolean stopped;

    /** One org's outbound messages, in creation order (counter-based ids sort that way), and its id counters. */
    private static final class OrgMessages {
        final AtomicLong messageCounter = new AtomicLong();
        final AtomicLong notificationCounter = new AtomicLong();
        final Map<String, MessageQueue> byId = new ConcurrentSkipListMap<>();
    }

    /** A queued notification; mutable, guarded by its queue. */
    private static final class Pending {
        final String id;
        final String recordId;
        final Instant queuedDate;
        Instant nextAttempt;
        int attempts;
        boolean inFlight;
        String lastError;
        Integer lastStatusCode;
        Instant lastAttemptDate;

        Pending(String id, String recordId, Instant queuedDate, Instant nextAttempt) {
            this.id = id;
            this.recordId = recordId;
            this.queuedDate = queuedDate;
            this.nextAttempt = nextAttempt;
        }
    }

    /** A notification waiting for delivery, as the delivery status shows it. */
    record PendingNotification(String id, String recordId, Instant queuedDate, int attempts, Instant nextAttemptDate,
            boolean inFlight, String lastError, Integer lastStatusCode, Instant lastAttemptDate) {
    }

    /** Salesforce's "Outbound Messaging Delivery Status" for one outbound message, plus counters. */
    record DeliveryStatus(OutboundMessage message, long delivered, long dropped, long messagesSent,
            List<PendingNotification> pending) {
    }

    /** The outcome of one POST: acknowledged, or why not. */
    private record Outcome(boolean acknowledged, String error, Integer statusCode) {
    }

    public OutboundMessaging(SalesforceSandboxProperties properties, SandboxTokens tokens, Clock clock) {
        this.properties = properties;
        this.tokens = tokens;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "sandbox-sf-outbound-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = new ScheduledThreadPoolExecutor(4, factory);
        this.executor.setRemoveOnCancelPolicy(true);
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    // ------------------------------------------------------------------ setup

    OutboundMessage define(SandboxOrg org, String name, SObjectSchema object, URI endpointUrl,
            List<SObjectField> fields, boolean includeSessionId, String instanceUrl, String apiVersion) {
        OrgMessages messages = byOrgId.computeIfAbsent(org.orgId(), k -> new OrgMessages());
        synchronized (messages) {
            if (messages.byId.size() >= MAX_MESSAGES_PER_ORG) {
                throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "LIMIT_EXCEEDED",
                        "An org may define at most " + MAX_MESSAGES_PER_ORG + " outbound messages in the sandbox");
            }
            String id = SalesforceIds.of("04k", org.code(), messages.messageCounter.incrementAndGet());
            OutboundMessage message = new OutboundMessage(id, org, name, object, endpointUrl, fields,
                    includeSessionId, instanceUrl, apiVersion, clock.instant());
            messages.byId.put(id, new MessageQueue(message));
            return message;
        }
    }

    List<OutboundMessage> list(SandboxOrg org) {
        OrgMessages messages = byOrgId.get(org.orgId());
        return messages == null ? List.of() : messages.byId.values().stream().map(q -> q.message).toList();
    }

    Optional<OutboundMessage> find(SandboxOrg org, String id) {
        return queue(org, id).map(q -> q.message);
    }

    /** Deletes an outbound message and drops its pending notifications; false when there is none. */
    boolean remove(SandboxOrg org, String id) {
        OrgMessages messages = byOrgId.get(org.orgId());
        MessageQueue queue = messages == null || id == null ? null : messages.byId.remove(id);
        if (queue == null) {
            return false;
        }
        queue.close();
        return true;
    }

    Optional<DeliveryStatus> deliveryStatus(SandboxOrg org, String id) {
        return queue(org, id).map(MessageQueue::status);
    }

    private Optional<MessageQueue> queue(SandboxOrg org, String id) {
        OrgMessages messages = byOrgId.get(org.orgId());
        return Optional.ofNullable(messages == null || id == null ? null : messages.byId.get(id));
    }

    // ------------------------------------------------------------------ the workflow rule

    /** Queues a notification for every outbound message of the org on the record's object. */
    @Override
    public void recordChanged(String orgId, String type, String changeType, Map<String, Object> record) {
        if (stopped || !(changeType.equals("created") || changeType.equals("updated"))) {
            return;
        }
        OrgMessages messages = byOrgId.get(orgId);
        if (messages == null) {
            return;
        }
        for (MessageQueue queue : messages.byId.values()) {
            if (queue.message.object().name().equals(type)) {
                String notificationId = SalesforceIds.of("04l", queue.message.org().code(),
                        messages.notificationCounter.incrementAndGet());
                queue.enqueue(notificationId, (String) record.get("Id"));
            }
        }
    }

    /** Stops sending with the application context; whatever is still queued is lost (memory only). */
    @PreDestroy
    public void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Salesforce sandbox outbound messaging did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http = null; // Java 17's HttpClient cannot be closed; its selector thread ends once it is unreachable
        int pending = byOrgId.values().stream().flatMap(m -> m.byId.values().stream())
                .mapToInt(MessageQueue::pendingCount).sum();
        if (pending > 0) {
            LOG.info("Salesforce sandbox outbound messaging stopped; {} undelivered notifications dropped", pending);
        }
    }

    /** Initial wait, doubled per failed attempt, capped. */
    Duration backoff(int failedAttempts) {
        Duration initial = properties.outboundRetryInitial();
        Duration max = properties.outboundRetryMax();
        int doublings = Math.min(Math.max(0, failedAttempts - 1), 40);
        Duration wait = initial;
        for (int i = 0; i < doublings && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    /** Created on first use: the hub runs the sandbox whether or not anyone defines an outbound message. */
    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(properties.outboundTimeout())
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                    http = client;
                }
            }
        }
        return client;
    }

    /** One outbound message's notifications, its timer and its counters; all state is guarded by the queue. */
    private final class MessageQueue {
        final OutboundMessage message;
        final List<Pending> pending = new ArrayList<>();
        long delivered;
        long dropped;
        long messagesSent;
        boolean sending;
        boolean closed;
        boolean overflowing;
        Instant windowCloses;
        ScheduledFuture<?> timer;
        Instant timerAt;
        String sessionId;

        MessageQueue(OutboundMessage message) {
            this.message = message;
        }

        synchronized void enqueue(String notificationId, String recordId) {
            if (closed || stopped) {
                return;
            }
            if (pending.size() >= MAX_PENDING) {
                dropped++;
                if (!overflowing) {
                    overflowing = true;
                    LOG.warn("Outbound message {} ({}) holds {} undelivered notifications; dropping new ones",
                            message.name(), message.id(), MAX_PENDING);
                }
                return;
            }
            overflowing = false;
            Instant now = clock.instant();
            // the first notification opens a batch window; the ones queued while it is open join its message
            if (windowCloses == null || !windowCloses.isAfter(now)) {
                windowCloses = now.plus(properties.outboundBatchWindow());
            }
            pending.add(new Pending(notificationId, recordId, now, windowCloses));
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

        synchronized int pendingCount() {
            return pending.size();
        }

        synchronized DeliveryStatus status() {
            List<PendingNotification> views = pending.stream()
                    .map(p -> new PendingNotification(p.id, p.recordId, p.queuedDate, p.attempts, p.nextAttempt,
                            p.inFlight, p.lastError, p.lastStatusCode, p.lastAttemptDate))
                    .toList();
            return new DeliveryStatus(message, delivered, dropped, messagesSent, views);
        }

        /** Wakes the queue at {@code at} unless it already wakes earlier. */
        private void scheduleAt(Instant at) {
            if (closed || stopped) {
                return;
            }
            if (timer != null && !timer.isDone() && !timerAt.isAfter(at)) {
                return;
            }
            if (timer != null) {
                timer.cancel(false);
            }
            // rounded up, so the queue does not wake just before the notification is due
            long delay = Math.max(0, (Duration.between(clock.instant(), at).toNanos() + 999_999) / 1_000_000);
            try {
                timer = executor.schedule(this::pump, delay, TimeUnit.MILLISECONDS);
                timerAt = at;
            } catch (RejectedExecutionException e) {
                timer = null; // shutting down
            }
        }

        private void scheduleNext() {
            pending.stream().filter(p -> !p.inFlight).map(p -> p.nextAttempt).min(Comparator.naturalOrder())
                    .ifPresent(this::scheduleAt);
        }

        /** Sends one message of due notifications (one message in flight per outbound message at a time). */
        private void pump() {
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                timer = null;
                if (closed || stopped || sending) {
                    return;
                }
                Instant now = clock.instant();
                dropExpired(now);
                // the executor's timer and the wall clock may disagree by a hair
                Instant horizon = now.plusMillis(1);
                for (Pending p : pending) {
                    if (!p.inFlight && !p.nextAttempt.isAfter(horizon)) {
                        batch.add(p);
                        if (batch.size() == MAX_NOTIFICATIONS_PER_MESSAGE) {
                            break;
                        }
                    }
                }
                if (batch.isEmpty()) {
                    scheduleNext();
                    return;
                }
                sending = true;
                batch.forEach(p -> p.inFlight = true);
            }
            Outcome outcome;
            try {
                outcome = send(batch);
            } catch (RuntimeException e) {
                LOG.warn("Outbound message {} ({}) could not be sent", message.name(), message.id(), e);
                outcome = new Outcome(false, "sandbox error: " + e, null);
            }
            finish(batch, outcome);
        }

        private synchronized void finish(List<Pending> batch, Outcome outcome) {
            sending = false;
            if (closed) {
                return;
            }
            messagesSent++;
            Instant now = clock.instant();
            if (outcome.acknowledged()) {
                pending.removeAll(batch);
                delivered += batch.size();
            } else {
                for (Pending p : batch) {
                    p.inFlight = false;
                    p.attempts++;
                    p.lastError = outcome.error();
                    p.lastStatusCode = outcome.statusCode();
                    p.lastAttemptDate = now;
                    p.nextAttempt = now.plus(backoff(p.attempts));
                }
                LOG.debug("Outbound message {} ({}) to {} not acknowledged ({}); {} notifications retried",
                        message.name(), message.id(), message.endpointUrl(), outcome.error(), batch.size());
            }
            scheduleNext();
        }

        private void dropExpired(Instant now) {
            Duration giveUpAfter = properties.outboundGiveUpAfter();
            int before = pending.size();
            pending.removeIf(p -> !p.inFlight && !now.isBefore(p.queuedDate.plus(giveUpAfter)));
            int gone = before - pending.size();
            if (gone > 0) {
                dropped += gone;
                LOG.warn("Outbound message {} ({}): {} notifications dropped after {} undelivered",
                        message.name(), message.id(), gone, giveUpAfter);
            }
        }

        private synchronized String sessionId() {
            if (sessionId == null || tokens.orgOfAccessToken(sessionId) == null) {
                sessionId = tokens.issueAccessToken(message.org(), null);
            }
            return sessionId;
        }

        /** Builds the message from the records as they are now and POSTs it; runs outside the queue's lock. */
        private Outcome send(List<Pending> batch) {
            SandboxOrg org = message.org();
            List<OutboundEnvelope.Item> items = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                SandboxRecord record = org.get(message.object(), p.recordId);
                items.add(new OutboundEnvelope.Item(p.id, p.recordId,
                        record == null || record.isDeleted() ? null : record));
            }
            String xml = OutboundEnvelope.build(message, message.includeSessionId() ? sessionId() : null, items);
            HttpRequest request = HttpRequest.newBuilder(message.endpointUrl())
                    .timeout(properties.outboundTimeout())
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .header("SOAPAction", "\"\"")
                    .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8))
                    .build();
            try {
                HttpResponse<InputStream> response = http().send(request, HttpResponse.BodyHandlers.ofInputStream());
                byte[] body;
                try (InputStream in = response.body()) {
                    body = in.readNBytes(MAX_RESPONSE_BYTES);
                }
                int status = response.statusCode();
                if (status != 200) {
                    return new Outcome(false, "HTTP " + status, status);
                }
                return switch (OutboundEnvelope.acknowledgement(body)) {
                    case TRUE -> new Outcome(true, null, status);
                    case FALSE -> new Outcome(false, "Ack false", status);
                    case MISSING -> new Outcome(false, "no Ack in the response", status);
                    case NOT_XML -> new Outcome(false, "response is not XML", status);
                };
            } catch (HttpTimeoutException e) {
                return new Outcome(false, "timed out: " + e.getMessage(), null);
            } catch (IOException e) {
                return new Outcome(false, "connection failed: " + e, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(false, "interrupted", null);
            }
        }
    }
}
