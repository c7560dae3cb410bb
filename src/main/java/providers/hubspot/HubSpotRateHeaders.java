package providers.hubspot;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.springframework.stereotype.Component;

import providers.RateBudget;
import providers.RateLimitHeaderReader;

/**
 * {@code X-HubSpot-RateLimit-Max}/{@code -Remaining} (+ {@code -Interval-Milliseconds}),
 * {@code -Secondly}/{@code -Secondly-Remaining}, {@code -Daily}/{@code -Daily-Remaining}: the tightest pair.
 */
@Component
public class HubSpotRateHeaders implements RateLimitHeaderReader {

    @Override
    public String providerId() {
        return "hubspot";
    }

    @Override
    public RateBudget read(Function<String, String> header, Instant now) {
        Long intervalMs = RateBudget.count(header.apply("X-HubSpot-RateLimit-Interval-Milliseconds"));
        Long remaining = RateBudget.count(header.apply("X-HubSpot-RateLimit-Remaining"));
        Instant intervalReset = remaining != null && intervalMs != null ? plusMillis(now, intervalMs) : null;
        RateBudget interval = new RateBudget(RateBudget.count(header.apply("X-HubSpot-RateLimit-Max")), remaining, intervalReset);

        Long secondlyRemaining = RateBudget.count(header.apply("X-HubSpot-RateLimit-Secondly-Remaining"));
        RateBudget secondly = new RateBudget(RateBudget.count(header.apply("X-HubSpot-RateLimit-Secondly")), secondlyRemaining,
                secondlyRemaining != null ? now.plusSeconds(1) : null);

        RateBudget daily = new RateBudget(RateBudget.count(header.apply("X-HubSpot-RateLimit-Daily")),
                RateBudget.count(header.apply("X-HubSpot-RateLimit-Daily-Remaining")), null);
        return RateBudget.tightest(List.of(interval, secondly, daily));
    }

    private static Instant plusMillis(Instant now, long millis) {
        try {
            return now.plusMillis(millis);
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }
}
