package sandbox.dynamics365;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import sandbox.kit.RateWindow;

/**
 * One user's service protection in one org: the requests let through in the sliding window (the sandbox enforces
 * the request count, as configured) and the combined execution time of those requests, which Dataverse reports in
 * {@code x-ms-ratelimit-time-remaining-xrm-requests} against its 1,200,000 ms per window.
 */
final class ServiceProtection {

    /** Dataverse's combined execution time per user and window. */
    static final long EXECUTION_BUDGET_MS = 1_200_000;

    private record Execution(Instant at, long millis) {
    }

    private final Clock clock;
    private final RateWindow requests;
    private final Deque<Execution> executions = new ArrayDeque<>();

    ServiceProtection(Clock clock, int limit, Duration window) {
        this.clock = clock;
        this.requests = new RateWindow(clock);
        requests.configure(limit, window);
    }

    RateWindow requests() {
        return requests;
    }

    synchronized void recordExecution(long millis) {
        executions.addLast(new Execution(clock.instant(), Math.max(0, millis)));
    }

    /** What is left of the execution time budget in the current window. */
    synchronized long executionRemainingMillis() {
        Instant cutoff = clock.instant().minus(requests.window());
        while (!executions.isEmpty() && !executions.peekFirst().at().isAfter(cutoff)) {
            executions.removeFirst();
        }
        return Math.max(0, EXECUTION_BUDGET_MS - executions.stream().mapToLong(Execution::millis).sum());
    }
}
