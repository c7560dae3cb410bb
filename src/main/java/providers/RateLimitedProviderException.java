package providers;

import java.time.Duration;

/** The provider refused for volume (429, REQUEST_LIMIT_EXCEEDED): retry after its wait. */
public class RateLimitedProviderException extends TransientProviderException {

    private final Duration retryAfter;

    public RateLimitedProviderException(String message, int status, Duration retryAfter) {
        super(message, status, null);
        this.retryAfter = retryAfter;
    }

    @Override
    public Kind kind() {
        return Kind.RATE_LIMITED;
    }

    @Override
    public Duration retryAfter() {
        return retryAfter;
    }
}
