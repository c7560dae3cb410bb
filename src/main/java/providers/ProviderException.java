package providers;

import java.time.Duration;

/**
 * A provider call that failed, classified so every flow handles it the same way:
 * transient and rate-limited failures are retried, auth and permanent ones are not.
 */
public abstract class ProviderException extends RuntimeException {

    /** CONFLICT: a conditional write found the record changed at the provider (412); re-read and resolve. */
    public enum Kind { TRANSIENT, RATE_LIMITED, AUTH, PERMANENT, CONFLICT }

    private final int status;

    protected ProviderException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public abstract Kind kind();

    /** HTTP status the provider answered with, or 0 when the call did not get an answer. */
    public int status() {
        return status;
    }

    /** How long the provider asked us to wait, when it said. */
    public Duration retryAfter() {
        return null;
    }
}
