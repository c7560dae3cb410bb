package processors.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import hub.InvalidInputException;


class SchedulesTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 2, 10, 7, 30, 0, ZoneOffset.UTC);

    @Test
    void intervalsRunThatLongAfterTheLastRun() {
        assertThat(Schedules.next("f", "15m", T0)).isEqualTo(T0.plusMinutes(15));
        assertThat(Schedules.next("f", "1h", T0)).isEqualTo(T0.plusHours(1));
        assertThat(Schedules.next("f", "daily", T0)).isEqualTo(T0.plusDays(1));
    }

    @Test
    void quartzAndUnixCronBothWork() {
        assertThat(Schedules.next("f", "0 0/15 * * * ?", T0)).isEqualTo(T0.withMinute(15).withSecond(0));
        assertThat(Schedules.next("f", "*/15 * * * *", T0)).isEqualTo(T0.withMinute(15).withSecond(0));
        assertThat(Schedules.next("f", "30 2 * * 1", T0)).isEqualTo(OffsetDateTime.of(2026, 3, 9, 2, 30, 0, 0, ZoneOffset.UTC));
    }

    @Test
    void schedulesMoreFrequentThanTheMinimumAreRefusedNamingTheField() {
        assertThatThrownBy(() -> Schedules.validate("syncFrequency", "* * * * *", Duration.ofMinutes(5)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("syncFrequency").hasMessageContaining("minimum interval of 5m");
        assertThatThrownBy(() -> Schedules.validate("schedule", "1m", Duration.ofMinutes(5))).isInstanceOf(InvalidInputException.class);
        Schedules.validate("schedule", "*/5 * * * *", Duration.ofMinutes(5));
    }

    @Test
    void malformedExpressionsAreRefused() {
        assertThatThrownBy(() -> Schedules.validate("schedule", "every tuesday", Duration.ZERO)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a cron expression");
        assertThatThrownBy(() -> Schedules.validate("schedule", "0 61 * * * ?", Duration.ZERO)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("invalid cron expression");
        assertThatThrownBy(() -> Schedules.validate("schedule", "0m", Duration.ofMinutes(5))).isInstanceOf(InvalidInputException.class);
    }
}
