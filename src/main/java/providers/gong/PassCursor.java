package providers.gong;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import providers.PermanentProviderException;

/**
 * Where a pass over Gong's calls stands, as the hub keeps it between pages: the {@code fromDateTime} the pass asks with
 * (the same on every page, as Gong's cursor wants), the latest call time seen so far (the next pass's start), and Gong's
 * {@code records.cursor} of the next page.
 */
record PassCursor(String from, String latest, String gongCursor) {

    private static final String NONE = "-";

    /** The first page: from the last pass's latest call time less the look-back, or from Gong's first call. */
    static PassCursor start(String since, Duration lookback) {
        Instant at = GongCalls.instant(since);
        return new PassCursor(at == null ? null : at.minus(lookback).toString(), at == null ? null : at.toString(), null);
    }

    PassCursor next(String gong, String latestSoFar) {
        return new PassCursor(from, latestSoFar, gong);
    }

    /** The later of two ISO instants (either may be null). */
    static String later(String a, String b) {
        Instant x = GongCalls.instant(a);
        Instant y = GongCalls.instant(b);
        if (x == null) {
            return y == null ? null : y.toString();
        }
        return y == null || !y.isAfter(x) ? x.toString() : y.toString();
    }

    String encode() {
        String text = (from == null ? NONE : from) + "|" + (latest == null ? NONE : latest) + "|" + (gongCursor == null ? NONE : gongCursor);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static PassCursor decode(String text) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", 3);
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 3) {
            throw new PermanentProviderException("not a Gong pass cursor of this hub");
        }
        return new PassCursor(value(parts[0]), value(parts[1]), value(parts[2]));
    }

    private static String value(String part) {
        return NONE.equals(part) ? null : part;
    }
}
