package providers.zoom;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

import org.springframework.stereotype.Component;

import providers.RateBudget;
import providers.RateLimitHeaderReader;

/**
 * Zoom's own reading of its rate-limit headers, beside the common {@code X-RateLimit-Limit}/{@code -Remaining} and
 * seconds-or-HTTP-date {@code Retry-After} the hub reads for every provider: when a daily allowance is spent
 * ({@code X-RateLimit-Type: Daily-limit}), Zoom's {@code Retry-After} is an ISO-8601 instant
 * ({@code 2020-05-31T00:00:00Z}), which is when the budget comes back.
 */
@Component
public class ZoomRateLimitHeaders implements RateLimitHeaderReader {

    @Override
    public String providerId() {
        return ZoomClient.PROVIDER_ID;
    }

    @Override
    public RateBudget read(Function<String, String> header, Instant now) {
        Instant resetAt = isoInstant(header.apply("Retry-After"));
        if (resetAt == null) {
            return null;
        }
        Long limit = RateBudget.count(header.apply("X-RateLimit-Limit"));
        Long remaining = RateBudget.count(header.apply("X-RateLimit-Remaining"));
        return new RateBudget(limit, remaining == null ? 0L : remaining, resetAt.isBefore(now) ? now : resetAt);
    }

    /** An ISO-8601 instant with offset; null for anything else (seconds, an HTTP-date, garbage). */
    static Instant isoInstant(String value) {
        if (value == null || value.isBlank() || !value.contains("T")) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
