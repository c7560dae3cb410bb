package providers.dynamics365;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.springframework.stereotype.Component;

import providers.RateBudget;
import providers.RateLimitHeaderReader;

/**
 * Dataverse service protection: {@code x-ms-ratelimit-burst-remaining-xrm-requests} and
 * {@code x-ms-ratelimit-time-remaining-xrm-requests}, against the limits per user per server per 5-minute sliding
 * window. Documented but unverified (PROVIDERS.md marks them [U]): 6,000 requests and 20 minutes (1,200,000 ms) of
 * combined execution time.
 */
@Component
public class DataverseRateHeaders implements RateLimitHeaderReader {

    private static final long BURST_LIMIT = 6_000L;
    private static final long TIME_LIMIT_MS = 1_200_000L;

    @Override
    public String providerId() {
        return "dynamics365";
    }

    @Override
    public RateBudget read(Function<String, String> header, Instant now) {
        List<RateBudget> budgets = new ArrayList<>();
        Long burstRemaining = RateBudget.count(header.apply("x-ms-ratelimit-burst-remaining-xrm-requests"));
        if (burstRemaining != null) {
            budgets.add(new RateBudget(BURST_LIMIT, burstRemaining, null));
        }
        Long timeRemainingMs = RateBudget.count(header.apply("x-ms-ratelimit-time-remaining-xrm-requests"));
        if (timeRemainingMs != null) {
            budgets.add(new RateBudget(TIME_LIMIT_MS, timeRemainingMs, null));
        }
        return RateBudget.tightest(budgets);
    }
}
