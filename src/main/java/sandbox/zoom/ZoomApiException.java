package sandbox.zoom;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Zoom error answer: the API's {@code {"code": n, "message": ...}}, or the OAuth endpoint's
 * {@code {"reason": ..., "error": ...}}; a 429 carries Retry-After and the rate-limit headers of the window that refused.
 */
final class ZoomApiException extends RuntimeException {

    private final int status;
    private final int code;
    private final String oauthError;
    private final Map<String, String> headers;

    ZoomApiException(int status, int code, String message) {
        this(status, code, message, null, Map.of());
    }

    private ZoomApiException(int status, int code, String message, String oauthError, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.oauthError = oauthError;
        this.headers = headers;
    }

    /** The token endpoint's refusal: {@code {"reason": message, "error": error}}. */
    static ZoomApiException oauth(int status, String error, String reason) {
        return new ZoomApiException(status, 0, reason, error, Map.of());
    }

    static ZoomApiException rateLimited(String message, Map<String, String> headers) {
        return new ZoomApiException(429, 429, message, null, headers);
    }

    static ZoomApiException invalid(String message) {
        return new ZoomApiException(400, 300, message);
    }

    static ZoomApiException invalidToken() {
        return new ZoomApiException(401, 124, "Invalid access token.");
    }

    static ZoomApiException expiredToken() {
        return new ZoomApiException(401, 124, "Access token is expired.");
    }

    static ZoomApiException noRecording() {
        return new ZoomApiException(404, 3301, "This recording does not exist.");
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (oauthError != null) {
            body.put("reason", getMessage());
            body.put("error", oauthError);
        } else {
            body.put("code", code);
            body.put("message", getMessage());
        }
        return body;
    }
}
