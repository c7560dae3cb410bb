package store;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;

import hub.InvalidInputException;

/** Keyset position (timestamp, id) of the last item of a page, opaque to clients. */
public record Cursor(OffsetDateTime at, String id) {

    public String encode() {
        String raw = (at == null ? "" : at.toString()) + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            if (bar < 0 || bar == raw.length() - 1) {
                throw new InvalidInputException("cursor", "not a cursor this hub issued");
            }
            OffsetDateTime at = bar == 0 ? null : OffsetDateTime.parse(raw.substring(0, bar));
            return new Cursor(at, raw.substring(bar + 1));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidInputException("cursor", "not a cursor this hub issued");
        }
    }

    /** Validated page size: default when absent, 1..max otherwise. */
    public static int limit(Integer requested, int defaultLimit, int max) {
        if (requested == null) {
            return defaultLimit;
        }
        if (requested < 1 || requested > max) {
            throw new InvalidInputException("limit", "must be between 1 and " + max);
        }
        return requested;
    }
}
