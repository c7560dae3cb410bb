package processors.notifications;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.springframework.stereotype.Component;

/**
 * The time notification grouping and quiet hours run on: the system clock, or one a simulation or test moves by hand
 * ({@link #use}) to play ten minutes of events in seconds. Pacing against a platform's rate always runs on the system
 * clock: the platform counts real seconds.
 */
@Component
public class NotificationClock {

    private volatile Clock clock = Clock.systemUTC();

    public OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** Runs grouping on {@code clock} from now on (null: the system clock again). */
    public void use(Clock clock) {
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }
}
