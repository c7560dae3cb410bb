package providers.webhooks;

import java.util.Collection;

/** Subscription patterns over hub event types: "*", "contact.*" or an exact type. */
public final class EventPatterns {

    private static final int MAX_LENGTH = 200;

    private EventPatterns() {
    }

    /**
     * "*" matches everything, "contact.*" matches "contact.updated" and "contact.note.added", exact strings
     * match themselves.
     */
    public static boolean matches(Collection<String> patterns, String eventType) {
        if (patterns == null || eventType == null) {
            return false;
        }
        for (String pattern : patterns) {
            if (matchesOne(pattern, eventType)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesOne(String pattern, String eventType) {
        if (pattern == null) {
            return false;
        }
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            // keep the dot so "contact.*" does not match "contacts.updated"
            String prefix = pattern.substring(0, pattern.length() - 1);
            return eventType.length() > prefix.length() && eventType.startsWith(prefix);
        }
        return pattern.equals(eventType);
    }

    /**
     * Validates a subscription pattern: lower-case segments [a-z0-9_]+ separated by '.', optionally ending in
     * ".*", or exactly "*".
     *
     * @return the pattern, unchanged
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static String validate(String pattern) {
        String problem = problem(pattern);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return pattern;
    }

    /** True when the type is a valid pattern without a wildcard, i.e. usable as a hub event type. */
    static boolean isExactType(String type) {
        return type != null && !type.endsWith("*") && problem(type) == null;
    }

    private static String problem(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return "an event pattern must not be empty";
        }
        if (pattern.length() > MAX_LENGTH) {
            return "an event pattern must be at most " + MAX_LENGTH + " characters";
        }
        if (pattern.equals("*")) {
            return null;
        }
        String body = pattern.endsWith(".*") ? pattern.substring(0, pattern.length() - 2) : pattern;
        boolean segmentEmpty = true;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '.') {
                if (segmentEmpty) {
                    return "event pattern '" + pattern + "' has an empty segment;"
                            + " use lower-case segments separated by single dots, e.g. contact.updated";
                }
                segmentEmpty = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                segmentEmpty = false;
            } else {
                return "event pattern '" + pattern + "' contains '" + c + "' at position " + (i + 1)
                        + "; segments may only use a-z, 0-9 and '_', and '*' only as the whole pattern"
                        + " or a final '.*'";
            }
        }
        if (segmentEmpty) {
            return "event pattern '" + pattern + "' has an empty segment;"
                    + " use lower-case segments separated by single dots, e.g. contact.updated";
        }
        return null;
    }
}
