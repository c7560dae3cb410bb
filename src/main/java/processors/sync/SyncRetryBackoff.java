package processors.sync;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The sync's retry spacing ({@code hub.sync.retry.*}), as the error policy's exponential redelivery applies it: the
 * delay before retry {@code n} is the initial delay times the multiplier to the power {@code n - 1}, capped at the
 * maximum. The run's timeline reports the delays with it, and a run the database failed under waits by it.
 */
@Component
public class SyncRetryBackoff {

    private final long initialDelayMs;
    private final double multiplier;
    private final long maxDelayMs;

    public SyncRetryBackoff(@Value("${hub.sync.retry.initial-delay-ms}") long initialDelayMs,
                            @Value("${hub.sync.retry.multiplier}") double multiplier,
                            @Value("${hub.sync.retry.max-delay-ms}") long maxDelayMs) {
        this.initialDelayMs = Math.max(1, initialDelayMs);
        this.multiplier = Math.max(1, multiplier);
        this.maxDelayMs = Math.max(this.initialDelayMs, maxDelayMs);
    }

    /** The wait before retry {@code attempt} (1 for the first). */
    public long delayMs(int attempt) {
        return Math.min(maxDelayMs, Math.round(initialDelayMs * Math.pow(multiplier, Math.max(0, attempt - 1))));
    }
}
