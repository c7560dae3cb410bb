package sandbox.graph;

import org.springframework.http.HttpStatus;

/**
 * A Graph error answer: {@code {"error":{"code","message","innerError":{...}}}} with its status; {@code innerCode}
 * (the 410's {@code resyncChangesApplyDifferences}) goes into {@code innerError.code}, {@code retryAfterSeconds} into a
 * {@code Retry-After} header, {@code location} into a {@code Location} header.
 */
class GraphApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String innerCode;
    private final long retryAfterSeconds;
    private final String location;

    GraphApiException(HttpStatus status, String code, String message) {
        this(status, code, message, null, 0, null);
    }

    GraphApiException(HttpStatus status, String code, String message, String innerCode, long retryAfterSeconds, String location) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.innerCode = innerCode;
        this.retryAfterSeconds = retryAfterSeconds;
        this.location = location;
    }

    static GraphApiException notFound(String what) {
        return new GraphApiException(HttpStatus.NOT_FOUND, "itemNotFound", what + " was not found.");
    }

    static GraphApiException invalid(String message) {
        return new GraphApiException(HttpStatus.BAD_REQUEST, "invalidRequest", message);
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    String innerCode() {
        return innerCode;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    String location() {
        return location;
    }
}
