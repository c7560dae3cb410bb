package processors.notifications;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import hub.Ids;
import store.Notification;
import store.NotificationChannel;
import store.NotificationChannelStore;
import store.NotificationGroup;
import store.NotificationStore;

/**
 * Turns each group whose message is due into one message (counts, the first examples, a link) on the delivery queue of
 * its channel, and empties the group. In the channel's quiet hours a group below critical waits until they end,
 * gathering what comes meanwhile into that one message; a circuit open for {@code circuit-critical-after} is critical
 * and goes then. Each group under its row lock: instances flushing at once make one message.
 */
@Component
public class GroupFlush {

    private static final TypeReference<java.util.Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final NotificationStore store;
    private final NotificationChannelStore channels;
    private final NotificationTemplates templates;
    private final NotificationClock clock;
    private final NotificationSettings settings;
    private final ObjectMapper json;
    private final TransactionTemplate transaction;

    public GroupFlush(NotificationStore store, NotificationChannelStore channels, NotificationTemplates templates, NotificationClock clock,
                      NotificationSettings settings, ObjectMapper json, PlatformTransactionManager transactionManager) {
        this.store = store;
        this.channels = channels;
        this.templates = templates;
        this.clock = clock;
        this.settings = settings;
        this.json = json;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** Flushes the groups due now; returns the messages made. */
    public int flushDue() {
        OffsetDateTime now = clock.now();
        int made = 0;
        for (String id : store.dueGroups(now, settings.batchSize())) {
            Boolean one = transaction.execute(status -> flush(id, now));
            made += Boolean.TRUE.equals(one) ? 1 : 0;
        }
        return made;
    }

    private boolean flush(String id, OffsetDateTime now) {
        Optional<NotificationGroup> locked = store.lockGroup(id);
        if (locked.isEmpty() || locked.get().flushAt() == null || locked.get().flushAt().isAfter(now)) {
            return false;
        }
        NotificationGroup g = locked.get();
        NotificationChannel channel = channels.findById(g.channelId()).orElse(null);
        if (channel == null || g.pendingCount() == 0) {
            store.updateGroup(emptied(g, g.lastSentAt()));
            return false;
        }
        OffsetDateTime criticalAt = circuitCriticalAt(g);
        Severity severity = criticalAt != null && !criticalAt.isAfter(now) ? Severity.CRITICAL : Severity.parse("severity", g.severity());
        QuietHours quiet = QuietHours.parse(channel.quietStart(), channel.quietEnd(), channel.timeZone());
        if (quiet != null && severity != Severity.CRITICAL && quiet.quiet(now.toInstant())) {
            OffsetDateTime end = quiet.endAfter(now.toInstant()).atOffset(java.time.ZoneOffset.UTC);
            if (criticalAt != null && criticalAt.isBefore(end)) {
                // a circuit still open then is critical: it goes at that time, quiet or not
                end = criticalAt;
            }
            store.updateGroup(new NotificationGroup(g.id(), g.channelId(), g.tenantId(), g.groupKey(), g.integrationId(), g.category(),
                    g.provider(), g.severity(), g.totalCount(), g.pendingCount(), g.eventTypes(), g.examples(), g.firstAt(), g.lastEventAt(),
                    g.lastSentAt(), end, g.pendingSince()));
            return false;
        }
        String eventType = g.eventTypes().size() == 1 ? g.eventTypes().get(0) : g.category() + ".*";
        OffsetDateTime since = g.lastSentAt() != null ? g.lastSentAt() : g.firstAt();
        MessageModel model = templates.model(templates.of(channel.tenantId(), g.eventTypes().get(0)), eventType, severity,
                NotificationIntake.values(g, eventType, g.pendingCount(), since), g.examples(), g.pendingCount(), link(g, eventType));
        store.insert(new Notification(Ids.newId(), channel.id(), channel.tenantId(), g.groupKey(), eventType, severity.value(), g.pendingCount(),
                model.title(), json.convertValue(model, MAP), Notification.PENDING, 0, now, null, null, now, null));
        store.updateGroup(emptied(g, now));
        return true;
    }

    /**
     * When an open circuit's group turns critical: {@code circuit-critical-after} after its pending events began, when
     * they opened the circuit and did not close it; null otherwise.
     */
    private OffsetDateTime circuitCriticalAt(NotificationGroup g) {
        if (!g.eventTypes().contains("circuit.opened") || g.eventTypes().contains("circuit.closed") || g.pendingSince() == null) {
            return null;
        }
        return g.pendingSince().plus(settings.circuitCriticalAfter());
    }

    private static NotificationGroup emptied(NotificationGroup g, OffsetDateTime sentAt) {
        return new NotificationGroup(g.id(), g.channelId(), g.tenantId(), g.groupKey(), g.integrationId(), g.category(), g.provider(),
                Severity.INFO.value(), g.totalCount(), 0, List.of(), List.of(), g.firstAt(), g.lastEventAt(), sentAt, null, null);
    }

    /** Where the operator reads every event of the group: the events API of the hub, filtered by type. */
    private String link(NotificationGroup g, String eventType) {
        String base = settings.linkBaseUrl();
        if (base == null || base.isBlank()) {
            return null;
        }
        String type = eventType.endsWith(".*") ? g.eventTypes().get(0) : eventType;
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/events?type=" + type;
    }
}
