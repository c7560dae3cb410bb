package sandbox.kit;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A daily allowance of API calls, reset at midnight UTC (HubSpot's {@code DAILY} policy, Gong's 10,000 a day; Salesforce's
 * rolling 24 hours, simplified): the calls counted today, the limit, and the calls refused because it was spent. A
 * sandbox that only reports its usage counts calls and never asks for a {@link #refusal()}.
 */
public final class DailyQuota {

    private final Clock clock;
    private int limit;
    private LocalDate day;
    private long used;
    private long violations;

    public DailyQuota(Clock clock, int limit) {
        this.clock = clock;
        this.limit = limit;
        this.day = today();
    }

    /** Counts one call and answers the calls made today, including it. */
    public synchronized long count() {
        rollOver();
        return ++used;
    }

    /**
     * Whether a call must be refused because today's allowance is spent: 0 when it may run, else the seconds until
     * midnight UTC (at least 1), the refusal counted as a violation.
     */
    public synchronized long refusal() {
        rollOver();
        if (used < limit) {
            return 0;
        }
        violations++;
        long untilMidnight = Duration.between(clock.instant(), day.plusDays(1).atStartOfDay(ZoneOffset.UTC)).toSeconds();
        return Math.max(1, untilMidnight);
    }

    public synchronized void configure(int limit) {
        this.limit = limit;
    }

    public synchronized int limit() {
        return limit;
    }

    public synchronized long used() {
        rollOver();
        return used;
    }

    /** What is left of today's allowance (negative once more calls were counted than it allows). */
    public synchronized long remaining() {
        rollOver();
        return limit - used;
    }

    /** Calls refused since the quota was made. */
    public synchronized long violations() {
        return violations;
    }

    private void rollOver() {
        LocalDate today = today();
        if (!today.equals(day)) {
            day = today;
            used = 0;
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
