package sandbox.google;

/** A Drive v3 refusal: its HTTP status and what Google's error body says. */
final class DriveApiException extends RuntimeException {

    final int status;
    final String statusText;
    final String domain;
    final String reason;
    final String location;
    final String locationType;

    DriveApiException(int status, String statusText, String domain, String reason, String message, String location,
                      String locationType) {
        super(message, null, false, false);
        this.status = status;
        this.statusText = statusText;
        this.domain = domain;
        this.reason = reason;
        this.location = location;
        this.locationType = locationType;
    }

    static DriveApiException notFound(String fileId) {
        return new DriveApiException(404, "NOT_FOUND", "global", "notFound", "File not found: " + fileId + ".", "fileId", "parameter");
    }

    static DriveApiException invalid(String parameter, String message) {
        return new DriveApiException(400, "INVALID_ARGUMENT", "global", "invalid", message, parameter, "parameter");
    }

    static DriveApiException required(String parameter) {
        return new DriveApiException(400, "INVALID_ARGUMENT", "global", "required", "Required parameter: " + parameter,
                parameter, "parameter");
    }

    static DriveApiException unauthenticated() {
        return new DriveApiException(401, "UNAUTHENTICATED", "global", "authError", "Invalid Credentials", "Authorization", "header");
    }

    static DriveApiException userRateLimit() {
        return new DriveApiException(403, "PERMISSION_DENIED", "usageLimits", "userRateLimitExceeded", "User Rate Limit Exceeded",
                null, null);
    }

    static DriveApiException tooManyRequests() {
        return new DriveApiException(429, "RESOURCE_EXHAUSTED", "usageLimits", "rateLimitExceeded", "Too many requests", null, null);
    }

    static DriveApiException forbidden(String reason, String message) {
        return new DriveApiException(403, "PERMISSION_DENIED", "global", reason, message, null, null);
    }

    Object body() {
        return GoogleJson.error(status, statusText, domain, reason, getMessage(), location, locationType);
    }
}
