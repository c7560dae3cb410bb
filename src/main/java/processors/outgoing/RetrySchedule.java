package processors.outgoing;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * When a failed message is tried again: after attempt n (1-based) it waits the n-th delay of
 * {@code hub.webhooks-out.retry-delays}, lengthened by a random part of up to {@code retry-jitter} of it (never shortened,
 * so the schedule stays at least as long as the Standard Webhooks example, and endpoints coming back are not hit by every
 * message at once). After the last delay's attempt the message fails.
 */
@Component
public class RetrySchedule {

    private final List<Duration> delays;
    private final double jitter;

    public RetrySchedule(@Value("${hub.webhooks-out.retry-delays}") String delays, @Value("${hub.webhooks-out.retry-jitter}") double jitter) {
        List<Duration> parsed = new ArrayList<>();
        for (String d : delays.split(",")) {
            parsed.add(DurationStyle.detectAndParse(d.trim()));
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("hub.webhooks-out.retry-jitter must be between 0 and 1");
        }
        this.delays = List.copyOf(parsed);
        this.jitter = jitter;
    }

    /** Attempts in all: the first and one after each delay. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    public List<Duration> delays() {
        return delays;
    }

    /** When attempt {@code attemptsMade + 1} is due, {@code random} in [0, 1); empty when {@code attemptsMade} was the last. */
    public Optional<OffsetDateTime> next(int attemptsMade, OffsetDateTime now, DoubleSupplier random) {
        if (attemptsMade < 1 || attemptsMade > delays.size()) {
            return Optional.empty();
        }
        Duration delay = delays.get(attemptsMade - 1);
        long extraMillis = (long) (delay.toMillis() * jitter * random.getAsDouble());
        return Optional.of(now.plus(delay).plusNanos(extraMillis * 1_000_000));
    }
}
