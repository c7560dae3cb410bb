package sandbox.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import hub.MutableClock;

/** Rate windows, the daily allowance, violations and latency, on a hand-moved clock and a recording sleeper. */
class CallAdmissionTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final List<Long> slept = new CopyOnWriteArrayList<>();

    private CallAdmission admission(int latencyMs) {
        return new CallAdmission(clock, latencyMs, slept::add);
    }

    @Test
    void aWindowLetsItsLimitInThenRefusesWithRetryAfterAndCountsTheViolations() {
        CallAdmission calls = admission(0).window("requests", 3, Duration.ofSeconds(10));
        for (int remaining = 2; remaining >= 0; remaining--) {
            CallAdmission.Admission ok = calls.admit("requests");
            assertThat(ok.allowed()).isTrue();
            assertThat(ok.window("requests").remaining()).isEqualTo(remaining);
            clock.advance(Duration.ofSeconds(2));
        }
        CallAdmission.Admission refused = calls.admit("requests");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.refusedBy()).isEqualTo("requests");
        assertThat(refused.retryAfterSeconds()).as("until the first call leaves the window").isEqualTo(4);
        assertThat(calls.violations("requests")).isEqualTo(1);
        assertThat(calls.used("requests")).isEqualTo(3);

        clock.advance(Duration.ofSeconds(4));
        assertThat(calls.admit("requests").allowed()).isTrue();
        assertThat(calls.violations()).isEqualTo(1);
    }

    @Test
    void aWindowThatIsOffLetsEverythingInWithoutADecision() {
        CallAdmission calls = admission(0).window("requests", 0, Duration.ofSeconds(60));
        for (int i = 0; i < 100; i++) {
            CallAdmission.Admission ok = calls.admit("requests");
            assertThat(ok.allowed()).isTrue();
            assertThat(ok.window("requests")).isNull();
        }
        assertThat(calls.violations()).isZero();
    }

    @Test
    void eachCallerHasItsOwnWindowAndAChangeAppliesToCallersNowAndToCome() {
        CallAdmission calls = admission(0).window("requests", 1, Duration.ofMinutes(5));
        assertThat(calls.admitFor("alice", "requests").allowed()).isTrue();
        assertThat(calls.admitFor("alice", "requests").allowed()).isFalse();
        assertThat(calls.admitFor("bob", "requests").allowed()).as("bob's window is his own").isTrue();
        assertThat(calls.used("requests")).isEqualTo(2);

        calls.configure("requests", 2, null);
        assertThat(calls.length("requests")).isEqualTo(Duration.ofMinutes(5));
        assertThat(calls.admitFor("alice", "requests").allowed()).isTrue();
        assertThat(calls.admitFor("carol", "requests").allowed()).isTrue();
        assertThat(calls.admitFor("carol", "requests").allowed()).isTrue();
        assertThat(calls.admitFor("carol", "requests").allowed()).isFalse();
        assertThat(calls.violations("requests")).as("all callers together").isEqualTo(2);

        assertThatThrownBy(() -> calls.configure("requests", -1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> calls.admit("undeclared")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void windowsAreTriedInOrderAndTheFirstRefusalDecides() {
        CallAdmission calls = admission(0).window("search", 1, Duration.ofSeconds(1)).window("burst", 10,
                Duration.ofSeconds(10));
        assertThat(calls.admit("search", "burst").allowed()).isTrue();
        CallAdmission.Admission refused = calls.admit("search", "burst");
        assertThat(refused.refusedBy()).isEqualTo("search");
        assertThat(refused.window("burst")).as("not reached").isNull();
        assertThat(calls.used("burst")).isEqualTo(1);
        assertThat(calls.admit("burst").allowed()).as("a call under the burst window only").isTrue();
    }

    @Test
    void theDailyAllowanceIsCheckedFirstCountedForCallsLetInAndRefusesUntilMidnightUtc() {
        clock.advance(Duration.ofHours(13)); // 23:00
        CallAdmission calls = admission(0).window("burst", 1, Duration.ofSeconds(10)).daily("DAILY", 2);
        assertThat(calls.admit("burst").dailyRemaining()).isEqualTo(1);
        CallAdmission.Admission byBurst = calls.admit("burst");
        assertThat(byBurst.refusedBy()).isEqualTo("burst");
        assertThat(calls.daily().used()).as("a refused call is not counted").isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(calls.admit("burst").dailyRemaining()).isZero();

        CallAdmission.Admission byDay = calls.admit("burst");
        assertThat(byDay.refusedBy()).isEqualTo("DAILY");
        assertThat(byDay.retryAfterSeconds()).isEqualTo(Duration.ofMinutes(60).minusSeconds(10).toSeconds());
        assertThat(byDay.dailyLimit()).isEqualTo(2);
        assertThat(calls.violations("DAILY")).isEqualTo(1);
        assertThat(calls.violations()).isEqualTo(2);

        clock.advance(Duration.ofHours(1)); // the next day
        assertThat(calls.admit("burst").allowed()).isTrue();
        assertThat(calls.daily().used()).isEqualTo(1);
    }

    @Test
    void callsLetInWaitOutTheLatencyRefusedOnesDoNot() {
        CallAdmission calls = admission(150).window("requests", 1, Duration.ofSeconds(60));
        calls.admit("requests");
        calls.admit("requests");
        assertThat(slept).containsExactly(150L);

        calls.overrideLatency(20);
        assertThat(calls.latencyMs()).isEqualTo(20);
        assertThat(calls.configuredLatencyMs()).isEqualTo(150);
        calls.admit();
        calls.overrideLatency(null);
        calls.admit();
        assertThat(slept).containsExactly(150L, 20L, 150L);

        CallAdmission none = admission(0);
        none.admit();
        assertThat(slept).hasSize(3);
    }
}
