package providers;

import java.time.Duration;

/**
 * A provider call the hub did not make, or that the provider refused for volume and asked to wait
 * for: the work waits {@link #retryAfter()} and is then tried again. Flows re-queue it with that
 * delivery delay rather than hold a thread, and give it up only after their maximum wait.
 */
public class ThrottledException extends RateLimitedProviderException {

    public ThrottledException(String message, Duration wait) {
        super(message, 0, wait);
    }
}
