package sandbox.salesforce;

import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import sandbox.kit.WebhookSender;

/**
 * Workflow outbound messaging: the outbound messages defined through the sandbox's setup API, and their delivery
 * queues on the kit's {@link WebhookSender}. A record created or edited through the API queues one notification per
 * outbound message on its object (deletes fire no workflow). Notifications queued within the batch window go out
 * together, at most 100 per SOAP message. A message that is not answered {@code 200} with {@code <Ack>true</Ack>} is
 * retried with exponential backoff and the same notification ids until the notifications are too old.
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
    private static final Logger LOG = LoggerFactory.getLogger(OutboundMessaging.class);

    private final SandboxTokens tokens;
    private final Clock clock;
    private final WebhookSender sender;
    private final Map<String, OrgMessages> byOrgId = new ConcurrentHashMap<>();

    /** One org's outbound messages, in creation order (counter-based ids sort that way), and its id counters. */
    private static final class OrgMessages {
        final AtomicLong messageCounter = new AtomicLong();
        final AtomicLong notificationCounter = new AtomicLong();
        final Map<String, Delivery> byId = new ConcurrentSkipListMap<>();
    }

    /** A queued notification: its id and the record it is about. */
    private record Notification(String id, String recordId) {
    }

    /** A notification waiting for delivery, as the delivery status shows it. */
    record PendingNotification(String id, String recordId, Instant queuedDate, int attempts, Instant nextAttemptDate,
            boolean inFlight, String lastError, Integer lastStatusCode, Instant lastAttemptDate) {
    }

    /** Salesforce's "Outbound Messaging Delivery Status" for one outbound message, plus counters. */
    record DeliveryStatus(OutboundMessage message, long delivered, long dropped, long messagesSent,
            List<PendingNotification> pending) {
    }

    public OutboundMessaging(SalesforceSandboxProperties properties, SandboxTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
        this.sender = new WebhookSender("sandbox-sf-outbound", 4, new WebhookSender.Policy(
                properties.outboundBatchWindow(), MAX_NOTIFICATIONS_PER_MESSAGE, MAX_PENDING,
                properties.outboundRetryInitial(), properties.outboundRetryMax(), 0, properties.outboundGiveUpAfter(),
                properties.outboundTimeout(), properties.outboundAllowedHosts(),
                "hub.sandbox.salesforce.outbound-allowed-hosts"), clock);
    }

    // ------------------------------------------------------------------ setup

    /**
     * The endpoint URL a setup request names, when this sandbox (served on {@code ownPort}) may send to it.
     *
     * @throws sandbox.kit.WebhookDestinations.Refused otherwise
     */
    URI destination(String endpointUrl, int ownPort) {
        return sender.destination(endpointUrl, ownPort);
    }

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
            messages.byId.put(id, new Delivery(message));
            return message;
        }
    }

    List<OutboundMessage> list(SandboxOrg org) {
        OrgMessages messages = byOrgId.get(org.orgId());
        return messages == null ? List.of() : messages.byId.values().stream().map(d -> d.message).toList();
    }

    Optional<OutboundMessage> find(SandboxOrg org, String id) {
        return delivery(org, id).map(d -> d.message);
    }

    /** Deletes an outbound message and drops its pending notifications; false when there is none. */
    boolean remove(SandboxOrg org, String id) {
        OrgMessages messages = byOrgId.get(org.orgId());
        Delivery delivery = messages == null || id == null ? null : messages.byId.remove(id);
        if (delivery == null) {
            return false;
        }
        delivery.queue.close();
        return true;
    }

    Optional<DeliveryStatus> deliveryStatus(SandboxOrg org, String id) {
        return delivery(org, id).map(Delivery::status);
    }

    private Optional<Delivery> delivery(SandboxOrg org, String id) {
        OrgMessages messages = byOrgId.get(org.orgId());
        return Optional.ofNullable(messages == null || id == null ? null : messages.byId.get(id));
    }

    // ------------------------------------------------------------------ the workflow rule

    /** Queues a notification for every outbound message of the org on the record's object. */
    @Override
    public void recordChanged(String orgId, String type, String changeType, Map<String, Object> record) {
        if (sender.stopped() || !(changeType.equals("created") || changeType.equals("updated"))) {
            return;
        }
        OrgMessages messages = byOrgId.get(orgId);
        if (messages == null) {
            return;
        }
        for (Delivery delivery : messages.byId.values()) {
            if (delivery.message.object().name().equals(type)) {
                String notificationId = SalesforceIds.of("04l", delivery.message.org().code(),
                        messages.notificationCounter.incrementAndGet());
                delivery.queue.enqueue(new Notification(notificationId, (String) record.get("Id")));
            }
        }
    }

    /** Stops sending with the application context; whatever is still queued is lost (memory only). */
    @PreDestroy
    public void shutdown() {
        int dropped = sender.shutdown();
        if (dropped > 0) {
            LOG.info("Salesforce sandbox outbound messaging stopped; {} undelivered notifications dropped", dropped);
        }
    }

    /** Initial wait, doubled per failed attempt, capped. */
    Duration backoff(int failedAttempts) {
        return sender.policy().backoff(failedAttempts);
    }

    /**
     * One outbound message's queue and its wire format: a SOAP {@code notifications} message built from the records
     * as they are when it is sent, acknowledged by {@code 200} with {@code <Ack>true</Ack>}.
     */
    private final class Delivery implements WebhookSender.Format<Notification> {
        final OutboundMessage message;
        final WebhookSender.Queue<Notification> queue;
        private String sessionId;

        Delivery(OutboundMessage message) {
            this.message = message;
            this.queue = sender.open("outbound message " + message.name() + " (" + message.id() + ")",
                    message.endpointUrl(), this);
        }

        DeliveryStatus status() {
            WebhookSender.Status<Notification> status = queue.status();
            List<PendingNotification> pending = status.pending().stream()
                    .map(p -> new PendingNotification(p.item().id(), p.item().recordId(), p.queuedAt(), p.attempts(),
                            p.nextAttemptAt(), p.inFlight(), p.lastError(), p.lastStatusCode(), p.lastAttemptAt()))
                    .toList();
            return new DeliveryStatus(message, status.delivered(), status.dropped(), status.requests(), pending);
        }

        @Override
        public byte[] body(List<WebhookSender.Attempt<Notification>> batch) {
            SandboxOrg org = message.org();
            List<OutboundEnvelope.Item> items = new ArrayList<>(batch.size());
            for (WebhookSender.Attempt<Notification> attempt : batch) {
                Notification n = attempt.item();
                SandboxRecord record = org.get(message.object(), n.recordId());
                items.add(new OutboundEnvelope.Item(n.id(), n.recordId(),
                        record == null || record.isDeleted() ? null : record));
            }
            String xml = OutboundEnvelope.build(message, message.includeSessionId() ? sessionId() : null, items);
            return xml.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Map<String, String> headers(URI url, byte[] body, Instant sentAt) {
            return Map.of("Content-Type", "text/xml; charset=utf-8", "SOAPAction", "\"\"");
        }

        @Override
        public String refusal(int status, byte[] body) {
            if (status != 200) {
                return "HTTP " + status;
            }
            return switch (OutboundEnvelope.acknowledgement(body)) {
                case TRUE -> null;
                case FALSE -> "Ack false";
                case MISSING -> "no Ack in the response";
                case NOT_XML -> "response is not XML";
            };
        }

        private synchronized String sessionId() {
            if (sessionId == null || tokens.orgOfAccessToken(sessionId) == null) {
                sessionId = tokens.issueAccessToken(message.org(), null);
            }
            return sessionId;
        }
    }
}
