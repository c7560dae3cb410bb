package sandbox.entra;

import org.springframework.http.HttpStatus;

/**
 * An Entra ID token endpoint error: {@code error} (the OAuth 2.0 code), an {@code AADSTS} number and its message,
 * answered with {@code status} as Entra's JSON error body.
 */
public class EntraError extends RuntimeException {

    private final HttpStatus status;
    private final String error;
    private final int code;

    public EntraError(HttpStatus status, String error, int code, String message) {
        super(message);
        this.status = status;
        this.error = error;
        this.code = code;
    }

    static EntraError unknownTenant(String tenant) {
        return new EntraError(HttpStatus.BAD_REQUEST, "invalid_request", 90002, "Tenant '" + tenant
                + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
    }

    static EntraError missing(String parameter) {
        return new EntraError(HttpStatus.BAD_REQUEST, "invalid_request", 900144,
                "The request body must contain the following parameter: '" + parameter + "'.");
    }

    public HttpStatus status() {
        return status;
    }

    public String error() {
        return error;
    }

    public int code() {
        return code;
    }
}
