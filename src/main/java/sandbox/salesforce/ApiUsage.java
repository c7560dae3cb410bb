package sandbox.salesforce;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** One org's count of authenticated REST calls for the current UTC day (Salesforce's rolling 24 h, simplified). */
final class ApiUsage {

    private final Clock clock;
    private LocalDate day;
    private long used;

    ApiUsage(Clock clock) {
        this.clock = clock;
    }

    /** Counts one call and returns the calls made today, including it. */
    synchronized long count() {
        rollOver();
        return ++used;
    }

    synchronized long used() {
        rollOver();
        return used;
    }

    private void rollOver() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!today.equals(day)) {
            day = today;
            used = 0;
        }
    }
}
