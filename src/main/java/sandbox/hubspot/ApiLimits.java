package sandbox.hubspot;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import sandbox.kit.RateWindow;

/**
 * One portal's API limits, as HubSpot's policies name them: the burst limit over a rolling window
 * ({@code TEN_SECONDLY_ROLLING}), the search endpoints' per-second limit ({@code SECONDLY}) and the daily allowance
 * ({@code DAILY}, reset at midnight UTC). The burst and search limits are off (0) unless configured; refused calls
 * are not run and are counted as violations, so tests can assert there were none.
 */
final class ApiLimits {

    /** HubSpot's name of the limit that refused a call, as the 429 body's {@code policyName}. */
    enum Policy { TEN_SECONDLY_ROLLING, SECONDLY, DAILY }

    /** What one call got; {@code refused} is null when it may run. */
    record Outcome(RateWindow.Decision burst, RateWindow.Decision search, int dailyLimit, long dailyRemaining,
            Policy refused, long retryAfterSeconds) {
    }

    private final Clock clock;
    private final RateWindow burst;
    private final RateWindow search;
    private int dailyLimit;
    private long dailyUsed;
    private LocalDate day;
    private long dailyViolations;

    ApiLimits(Clock clock, int burstLimit, Duration burstWindow, int searchLimit, int dailyLimit) {
        this.clock = clock;
        this.burst = new RateWindow(clock);
        this.search = new RateWindow(clock);
        this.burst.configure(burstLimit, burstWindow);
        this.search.configure(searchLimit, Duration.ofSeconds(1));
        this.dailyLimit = dailyLimit;
        this.day = today();
    }

    /** Counts one API call ({@code searchCall}: one of the search endpoints) against the limits. */
    synchronized Outcome acquire(boolean searchCall) {
        rollDay();
        if (dailyUsed >= dailyLimit) {
            dailyViolations++;
            long untilMidnight = Duration.between(clock.instant(), day.plusDays(1).atStartOfDay(ZoneOffset.UTC)).toSeconds();
            return new Outcome(null, null, dailyLimit, 0, Policy.DAILY, Math.max(1, untilMidnight));
        }
        RateWindow.Decision searchDecision = searchCall ? search.acquire() : null;
        if (searchDecision != null && !searchDecision.allowed()) {
            return new Outcome(null, searchDecision, dailyLimit, dailyLimit - dailyUsed, Policy.SECONDLY,
                    searchDecision.retryAfterSeconds());
        }
        RateWindow.Decision burstDecision = burst.acquire();
        if (burstDecision != null && !burstDecision.allowed()) {
            return new Outcome(burstDecision, searchDecision, dailyLimit, dailyLimit - dailyUsed,
                    Policy.TEN_SECONDLY_ROLLING, burstDecision.retryAfterSeconds());
        }
        dailyUsed++;
        return new Outcome(burstDecision, searchDecision, dailyLimit, dailyLimit - dailyUsed, null, 0);
    }

    /** Changes the limits; null keeps one as it is. */
    synchronized void configure(Integer burstLimit, Duration burstWindow, Integer searchLimit, Integer daily) {
        if (burstLimit != null || burstWindow != null) {
            burst.configure(burstLimit == null ? burst.limit() : burstLimit, burstWindow == null ? burst.window() : burstWindow);
        }
        if (searchLimit != null) {
            search.configure(searchLimit, Duration.ofSeconds(1));
        }
        if (daily != null) {
            dailyLimit = daily;
        }
    }

    synchronized int burstLimit() {
        return burst.limit();
    }

    synchronized Duration burstWindow() {
        return burst.window();
    }

    /** Calls in the burst window now (0 while the burst limit is off). */
    synchronized int burstUsed() {
        return burst.used();
    }

    synchronized int searchLimit() {
        return search.limit();
    }

    synchronized int dailyLimit() {
        return dailyLimit;
    }

    synchronized long dailyUsed() {
        rollDay();
        return dailyUsed;
    }

    /** Calls refused with 429, by policy, since the portal was created. */
    synchronized Map<Policy, Long> violationsByPolicy() {
        Map<Policy, Long> map = new EnumMap<>(Policy.class);
        map.put(Policy.TEN_SECONDLY_ROLLING, burst.violations());
        map.put(Policy.SECONDLY, search.violations());
        map.put(Policy.DAILY, dailyViolations);
        return map;
    }

    synchronized long violations() {
        return burst.violations() + search.violations() + dailyViolations;
    }

    private void rollDay() {
        LocalDate today = today();
        if (!today.equals(day)) {
            day = today;
            dailyUsed = 0;
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
