package processors.notifications;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

import hub.InvalidInputException;
import store.NotificationTemplate;
import store.NotificationTemplateStore;

/**
 * The templates of notifications per event type: a {@code title} and {@code text} for a group's message and an
 * {@code example} line per event shown in it, with {@code {placeholders}}. Built in for each event type (and {@code *} for
 * the rest), replaced per tenant through {@link NotificationTemplateStore}. Group placeholders: {@code count},
 * {@code eventType}, {@code category}, {@code integrationId}, {@code provider}, {@code severity}, {@code since}; example
 * placeholders: the event's top-level data fields, {@code occurredAt}, {@code subject}. A value missing renders as "–".
 */
@Component
public class NotificationTemplates {

    /** The hub's own event: a destination turned unhealthy, told through another channel. */
    public static final String CHANNEL_UNHEALTHY = "notification.channel_unhealthy";
    public static final String TEST = "notification.test";
    public static final String ANY = "*";
    static final int MAX_EXAMPLE = 500;
    static final int MAX_TEXT = 2900;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]{0,63})}");
    private static final Map<String, NotificationTemplate> BUILT_IN = Map.ofEntries(
            Map.entry("sync.failed", new NotificationTemplate(ANY, "Sync failed {count}× on {provider} integration {integrationId}",
                    "Sync runs of integration {integrationId} ({provider}) failed {count} time(s) since {since}.",
                    "{occurredAt} {entity} {mode} run {executionId}: {error}")),
            Map.entry("sync.partial", new NotificationTemplate(ANY, "Sync partly failed {count}× on {provider} integration {integrationId}",
                    "Sync runs of integration {integrationId} ({provider}) left records behind {count} time(s) since {since}.",
                    "{occurredAt} {entity} run {executionId}: {error}")),
            Map.entry("integration.auth_failed", new NotificationTemplate(ANY, "Credentials refused: {provider} integration {integrationId}",
                    "The provider refused the integration's credentials; syncs stop until it is reconnected.",
                    "{occurredAt} {error}")),
            Map.entry("circuit.opened", new NotificationTemplate(ANY, "Circuit open: {provider} integration {integrationId}",
                    "Calls to the provider fail fast after repeated failures ({count} opening(s) since {since}).",
                    "{occurredAt} failure rate {failureRate}%")),
            Map.entry(CHANNEL_UNHEALTHY, new NotificationTemplate(ANY, "Notification channel unhealthy: {channel}",
                    "The destination refused a notification; messages to it stop until it is fixed (PATCH the channel or POST .../test).",
                    "{occurredAt} {reason}")),
            Map.entry(TEST, new NotificationTemplate(ANY, "Test notification from the Castiel Integration Hub",
                    "This channel is set up: notifications will arrive here.", "{occurredAt} {channel}")),
            Map.entry(ANY, new NotificationTemplate(ANY, "{eventType}: {count} event(s) for integration {integrationId}",
                    "{count} {eventType} event(s) since {since}.", "{occurredAt} {subject}")));

    private final NotificationTemplateStore store;
    private final ObjectMapper json;

    public NotificationTemplates(NotificationTemplateStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** The template of the type for the tenant: its own, else its own {@code *}, else the built-in one. */
    public NotificationTemplate of(String tenantId, String eventType) {
        if (tenantId != null) {
            Optional<NotificationTemplate> own = store.find(tenantId, eventType).or(() -> store.find(tenantId, ANY));
            if (own.isPresent()) {
                return own.get();
            }
        }
        return builtIn(eventType);
    }

    public static NotificationTemplate builtIn(String eventType) {
        return BUILT_IN.getOrDefault(eventType, BUILT_IN.get(ANY));
    }

    /**
     * Checks a tenant's template: placeholders well formed, and a message rendered with it (three long examples) within
     * Slack's and the Teams webhook's limits.
     *
     * @throws InvalidInputException naming the field; {@link PlatformLimitException} naming the limit
     */
    public void validate(String eventType, NotificationTemplate template) {
        require("title", template.title(), 150);
        require("text", template.text(), 4000);
        require("example", template.example(), 1000);
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : List.of("count", "eventType", "category", "integrationId", "provider", "severity", "since")) {
            values.put(name, "x".repeat(24));
        }
        String example = fill(template.example(), Map.of());
        List<String> examples = List.of(example, example, example);
        MessageModel model = new MessageModel(eventType, "warning", fill(template.title(), values), fill(template.text(), values),
                List.of(new MessageModel.Fact("Integration", "x".repeat(36))), examples, 1000, "https://hub.example/api/events");
        BlockKitMessage.check("text", BlockKitMessage.render(model));
        AdaptiveCardMessage.check("text", json, AdaptiveCardMessage.render(model));
    }

    private static void require(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required");
        }
        if (value.length() > max) {
            throw new InvalidInputException(field, "is " + value.length() + " characters, longer than " + max);
        }
    }

    /** The text with each placeholder replaced by its value ("–" when none). */
    public static String fill(String text, Map<String, ?> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null || value.toString().isBlank() ? "–" : value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Cuts text to at most {@code max} characters, marking the cut. */
    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** The example line of one event, cut to {@value #MAX_EXAMPLE} characters. */
    public String example(NotificationTemplate template, String occurredAt, String subject, Map<String, Object> data) {
        Map<String, Object> values = new LinkedHashMap<>();
        data.forEach((k, v) -> {
            if (!(v instanceof Map<?, ?>) && !(v instanceof List<?>)) {
                values.put(k, v);
            }
        });
        values.put("occurredAt", occurredAt);
        values.put("subject", subject);
        return cut(fill(template.example(), values), MAX_EXAMPLE);
    }

    /** A group's message model with its template. */
    public MessageModel model(NotificationTemplate template, String eventType, Severity severity, Map<String, Object> groupValues, List<String> examples,
                              long count, String link) {
        List<MessageModel.Fact> facts = new ArrayList<>();
        for (String name : List.of("integrationId", "provider")) {
            Object value = groupValues.get(name);
            if (value != null) {
                facts.add(new MessageModel.Fact(name.equals("provider") ? "Provider" : "Integration", value.toString()));
            }
        }
        facts.add(new MessageModel.Fact("Events", Long.toString(count)));
        return new MessageModel(eventType, severity.value(), cut(fill(template.title(), groupValues), BlockKitMessage.MAX_HEADER_TEXT),
                cut(fill(template.text(), groupValues), MAX_TEXT), facts, examples, count, link);
    }
}
