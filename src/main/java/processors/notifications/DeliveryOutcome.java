package processors.notifications;

import java.time.Duration;

/**
 * What one send got: sent; to retry (429, 408, 5xx, no answer), after {@code retryAfter} when the destination said; or
 * refused for good (another 4xx, a redirect, a Slack error that does not pass), which makes the destination unhealthy.
 */
public record DeliveryOutcome(Kind kind, int status, Duration retryAfter, String error) {

    public enum Kind { SENT, RETRY, REFUSED }

    public static DeliveryOutcome sent(int status) {
        return new DeliveryOutcome(Kind.SENT, status, null, null);
    }

    public static DeliveryOutcome retry(int status, Duration retryAfter, String error) {
        return new DeliveryOutcome(Kind.RETRY, status, retryAfter, error);
    }

    public static DeliveryOutcome refused(int status, String error) {
        return new DeliveryOutcome(Kind.REFUSED, status, null, error);
    }

    /** The outcome of an HTTP answer by status: 2xx sent, 408/429/5xx retried, anything else (3xx included) refused. */
    public static DeliveryOutcome ofStatus(int status, String retryAfterHeader, String error) {
        if (status >= 200 && status < 300) {
            return sent(status);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return retry(status, retryAfter(retryAfterHeader), error);
        }
        return refused(status, status >= 300 && status < 400 ? "answered " + status + " (a redirect, not followed)" : error);
    }

    /** Retry-After in seconds (the only form Slack and Teams send); null when absent or not a number. */
    static Duration retryAfter(String header) {
        if (header == null || !header.trim().matches("[0-9]{1,6}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(header.trim()));
    }

    public boolean sent() {
        return kind == Kind.SENT;
    }
}
