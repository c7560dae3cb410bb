package sandbox.notion;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A Notion error answer: {@code {"object":"error","status":..,"code":..,"message":..,"request_id":..}}. */
final class NotionApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    NotionApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    NotionApiException(int status, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static NotionApiException validation(String message) {
        return new NotionApiException(400, "validation_error", message);
    }

    static NotionApiException notFound(String kind, String id) {
        return new NotionApiException(404, "object_not_found", "Could not find " + kind + " with ID: " + id
                + ". Make sure the relevant pages and databases are shared with your integration.");
    }

    static NotionApiException unauthorized() {
        return new NotionApiException(401, "unauthorized", "API token is invalid.");
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "error");
        body.put("status", status);
        body.put("code", code);
        body.put("message", getMessage());
        body.put("request_id", UUID.randomUUID().toString());
        if (status == 429) {
            body.put("additional_data", Map.of("rate_limit_reason", "integration_rate_limit"));
        }
        return body;
    }
}
