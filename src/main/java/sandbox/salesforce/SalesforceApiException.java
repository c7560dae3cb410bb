package sandbox.salesforce;

import java.util.List;
import org.springframework.http.HttpStatus;

/** A REST API error, answered as Salesforce does: the status and a one-element JSON array. */
public class SalesforceApiException extends RuntimeException {

    private final HttpStatus status;
    private final String errorCode;
    private final List<String> fields;

    public SalesforceApiException(HttpStatus status, String errorCode, String message) {
        this(status, errorCode, message, null);
    }

    public SalesforceApiException(HttpStatus status, String errorCode, String message, List<String> fields) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.fields = fields;
    }

    static SalesforceApiException badRequest(String errorCode, String message) {
        return new SalesforceApiException(HttpStatus.BAD_REQUEST, errorCode, message);
    }

    static SalesforceApiException notFound() {
        return new SalesforceApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "The requested resource does not exist");
    }

    public HttpStatus status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    /** Field names for errors that name fields (REQUIRED_FIELD_MISSING and the like), else null. */
    public List<String> fields() {
        return fields;
    }
}
