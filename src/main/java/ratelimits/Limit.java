package ratelimits;

import java.time.Duration;

import providers.ProviderDescriptor;

/**
 * At most {@code requests} calls in any {@code window}. Checked where limits are set, so a limit that
 * exists is one the hub can enforce: 1 to {@value #MAX_REQUESTS} requests, a window of 1 second to 1 day.
 */
public record Limit(long requests, Duration window) {

    public static final long MAX_REQUESTS = 1_000_000;
    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(1);

    public Limit {
        if (requests < 1 || requests > MAX_REQUESTS) {
            throw new IllegalArgumentException("must be between 1 and " + MAX_REQUESTS + " requests per window, not " + requests);
        }
        if (window == null || window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("window must be between 1 second and 1 day, not " + window);
        }
    }

    /** A provider's default limit, as its catalog entry gives it. */
    public static Limit providerDefault(ProviderDescriptor provider) {
        return new Limit(provider.defaultRateLimit(), provider.defaultRateWindow());
    }

    public static Limit perMinute(long requests) {
        return new Limit(requests, Duration.ofMinutes(1));
    }

    /** The limit scaled by the adaptive multiplier (at least one request per window). */
    public long scaled(double multiplier) {
        return Math.max(1, (long) Math.floor(requests * multiplier));
    }

    @Override
    public String toString() {
        return requests + "/" + window.toSeconds() + "s";
    }
}
