package providers.webhooks;

import java.util.Locale;

/** Builds hub event types from provider names so they always satisfy the subscription pattern syntax. */
public final class EventTypes {

    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String DELETED = "deleted";

    public static final String COMPANY = "company";
    public static final String CONTACT = "contact";
    public static final String OPPORTUNITY = "opportunity";
    public static final String NOTE = "note";
    public static final String DOCUMENT = "document";

    private EventTypes() {
    }

    public static String of(String noun, String verb) {
        return segment(noun) + "." + segment(verb);
    }

    /**
     * One type segment from a provider name: camelCase becomes snake_case, anything outside [a-z0-9_] becomes
     * '_', e.g. "propertyChange" -> "property_change", "My_Object__c" -> "my_object__c".
     */
    static String segment(String name) {
        if (name == null || name.isBlank()) {
            return "unknown";
        }
        StringBuilder out = new StringBuilder(name.length() + 4);
        char previous = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if ((previous >= 'a' && previous <= 'z') || (previous >= '0' && previous <= '9')) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                out.append(c);
            } else {
                out.append('_');
            }
            previous = c;
        }
        String result = trimUnderscores(out.toString());
        return result.isEmpty() ? "unknown" : result.toLowerCase(Locale.ROOT);
    }

    private static String trimUnderscores(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '_') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '_') {
            end--;
        }
        return text.substring(start, end);
    }
}
