package sandbox.kit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A sandbox org's (or portal's, or user's) API rate limit: at most {@code limit} calls in any {@code window} (a sliding window over the
 * times of the calls let through), with a count of the calls refused. A limit of 0 is off.
 */
public final class RateWindow {

    /** What one call got: let through or not, and the window as it stands after it. */
    public record Decision(boolean allowed, int limit, int remaining, long resetEpochSecond, long retryAfterSeconds) {
    }

    private final Clock clock;
    private final Deque<Instant> calls = new ArrayDeque<>();
    private int limit;
    private Duration window = Duration.ofSeconds(60);
    private long violations;

    public RateWindow(Clock clock) {
        this.clock = clock;
    }

    /** Sets the limit (0 turns it off and forgets the window's calls) and the window; violations are kept. */
    public synchronized void configure(int limit, Duration window) {
        if (limit < 0) {
            throw new IllegalArgumentException("rate limit must not be negative: " + limit);
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("rate window must be positive: " + window);
        }
        this.limit = limit;
        this.window = window;
        if (limit == 0) {
            calls.clear();
        }
    }

    /** Counts one call: null when the limit is off, else whether it may run (refusals are counted as violations). */
    public synchronized Decision acquire() {
        if (limit == 0) {
            return null;
        }
        Instant now = clock.instant();
        evict(now);
        if (calls.size() < limit) {
            calls.addLast(now);
            return new Decision(true, limit, limit - calls.size(), resetAt(now), 0);
        }
        violations++;
        long retryAfter = Math.max(1, ceilSeconds(Duration.between(now, calls.peekFirst().plus(window))));
        return new Decision(false, limit, 0, resetAt(now), retryAfter);
    }

    public synchronized int limit() {
        return limit;
    }

    public synchronized Duration window() {
        return window;
    }

    /** Calls let through within the current window (0 while the limit is off). */
    public synchronized int used() {
        evict(clock.instant());
        return calls.size();
    }

    /** Calls refused because the limit was reached, since the org was created. */
    public synchronized long violations() {
        return violations;
    }

    private void evict(Instant now) {
        Instant cutoff = now.minus(window);
        while (!calls.isEmpty() && !calls.peekFirst().isAfter(cutoff)) {
            calls.removeFirst();
        }
    }

    /** When the oldest call in the window leaves it, freeing a slot (epoch seconds, rounded up). */
    private long resetAt(Instant now) {
        Instant at = calls.isEmpty() ? now : calls.peekFirst().plus(window);
        return at.getEpochSecond() + (at.getNano() > 0 ? 1 : 0);
    }

    private static long ceilSeconds(Duration d) {
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }
}
