package sandbox.dynamics365;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import sandbox.kit.CallAdmission;

/**
 * One org's service protection, per user (a token's object id): the requests let through in the user's sliding window
 * (the kit's {@link CallAdmission}, which also adds the org's latency) and the combined execution time of those
 * requests, which Dataverse reports in {@code x-ms-ratelimit-time-remaining-xrm-requests} against its 1,200,000 ms per
 * window. A reset of the org keeps it.
 */
final class ServiceProtection {

    /** Dataverse's combined execution time per user and window. */
    static final long EXECUTION_BUDGET_MS = 1_200_000;
    /** The per-user request window. */
    static final String REQUESTS = "requests";

    private record Execution(Instant at, long millis) {
    }

    private final Clock clock;
    private final CallAdmission calls;
    private final Map<String, Deque<Execution>> executions = new ConcurrentHashMap<>();

    ServiceProtection(Clock clock, DynamicsSandboxProperties properties) {
        this.clock = clock;
        this.calls = new CallAdmission(clock, properties.latencyMs())
                .window(REQUESTS, properties.rateLimit(), properties.rateWindow());
    }

    /** The org's request windows, one per user, and its latency. */
    CallAdmission calls() {
        return calls;
    }

    /** Counts one request of the user; when let in, it has waited out the latency. */
    CallAdmission.Admission admit(String user) {
        return calls.admitFor(user, REQUESTS);
    }

    void recordExecution(String user, long millis) {
        Deque<Execution> log = log(user);
        synchronized (log) {
            log.addLast(new Execution(clock.instant(), Math.max(0, millis)));
        }
    }

    /** What is left of the user's execution time budget in the current window. */
    long executionRemainingMillis(String user) {
        Instant cutoff = clock.instant().minus(calls.length(REQUESTS));
        Deque<Execution> log = log(user);
        synchronized (log) {
            while (!log.isEmpty() && !log.peekFirst().at().isAfter(cutoff)) {
                log.removeFirst();
            }
            return Math.max(0, EXECUTION_BUDGET_MS - log.stream().mapToLong(Execution::millis).sum());
        }
    }

    private Deque<Execution> log(String user) {
        return executions.computeIfAbsent(user, u -> new ArrayDeque<>());
    }
}
