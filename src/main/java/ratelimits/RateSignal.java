package ratelimits;

import java.time.Duration;
import java.time.Instant;

/** What one provider response says about the provider's rate budget. Any part may be unknown (null). */
public record RateSignal(Long limit, Long remaining, Instant resetAt, Duration retryAfter, boolean refused) {

    /** remaining / limit in [0,1], or null when either is unknown or limit <= 0. */
    public Double remainingFraction() {
        if (limit == null || remaining == null || limit <= 0) {
            return null;
        }
        double fraction = (double) remaining / (double) limit;
        return Math.max(0.0, Math.min(1.0, fraction));
    }

    /**
     * How long the provider asked to wait: retryAfter when given; else, when refused or remaining == 0,
     * the time until resetAt (never negative); else null.
     */
    public Duration waitFor(Instant now) {
        if (retryAfter != null) {
            return retryAfter;
        }
        boolean exhausted = remaining != null && remaining <= 0;
        if ((refused || exhausted) && resetAt != null) {
            Duration untilReset = Duration.between(now, resetAt);
            return untilReset.isNegative() ? Duration.ZERO : untilReset;
        }
        return null;
    }

    /** True when the response said nothing about limits (all fields null and not refused). */
    public boolean empty() {
        return limit == null && remaining == null && resetAt == null && retryAfter == null && !refused;
    }
}
