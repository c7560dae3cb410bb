package sandbox.slack;

/**
 * A Slack Web API refusal: HTTP 200 with {@code {"ok": false, "error": "<code>"}} (Slack's way for every app-level
 * failure), or HTTP 429 with {@code Retry-After} when a tier's window is full.
 */
final class SlackApiError extends RuntimeException {

    final int status;
    final String error;
    final long retryAfterSeconds;

    private SlackApiError(int status, String error, long retryAfterSeconds, String detail) {
        super(detail == null ? error : error + ": " + detail);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static SlackApiError of(String error) {
        return new SlackApiError(200, error, 0, null);
    }

    static SlackApiError ratelimited(long retryAfterSeconds) {
        return new SlackApiError(429, "ratelimited", Math.max(1, retryAfterSeconds), null);
    }

    /** A setup request the sandbox refuses (400, with the problem in {@code detail}). */
    static SlackApiError setup(String detail) {
        return new SlackApiError(400, "invalid_arguments", 0, detail);
    }
}
