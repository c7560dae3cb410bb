package providers.gong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import hub.MutableClock;
import providers.RateLimitedProviderException;

/** The hub's count of Gong's daily allowance: the request past it is refused with the wait until one leaves the day. */
class DailyAllowanceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T23:00:00Z"));

    @Test
    void theRequestPastTheAllowanceWaitsUntilTheOldestLeavesTheRollingDay() {
        DailyAllowance allowance = new DailyAllowance(3, clock);
        allowance.take("i1");
        clock.advance(Duration.ofHours(2)); // past midnight UTC: a rolling day, not the calendar's
        allowance.take("i1");
        allowance.take("i1");
        allowance.take("i2"); // each integration its own count
        assertThat(allowance.used("i1")).isEqualTo(3);
        assertThatThrownBy(() -> allowance.take("i1")).isInstanceOfSatisfying(RateLimitedProviderException.class, e -> {
            assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(22));
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.getMessage()).contains("daily allowance of 3 calls is spent");
        });
        assertThat(allowance.used("i1")).as("a refusal is not counted").isEqualTo(3);
        clock.advance(Duration.ofHours(22));
        allowance.take("i1");
        assertThat(allowance.used("i1")).isEqualTo(3);
    }

    @Test
    void noLimitKeepsNoCount() {
        DailyAllowance off = new DailyAllowance(0, clock);
        for (int i = 0; i < 5; i++) {
            off.take("i1");
        }
        assertThat(off.used("i1")).isZero();
    }
}
