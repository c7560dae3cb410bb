package ratelimits;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.springframework.stereotype.Component;

import providers.ProviderResponses;
import providers.RateBudget;
import providers.RateLimitHeaderReader;

/**
 * Reads what a provider's HTTP response says about the provider's rate budget: the provider's own headers through
 * its {@link RateLimitHeaderReader} bean (Salesforce {@code Sforce-Limit-Info}, HubSpot {@code X-HubSpot-RateLimit-*},
 * Dataverse {@code x-ms-ratelimit-*}), and for every provider the common ones:
 * <ul>
 *   <li>GitHub, Zoom and many others: {@code X-RateLimit-Limit}, {@code -Remaining}, {@code -Used},
 *       {@code -Reset} (epoch seconds, or seconds from now when small).</li>
 *   <li>{@code Retry-After} (seconds or HTTP-date): Notion, Slack, Microsoft Graph, Gong, Dataverse, GitHub, Zoom.</li>
 * </ul>
 *
 * <p>When several budgets are reported, the one with the smallest remaining fraction wins. A response is
 * "refused" on 429, 529 (Notion service_overload), 503, and on a rate-limit 403 (GitHub: remaining 0 or a
 * Retry-After). Bad header values never throw; they are treated as absent.
 */
@Component
public class ProviderRateHeaders {

    /** Reset values at or above this are epoch seconds; below it, seconds from now. */
    private static final long EPOCH_SECONDS_THRESHOLD = 1_000_000_000L;

    private final Map<String, RateLimitHeaderReader> readers = new HashMap<>();

    public ProviderRateHeaders(List<RateLimitHeaderReader> readers) {
        for (RateLimitHeaderReader reader : readers) {
            RateLimitHeaderReader before = this.readers.put(reader.providerId(), reader);
            if (before != null) {
                throw new IllegalStateException("two rate-limit header readers for " + reader.providerId() + ": "
                        + before.getClass().getName() + ", " + reader.getClass().getName());
            }
        }
    }

    /**
     * Reads the response's rate-limit headers.
     *
     * @param providerId whose response it is: its own headers are read beside the common ones
     * @param header case-insensitive lookup of one header value (null when absent)
     */
    public RateSignal read(String providerId, int status, Function<String, String> header, Instant now) {
        Function<String, String> lookup = header == null ? name -> null : header;

        List<RateBudget> budgets = new ArrayList<>();
        RateLimitHeaderReader own = providerId == null ? null : readers.get(providerId);
        if (own != null) {
            addIfPresent(budgets, own.read(lookup, now));
        }
        addIfPresent(budgets, xRateLimit(lookup, now));

        RateBudget chosen = RateBudget.tightest(budgets);
        Duration retryAfter = ProviderResponses.retryAfter(lookup.apply("Retry-After"), now);
        boolean refused = refused(status, budgets, retryAfter);

        if (chosen == null) {
            return new RateSignal(null, null, null, retryAfter, refused);
        }
        return new RateSignal(chosen.limit(), chosen.remaining(), chosen.resetAt(), retryAfter, refused);
    }

    /** The same from a map whose keys may be in any case. */
    public RateSignal read(String providerId, int status, Map<String, String> headers, Instant now) {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name != null) {
                    byName.put(name, value);
                }
            });
        }
        return read(providerId, status, byName::get, now);
    }

    // ---- X-RateLimit-* (GitHub, Zoom, …) ---------------------------------------------------------

    private static RateBudget xRateLimit(Function<String, String> header, Instant now) {
        Long limit = RateBudget.count(header.apply("X-RateLimit-Limit"));
        Long remaining = RateBudget.count(header.apply("X-RateLimit-Remaining"));
        Long used = RateBudget.count(header.apply("X-RateLimit-Used"));
        if (remaining == null && limit != null && used != null) {
            remaining = Math.max(0L, limit - used);
        }
        Instant resetAt = resetAt(RateBudget.count(header.apply("X-RateLimit-Reset")), now);
        return new RateBudget(limit, remaining, resetAt);
    }

    /** A reset value >= 1e9 is epoch seconds; a smaller one is seconds from now. */
    private static Instant resetAt(Long reset, Instant now) {
        if (reset == null) {
            return null;
        }
        try {
            return reset >= EPOCH_SECONDS_THRESHOLD ? Instant.ofEpochSecond(reset) : now.plusSeconds(reset);
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    // ---- Retry-After and refusal -----------------------------------------------------------------

    private static boolean refused(int status, List<RateBudget> budgets, Duration retryAfter) {
        if (status == 429 || status == 503 || status == 529) {
            return true;
        }
        if (status == 403) {
            boolean exhausted = budgets.stream().anyMatch(b -> b.remaining() != null && b.remaining() == 0L);
            return exhausted || retryAfter != null;
        }
        return false;
    }

    // ---- Helpers ---------------------------------------------------------------------------------

    private static void addIfPresent(List<RateBudget> budgets, RateBudget budget) {
        if (budget != null && !budget.isEmpty()) {
            budgets.add(budget);
        }
    }

    /** Digits with at most one '.', digits on both sides when present (e.g. "120", "1.5"). */
}
