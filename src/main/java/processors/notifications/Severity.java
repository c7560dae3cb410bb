package processors.notifications;

import java.util.Locale;
import java.util.Map;

import hub.InvalidInputException;

/**
 * How much an event matters to an operator. A rule's minimum severity lets through events at or above it; critical
 * events pass quiet hours.
 */
public enum Severity {
    INFO, WARNING, CRITICAL;

    /** The severity of each event type the hub emits; types not listed are {@link #INFO}. */
    private static final Map<String, Severity> OF_TYPE = Map.ofEntries(
            Map.entry("integration.auth_failed", CRITICAL),
            Map.entry("credential.rotation_overdue", CRITICAL),
            Map.entry("webhook.registration_disabled", CRITICAL),
            Map.entry("sync.failed", WARNING),
            Map.entry("sync.partial", WARNING),
            Map.entry("circuit.opened", WARNING),
            // it ends an opening: a channel that heard the opening hears the end (and its group stops being critical)
            Map.entry("circuit.closed", WARNING),
            Map.entry("credential.rotation_due", WARNING),
            Map.entry("webhook.registration_failing", WARNING),
            Map.entry("deadletter.recorded", WARNING),
            Map.entry("conflict.opened", WARNING),
            Map.entry(NotificationTemplates.CHANNEL_UNHEALTHY, CRITICAL));

    public static Severity of(String eventType) {
        return OF_TYPE.getOrDefault(eventType, INFO);
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity parse(String field, String text) {
        for (Severity s : values()) {
            if (s.value().equals(text)) {
                return s;
            }
        }
        throw new InvalidInputException(field, "must be info, warning or critical");
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    public static Severity max(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
