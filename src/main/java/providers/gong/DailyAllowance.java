package providers.gong;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import providers.RateLimitedProviderException;

/**
 * Gong's daily limit (10,000 calls a day per company by default) as this hub instance counts it per integration: the
 * requests made in the last 24 hours (a rolling day, which keeps within a calendar day too). The hub's rate gate holds
 * one window per provider (Gong's 3 a second); this count refuses the request past the day's allowance with the wait
 * until the oldest counted request leaves the day, so the gate pauses the integration and its work waits on its queue.
 * It sees only this instance's requests of this integration: Gong's own 429 with Retry-After covers the rest.
 */
final class DailyAllowance {

    static final Duration DAY = Duration.ofDays(1);

    private final int limit;
    private final Clock clock;
    private final Map<String, Deque<Instant>> made = new ConcurrentHashMap<>();

    DailyAllowance(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /**
     * Counts one request of the integration, or refuses it when the day's allowance is spent (0: no allowance kept).
     *
     * @throws RateLimitedProviderException with the wait until a request leaves the rolling day
     */
    void take(String integrationId) {
        if (limit <= 0 || integrationId == null) {
            return;
        }
        Deque<Instant> requests = made.computeIfAbsent(integrationId, k -> new ArrayDeque<>());
        Instant now = clock.instant();
        synchronized (requests) {
            Instant cutoff = now.minus(DAY);
            while (!requests.isEmpty() && !requests.peekFirst().isAfter(cutoff)) {
                requests.removeFirst();
            }
            if (requests.size() >= limit) {
                Duration wait = Duration.between(now, requests.peekFirst().plus(DAY));
                throw new RateLimitedProviderException("Gong's daily allowance of " + limit + " calls is spent (counted by the hub over"
                        + " the last 24 hours); the next call in " + wait.toSeconds() + " s", 429, wait);
            }
            requests.addLast(now);
        }
    }

    /** Requests counted in the rolling day. */
    int used(String integrationId) {
        Deque<Instant> requests = made.get(integrationId);
        if (requests == null) {
            return 0;
        }
        synchronized (requests) {
            Instant cutoff = clock.instant().minus(DAY);
            return (int) requests.stream().filter(t -> t.isAfter(cutoff)).count();
        }
    }
}
