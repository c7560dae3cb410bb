package sandbox.hubspot;

import java.time.Clock;
import java.time.Duration;

import sandbox.kit.CallAdmission;

/**
 * A portal's API limits as HubSpot's policies name them, on the kit's {@link CallAdmission}: the burst limit over a
 * rolling window ({@code TEN_SECONDLY_ROLLING}), the search endpoints' per-second limit ({@code SECONDLY}) and the
 * daily allowance ({@code DAILY}, reset at midnight UTC). The burst and search limits are off (0) unless configured;
 * refused calls are not run and are counted as violations, so tests can assert there were none.
 */
final class ApiLimits {

    /** HubSpot's name of the limit that refused a call, as the 429 body's {@code policyName}. */
    enum Policy { TEN_SECONDLY_ROLLING, SECONDLY, DAILY }

    static final String BURST = Policy.TEN_SECONDLY_ROLLING.name();
    static final String SEARCH = Policy.SECONDLY.name();
    private static final Duration SECOND = Duration.ofSeconds(1);

    private ApiLimits() {
    }

    /** A portal's limits as configured, with the configured latency. */
    static CallAdmission admission(HubSpotSandboxProperties properties, Clock clock) {
        return new CallAdmission(clock, properties.latencyMs())
                .window(SEARCH, properties.searchRateLimit(), SECOND)
                .window(BURST, properties.rateLimit(), properties.rateWindow())
                .daily(Policy.DAILY.name(), properties.dailyLimit());
    }

    /** Counts one API call ({@code searchCall}: one of the search endpoints, also under the search limit). */
    static CallAdmission.Admission acquire(CallAdmission limits, boolean searchCall) {
        return searchCall ? limits.admit(SEARCH, BURST) : limits.admit(BURST);
    }

    /** Changes the limits; null keeps one as it is. */
    static void configure(CallAdmission limits, Integer burstLimit, Duration burstWindow, Integer searchLimit,
            Integer daily) {
        limits.configure(BURST, burstLimit, burstWindow);
        if (searchLimit != null) {
            limits.configure(SEARCH, searchLimit, SECOND);
        }
        if (daily != null) {
            limits.daily().configure(daily);
        }
    }
}
