package processors.notifications;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import hub.Ids;
import security.CredentialVault;
import store.Notification;
import store.NotificationChannel;
import store.NotificationChannelStore;
import store.NotificationStore;

/**
 * Sends the messages due, each by one instance (claimed), never faster than its destination's platform allows (a send
 * slot per destination in the database, on the system clock: Slack one message a second a channel, the Teams webhook's
 * pace). 429, 408, 5xx and no answer are tried again after the destination's Retry-After (which also holds the
 * destination's next sends) or a doubling backoff, up to {@code max-attempts}; any other answer (a 4xx, a redirect, a
 * Slack error that does not pass) fails the message and marks the destination unhealthy: its pending messages fail, and
 * the owner is told through another healthy channel of theirs when there is one.
 */
@Component
public class NotificationDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationDelivery.class);
    private static final Duration CLAIM = Duration.ofMinutes(2);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final NotificationStore store;
    private final NotificationChannelStore channels;
    private final CredentialVault vault;
    private final Destinations destinations;
    private final NotificationTemplates templates;
    private final NotificationClock clock;
    private final NotificationSettings settings;
    private final ObjectMapper json;
    private final Clock wall = Clock.systemUTC();

    public NotificationDelivery(NotificationStore store, NotificationChannelStore channels, CredentialVault vault, Destinations destinations,
                                NotificationTemplates templates, NotificationClock clock, NotificationSettings settings, ObjectMapper json) {
        this.store = store;
        this.channels = channels;
        this.vault = vault;
        this.destinations = destinations;
        this.templates = templates;
        this.clock = clock;
        this.settings = settings;
        this.json = json;
    }

    /** Sends what is due now; returns the messages sent. */
    public int deliverDue() {
        OffsetDateTime now = clock.now();
        int sent = 0;
        for (String id : store.due(now, settings.batchSize())) {
            Optional<Notification> claimed = store.claim(id, now, now.plus(CLAIM));
            if (claimed.isPresent() && deliver(claimed.get(), now) == DeliveryOutcome.Kind.SENT) {
                sent++;
            }
        }
        return sent;
    }

    /** One attempt of a claimed message; null when the destination's send slot was taken (tried again later). */
    DeliveryOutcome.Kind deliver(Notification n, OffsetDateTime now) {
        NotificationChannel channel = channels.findById(n.channelId()).orElse(null);
        if (channel == null) {
            return null;
        }
        if (!channel.healthy() || !channel.enabled()) {
            String why = channel.enabled() ? "destination unhealthy: " + channel.healthReason() : "channel disabled";
            store.attempted(n.id(), Notification.FAILED, n.nextAttemptAt(), n.lastStatus(), why, null);
            return DeliveryOutcome.Kind.REFUSED;
        }
        DeliveryOutcome outcome = sendPaced(channel, json.convertValue(n.message(), MessageModel.class));
        if (outcome == null) {
            store.release(n.id(), n.nextAttemptAt());
            return null;
        }
        record(channel, n, outcome, now);
        return outcome.kind();
    }

    /** Sends at once when the destination's send slot is free; null when it is not (another send was too recent). */
    public DeliveryOutcome sendPaced(NotificationChannel channel, MessageModel message) {
        OffsetDateTime wallNow = wallNow();
        if (!channels.takeSendSlot(channel.id(), wallNow, wallNow.plus(destinations.minInterval(channel.kind())))) {
            return null;
        }
        Map<String, String> secret = vault.get(channel.secretName()).orElse(Map.of());
        DeliveryOutcome outcome = destinations.send(channel, secret, message);
        // the pace counts again from the send's end: the destination took the message somewhere inside the call, so
        // the next one reaches it at least the interval later whatever this call's latency was (a slot counted from the
        // start only could let two arrive closer than the interval); a Retry-After longer than the interval holds longer
        Duration hold = destinations.minInterval(channel.kind());
        if (outcome.retryAfter() != null && outcome.retryAfter().compareTo(hold) > 0) {
            hold = outcome.retryAfter();
        }
        channels.holdSends(channel.id(), wallNow().plus(hold));
        return outcome;
    }

    /** Stores an attempt's outcome: sent, tried again later, or failed (the destination then unhealthy). */
    void record(NotificationChannel channel, Notification n, DeliveryOutcome outcome, OffsetDateTime now) {
        switch (outcome.kind()) {
            case SENT -> store.attempted(n.id(), Notification.SENT, n.nextAttemptAt(), outcome.status(), null, now);
            case RETRY -> {
                if (n.attempts() + 1 >= settings.maxAttempts()) {
                    store.attempted(n.id(), Notification.FAILED, n.nextAttemptAt(), outcome.status(), outcome.error(), null);
                } else {
                    Duration wait = outcome.retryAfter() != null ? outcome.retryAfter() : backoff(n.attempts());
                    store.attempted(n.id(), Notification.PENDING, now.plus(wait), outcome.status(), outcome.error(), null);
                }
            }
            case REFUSED -> {
                store.attempted(n.id(), Notification.FAILED, n.nextAttemptAt(), outcome.status(), outcome.error(), null);
                unhealthy(channel, outcome.error(), now);
            }
        }
    }

    private Duration backoff(int attempts) {
        Duration wait = settings.retryInitial().multipliedBy(1L << Math.min(attempts, 20));
        return wait.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : wait;
    }

    /** Marks the destination unhealthy; the first time, fails its pending messages and tells the owner through another channel. */
    public void unhealthy(NotificationChannel channel, String reason, OffsetDateTime now) {
        if (!channel.healthy()) {
            return;
        }
        channels.health(channel.id(), NotificationChannel.UNHEALTHY, NotificationTemplates.cut(reason == null ? "refused" : reason, 500), now);
        store.failPending(channel.id(), "destination unhealthy: " + reason);
        LOG.warn("Notification channel {} marked unhealthy: {}", channel.id(), reason);
        List<NotificationChannel> others = channels.list(channel.tenantId()).stream()
                .filter(c -> !c.id().equals(channel.id()) && c.enabled() && c.healthy()).toList();
        if (others.isEmpty()) {
            return;
        }
        NotificationChannel other = others.get(0);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("channel", channel.name() + " (" + channel.id() + ")");
        values.put("reason", reason);
        values.put("occurredAt", now.withNano(0).toString());
        store.insert(message(other, NotificationTemplates.CHANNEL_UNHEALTHY, Severity.CRITICAL, values, now));
    }

    /** A one-off message (not from a group) to a channel, rendered with the owner's template of the type. */
    Notification message(NotificationChannel to, String eventType, Severity severity, Map<String, Object> values, OffsetDateTime now) {
        var template = templates.of(to.tenantId(), eventType);
        MessageModel model = templates.model(template, eventType, severity, values,
                List.of(NotificationTemplates.fill(template.example(), values)), 1, null);
        return new Notification(Ids.newId(), to.id(), to.tenantId(), null, eventType, severity.value(), 1, model.title(),
                json.convertValue(model, MAP), Notification.PENDING, 0, now, null, null, now, null);
    }

    private OffsetDateTime wallNow() {
        return OffsetDateTime.now(wall).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
