package processors.outgoing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The retry schedule as shipped (application.properties), on a fixed clock. */
class RetryScheduleTest {

    private static final String SHIPPED = "5s,5m,30m,2h,5h,10h,14h,20h,24h";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void tenAttemptsOverAboutSeventyFiveHoursAtLeastAsLongAsTheSpecificationsExample() {
        RetrySchedule schedule = new RetrySchedule(SHIPPED, 0.2);
        assertThat(schedule.maxAttempts()).isEqualTo(10);
        // the Standard Webhooks example: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
        Duration[] example = {Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
                Duration.ofHours(10), Duration.ofHours(10)};
        OffsetDateTime at = T0;
        OffsetDateTime exampleAt = T0;
        for (int attempt = 1; attempt < schedule.maxAttempts(); attempt++) {
            OffsetDateTime next = schedule.next(attempt, at, () -> 0.0).orElseThrow();
            if (attempt <= example.length) {
                exampleAt = exampleAt.plus(example[attempt - 1]);
                assertThat(next).as("attempt %d no sooner than the example's", attempt + 1).isAfterOrEqualTo(exampleAt);
            }
            at = next;
        }
        assertThat(Duration.between(T0, at)).isBetween(Duration.ofHours(72), Duration.ofHours(78));
        assertThat(schedule.next(10, at, () -> 0.0)).as("after the 10th attempt the message fails").isEmpty();
    }

    @Test
    void jitterOnlyLengthensAWaitUpToItsShare() {
        RetrySchedule schedule = new RetrySchedule(SHIPPED, 0.2);
        assertThat(schedule.next(2, T0, () -> 0.0)).contains(T0.plusMinutes(5));
        assertThat(schedule.next(2, T0, () -> 0.5)).contains(T0.plusMinutes(5).plusSeconds(30));
        assertThat(schedule.next(2, T0, () -> 0.999999).orElseThrow()).isBefore(T0.plusMinutes(6));
        assertThat(schedule.next(0, T0, () -> 0.0)).isEmpty();
    }
}
