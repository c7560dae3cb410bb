package sandbox.dynamics365;

import org.springframework.http.HttpStatus;

/** An error the Web API answers as Dataverse does: {@code {"error":{"code":"0x...","message":"..."}}} with a status. */
final class DataverseApiException extends RuntimeException {

    /** Codes Dataverse puts in {@code error.code}. */
    static final String OBJECT_DOES_NOT_EXIST = "0x80040217";
    static final String CONCURRENCY_VERSION_MISMATCH = "0x80060882";
    static final String DUPLICATE_RECORD = "0x80040237";
    static final String RESOURCE_NOT_FOUND = "0x8006088a";
    static final String PAYLOAD_ERROR = "0x80048d19";
    static final String QUERY_ERROR = "0x0";
    static final String REQUEST_LIMIT = "0x80072322";
    static final String EXPIRED_VERSION_STAMP = "0x80044352";
    static final String INVALID_ARGUMENT = "0x80040203";
    static final String TEXT_TOO_LONG = "0x80044331";
    static final String OUT_OF_RANGE = "0x8004431a";

    private final HttpStatus status;
    private final String code;

    DataverseApiException(HttpStatus status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    static DataverseApiException badQuery(String message) {
        return new DataverseApiException(HttpStatus.BAD_REQUEST, QUERY_ERROR, message);
    }

    static DataverseApiException unknownProperty(EntitySchema table, String property) {
        return badQuery("Could not find a property named '" + property + "' on type '" + table.typeName() + "'.");
    }

    static DataverseApiException notFound(EntitySchema table, String id) {
        return new DataverseApiException(HttpStatus.NOT_FOUND, OBJECT_DOES_NOT_EXIST,
                "Entity '" + table.logicalName() + "' With Id = " + id + " Does Not Exist");
    }

    static DataverseApiException segmentNotFound(String segment) {
        return new DataverseApiException(HttpStatus.NOT_FOUND, RESOURCE_NOT_FOUND,
                "Resource not found for the segment '" + segment + "'.");
    }

    static DataverseApiException versionMismatch() {
        return new DataverseApiException(HttpStatus.PRECONDITION_FAILED, CONCURRENCY_VERSION_MISMATCH,
                "The version of the existing record doesn't match the RowVersion property provided.");
    }

    static DataverseApiException duplicate() {
        return new DataverseApiException(HttpStatus.PRECONDITION_FAILED, DUPLICATE_RECORD,
                "A record with matching key values already exists.");
    }

    /** A body Dataverse cannot read into the entity: its OData deserializer's wording. */
    static DataverseApiException invalidPayload(String message) {
        return badQuery("An error occurred while validating input parameters: " + message);
    }
}
