package providers.webhooks;

import java.time.Duration;
import java.time.Instant;

/** Replay protection: a signed timestamp must lie within the tolerance of now, in either direction. */
public final class TimestampWindow {

    // above this a "seconds" value can only be milliseconds (it would be past the year 5000)
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;

    private TimestampWindow() {
    }

    /** Null when the unix-seconds header is present, numeric and fresh; else the rejection. */
    static Verdict.Rejected checkSeconds(String header, String value, VerificationContext context) {
        Long parsed = parse(value);
        if (parsed == null) {
            return Verdict.Rejected.stale("invalid " + header);
        }
        return check(header, Instant.ofEpochSecond(parsed), context);
    }

    /** Null when the unix-milliseconds header is present, numeric and fresh; else the rejection. */
    public static Verdict.Rejected checkMillis(String header, String value, VerificationContext context) {
        Long parsed = parse(value);
        if (parsed == null) {
            return Verdict.Rejected.stale("invalid " + header);
        }
        return check(header, Instant.ofEpochMilli(parsed), context);
    }

    /** Seconds or milliseconds, told apart by size (for providers that do not document the unit). */
    static Verdict.Rejected checkSecondsOrMillis(String header, String value, VerificationContext context) {
        Long parsed = parse(value);
        if (parsed == null) {
            return Verdict.Rejected.stale("invalid " + header);
        }
        Instant signedAt = parsed >= MILLIS_THRESHOLD ? Instant.ofEpochMilli(parsed) : Instant.ofEpochSecond(parsed);
        return check(header, signedAt, context);
    }

    private static Verdict.Rejected check(String header, Instant signedAt, VerificationContext context) {
        Duration age = Duration.between(signedAt, context.now());
        if (age.compareTo(context.tolerance()) > 0) {
            return Verdict.Rejected.stale(header + " is older than the tolerance");
        }
        if (age.negated().compareTo(context.tolerance()) > 0) {
            return Verdict.Rejected.stale(header + " is in the future beyond the tolerance");
        }
        return null;
    }

    private static Long parse(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.length() > 15) {
            return null;
        }
        for (int i = 0; i < trimmed.length(); i++) {
            if (trimmed.charAt(i) < '0' || trimmed.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(trimmed);
    }
}
