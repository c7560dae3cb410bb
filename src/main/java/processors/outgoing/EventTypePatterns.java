package processors.outgoing;

import java.util.ArrayList;
import java.util.List;

import hub.InvalidInputException;
import processors.events.EventCatalog;

/**
 * The event types an endpoint asks for: catalog types ({@code shard.created}), a family with a wildcard
 * ({@code shard.*}: every type under {@code shard.}) or {@code *} (every type).
 */
public final class EventTypePatterns {

    public static final String ALL = "*";

    private EventTypePatterns() {
    }

    /** The patterns checked against the catalog, in order without repeats; 400 naming {@code field} for one that matches no type. */
    public static List<String> checked(String field, List<String> patterns, EventCatalog catalog) {
        if (patterns == null || patterns.isEmpty()) {
            throw new InvalidInputException(field, "required: one or more event types (GET /api/event-types lists them), e.g. [\"shard.*\"]");
        }
        List<String> checked = new ArrayList<>();
        for (String pattern : patterns) {
            if (pattern == null || pattern.isBlank()) {
                throw new InvalidInputException(field, "an event type is empty");
            }
            String p = pattern.trim();
            if (catalog.all().stream().noneMatch(t -> matches(p, t.type()))) {
                throw new InvalidInputException(field, "no event type " + p + "; GET /api/event-types lists them (a family: shard.*)");
            }
            if (!checked.contains(p)) {
                checked.add(p);
            }
        }
        return checked;
    }

    public static boolean matches(String pattern, String type) {
        if (pattern.equals(ALL) || pattern.equals(type)) {
            return true;
        }
        return pattern.endsWith(".*") && type.startsWith(pattern.substring(0, pattern.length() - 1));
    }

    public static boolean anyMatches(List<String> patterns, String type) {
        return patterns.stream().anyMatch(p -> matches(p, type));
    }
}
