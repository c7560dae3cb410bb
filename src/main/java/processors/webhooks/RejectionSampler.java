package processors.webhooks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which refused requests reach the delivery log: the first of each registration and reason in an
 * interval, carrying how many like it were left out since the last one logged. A flood of forgeries then
 * costs a few rows, not one row each.
 */
final class RejectionSampler {

    /** Above this many keys (registrations times reasons) the memory is cleared rather than grown. */
    private static final int MAX_KEYS = 50_000;

    private record Window(long startedAt, long skipped) {
    }

    private final long intervalMillis;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RejectionSampler(Duration interval) {
        this.intervalMillis = Math.max(0, interval.toMillis());
    }

    /** -1 when this refusal is left out of the log; otherwise how many were left out before it. */
    long take(String registrationId, String reason, long nowMillis) {
        if (windows.size() > MAX_KEYS) {
            windows.clear();
        }
        long[] skippedBefore = {-1};
        windows.compute(registrationId + "|" + reason, (key, window) -> {
            if (window == null || nowMillis - window.startedAt() >= intervalMillis) {
                skippedBefore[0] = window == null ? 0 : window.skipped();
                return new Window(nowMillis, 0);
            }
            return new Window(window.startedAt(), window.skipped() + 1);
        });
        return skippedBefore[0];
    }
}
