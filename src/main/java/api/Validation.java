package api;

import java.util.Set;

import hub.InvalidInputException;
import store.WireValue;

/** Field checks shared by the controllers; each failure is a 400 naming the field. */
final class Validation {

    private Validation() {
    }

    static String requiredText(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(field, "required");
        }
        String trimmed = value.trim();
        if (trimmed.length() > maxLength) {
            throw ApiException.badRequest(field, "at most " + maxLength + " characters");
        }
        return trimmed;
    }

    static String optionalText(String field, String value, int maxLength) {
        return value == null ? null : requiredText(field, value, maxLength);
    }

    static String oneOf(String field, String value, Set<String> allowed, String defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        if (!allowed.contains(value)) {
            throw ApiException.badRequest(field, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    /** The status spelled {@code value} (null when absent); an unknown spelling is a 400 naming the field and the allowed ones. */
    static <E extends Enum<E> & WireValue> E status(String field, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        try {
            return WireValue.parse(type, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "must be one of " + String.join(", ", WireValue.values(type).stream().sorted().toList()));
        }
    }
}
