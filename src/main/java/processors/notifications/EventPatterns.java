package processors.notifications;

import java.util.ArrayList;
import java.util.List;

import hub.InvalidInputException;
import processors.events.EventCatalog;

/**
 * A rule's event types: exact types of the catalog, a family with a wildcard ({@code sync.*}), or {@code *} for all.
 * A pattern that matches no type of the catalog is refused, naming the field.
 */
public final class EventPatterns {

    private EventPatterns() {
    }

    public static boolean matches(List<String> patterns, String type) {
        for (String p : patterns) {
            if (p.equals("*") || p.equals(type) || (p.endsWith(".*") && type.startsWith(p.substring(0, p.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** The patterns, each checked against the catalog. */
    public static List<String> validate(String field, List<String> patterns, EventCatalog catalog) {
        if (patterns == null || patterns.isEmpty()) {
            throw new InvalidInputException(field, "must list at least one event type (such as sync.* or integration.auth_failed)");
        }
        List<String> checked = new ArrayList<>();
        for (String p : patterns) {
            String pattern = p == null ? "" : p.trim();
            if (pattern.isEmpty() || pattern.length() > 64 || !pattern.matches("\\*|[a-z_]+(\\.[a-z_]+)*(\\.\\*)?")) {
                throw new InvalidInputException(field, "'" + shorten(pattern) + "' is not an event type or a pattern such as sync.*");
            }
            boolean known = catalog.all().stream().anyMatch(t -> matches(List.of(pattern), t.type()));
            if (!known) {
                throw new InvalidInputException(field, "unknown event type '" + pattern + "' (GET /api/event-types lists them)");
            }
            checked.add(pattern);
        }
        return checked;
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
