package sandbox.gong;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import sandbox.kit.TokenText;

/** A Gong error answer: {@code {"requestId":"...","errors":["..."]}}, with {@code Retry-After} on a 429. */
final class GongApiException extends RuntimeException {

    static final String NO_CALLS = "No calls found corresponding to the provided filters";

    private final int status;
    private final long retryAfterSeconds;

    GongApiException(int status, String message) {
        this(status, message, 0);
    }

    GongApiException(int status, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static GongApiException badRequest(String message) {
        return new GongApiException(400, message);
    }

    static GongApiException noCalls() {
        return new GongApiException(404, NO_CALLS);
    }

    static GongApiException unauthorized() {
        return new GongApiException(401, "Access denied: the access key and secret, or the access token, are not valid");
    }

    int status() {
        return status;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", requestId());
        body.put("errors", List.of(getMessage()));
        return body;
    }

    /** Gong's request ids: 19 lowercase letters and digits. */
    static String requestId() {
        return TokenText.urlSafe(24).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "").concat("0000000000000000000")
                .substring(0, 19);
    }
}
