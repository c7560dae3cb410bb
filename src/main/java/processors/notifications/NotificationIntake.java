package processors.notifications;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import hub.Ids;
import store.NotificationChannel;
import store.NotificationChannelStore;
import store.NotificationGroup;
import store.NotificationStore;

/**
 * Takes one event of the stream (a CloudEvent from the events topic) into the notification groups of every channel
 * whose rule it passes: the tenant's channels and the hub-wide ones, enabled and healthy, matching its type, at or above
 * the minimum severity, for one of the listed integrations (or any). The group key is (tenant, integration, category,
 * the type's first part); a new group's message is due after the channel's group wait, a group that sent one waits for
 * its group interval, and a group without events for the repeat interval starts anew. A critical event brings a group's
 * message forward to the group wait. Each event counts once (its id is recorded in the same transaction).
 */
@Component
public class NotificationIntake {

    static final int MAX_EXAMPLES = 3;
    static final int MAX_TYPES = 20;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final NotificationStore store;
    private final NotificationChannelStore channels;
    private final NotificationTemplates templates;
    private final NotificationClock clock;
    private final ObjectMapper json;
    private final TransactionTemplate transaction;

    public NotificationIntake(NotificationStore store, NotificationChannelStore channels, NotificationTemplates templates, NotificationClock clock,
                              ObjectMapper json, PlatformTransactionManager transactionManager) {
        this.store = store;
        this.channels = channels;
        this.templates = templates;
        this.clock = clock;
        this.json = json;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** Takes a CloudEvent's JSON text (as the events relay publishes it). */
    public void take(String cloudEvent) {
        JsonNode event;
        try {
            event = json.readTree(cloudEvent);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a CloudEvent: " + e.getOriginalMessage());
        }
        String source = event.path("source").asText("");
        String tenantId = source.startsWith("/tenants/") ? source.substring("/tenants/".length()) : null;
        Map<String, Object> data = event.path("data").isObject() ? json.convertValue(event.path("data"), MAP) : Map.of();
        take(event.path("id").asText(), tenantId, event.path("type").asText(), event.path("time").asText(null), data);
    }

    /** Takes one event into the groups of the channels its rules let it reach. */
    public void take(String eventId, String tenantId, String type, String occurredAt, Map<String, Object> data) {
        OffsetDateTime now = clock.now();
        Severity severity = Severity.of(type);
        String integrationId = data.get("integrationId") == null ? null : data.get("integrationId").toString();
        transaction.executeWithoutResult(status -> {
            if (!store.takeEvent(eventId, now)) {
                return;
            }
            for (NotificationChannel channel : channels.forEventsOf(tenantId)) {
                if (passes(channel, type, severity, integrationId)) {
                    String example = templates.example(templates.of(channel.tenantId(), type), occurredAt == null ? now.toString() : occurredAt,
                            data.containsKey("executionId") ? String.valueOf(data.get("executionId")) : null, data);
                    group(channel, tenantId, integrationId, type, severity, data.get("provider"), example, now);
                }
            }
        });
    }

    static boolean passes(NotificationChannel channel, String type, Severity severity, String integrationId) {
        return channel.healthy() && EventPatterns.matches(channel.eventTypes(), type)
                && severity.atLeast(Severity.parse("minSeverity", channel.minSeverity()))
                && (channel.integrations().isEmpty() || channel.integrations().contains(integrationId));
    }

    public static String category(String type) {
        int dot = type.indexOf('.');
        return dot < 0 ? type : type.substring(0, dot);
    }

    private void group(NotificationChannel channel, String tenantId, String integrationId, String type, Severity severity, Object provider,
                       String example, OffsetDateTime now) {
        String category = category(type);
        String key = (tenantId == null ? "-" : tenantId) + "|" + (integrationId == null ? "-" : integrationId) + "|" + category;
        Duration wait = Duration.ofSeconds(channel.groupWaitSeconds());
        String providerName = provider == null ? null : provider.toString();
        Optional<NotificationGroup> found = store.lockGroup(channel.id(), key);
        if (found.isEmpty()) {
            NotificationGroup fresh = new NotificationGroup(Ids.newId(), channel.id(), tenantId, key, integrationId, category, providerName,
                    severity.value(), 1, 1, List.of(type), List.of(example), now, now, null, now.plus(wait), now);
            if (store.insertGroup(fresh)) {
                return;
            }
            found = store.lockGroup(channel.id(), key);
        }
        NotificationGroup g = found.orElseThrow();
        boolean stale = g.pendingCount() == 0 && g.lastEventAt().plusSeconds(channel.repeatIntervalSeconds()).isBefore(now);
        if (stale) {
            store.updateGroup(new NotificationGroup(g.id(), g.channelId(), g.tenantId(), g.groupKey(), g.integrationId(), g.category(),
                    providerName != null ? providerName : g.provider(), severity.value(), 1, 1, List.of(type), List.of(example), now, now,
                    null, now.plus(wait), now));
            return;
        }
        List<String> types = new ArrayList<>(g.eventTypes());
        if (!types.contains(type) && types.size() < MAX_TYPES) {
            types.add(type);
        }
        List<String> examples = new ArrayList<>(g.examples());
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(example);
        }
        OffsetDateTime flushAt = g.flushAt();
        if (flushAt == null) {
            OffsetDateTime afterInterval = g.lastSentAt() == null ? now.plus(wait) : g.lastSentAt().plusSeconds(channel.groupIntervalSeconds());
            flushAt = afterInterval.isAfter(now) ? afterInterval : now;
        }
        if (severity == Severity.CRITICAL && flushAt.isAfter(now.plus(wait))) {
            flushAt = now.plus(wait);
        }
        Severity groupSeverity = Severity.max(Severity.parse("severity", g.severity()), severity);
        store.updateGroup(new NotificationGroup(g.id(), g.channelId(), g.tenantId(), g.groupKey(), g.integrationId(), g.category(),
                g.provider() != null ? g.provider() : providerName, groupSeverity.value(), g.totalCount() + 1, g.pendingCount() + 1, types,
                examples, g.firstAt(), now, g.lastSentAt(), flushAt, g.pendingCount() == 0 || g.pendingSince() == null ? now : g.pendingSince()));
    }

    /** The values a group's title and text may name. */
    static Map<String, Object> values(NotificationGroup g, String eventType, long count, OffsetDateTime since) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("count", count);
        values.put("eventType", eventType);
        values.put("category", g.category());
        values.put("integrationId", g.integrationId());
        values.put("provider", g.provider());
        values.put("severity", g.severity());
        values.put("since", since.withNano(0).toString());
        return values;
    }
}
