package providers;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * Where adapters report each provider response's status and headers (rate-limit budget, Retry-After),
 * for the hub to pace its calls. {@code header} looks a header up by name, case-insensitively; the provider id
 * says whose own rate-limit headers ({@link RateLimitHeaderReader}) to read.
 */
public interface ProviderResponses {

    void received(String providerId, String integrationId, int status, Function<String, String> header);

    /** Whether the status is one of those a caller takes as an answer (a 404 read as "gone"). */
    public static boolean isOneOf(int status, int... statuses) {
        for (int s : statuses) {
            if (s == status) {
                return true;
            }
        }
        return false;
    }

    /** Retry-After: integer or decimal seconds (rounded up to whole ms), or an RFC 1123 HTTP-date; garbage gives null. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (isDecimalNumber(trimmed)) {
            try {
                long millis = new BigDecimal(trimmed).movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
                return Duration.ofMillis(millis);
            } catch (ArithmeticException e) {
                return null;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean isDecimalNumber(String text) {
        int dot = text.indexOf('.');
        if (dot < 0) {
            return RateBudget.digits(text);
        }
        return RateBudget.digits(text.substring(0, dot)) && RateBudget.digits(text.substring(dot + 1));
    }
}
