package api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import hub.ConflictingStateException;
import hub.ErrorBody;
import hub.InvalidInputException;
import hub.NotFoundException;
import hub.RefusalException;
import hub.TemporarilyUnavailableException;
import hub.UpstreamFailureException;
import providers.ThrottledException;

/** Every refusal as {@link ErrorBody}: 4xx name what was wrong; 5xx say nothing internal. */
@RestControllerAdvice
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ErrorBody> refused(ApiException e) {
        return body(e.status(), e.getMessage(), e.field());
    }

    /** The domain's refusals, each kind as its status. */
    @ExceptionHandler(RefusalException.class)
    ResponseEntity<ErrorBody> refused(RefusalException e) {
        return body(status(e), e.getMessage(), e.field());
    }

    public static HttpStatus status(RefusalException e) {
        if (e instanceof InvalidInputException) {
            return HttpStatus.BAD_REQUEST;
        }
        if (e instanceof NotFoundException) {
            return HttpStatus.NOT_FOUND;
        }
        if (e instanceof ConflictingStateException) {
            return HttpStatus.CONFLICT;
        }
        if (e instanceof UpstreamFailureException) {
            return HttpStatus.BAD_GATEWAY;
        }
        if (e instanceof TemporarilyUnavailableException) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        throw new IllegalStateException("no status for " + e.getClass().getName());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof RequestBodyLimit.TooLarge tooLarge) {
                return tooLarge(tooLarge);
            }
        }
        return e.getCause() instanceof JsonProcessingException json ? refused(unreadable(json))
                : body(HttpStatus.BAD_REQUEST, "malformed JSON body", null);
    }

    /** JSON that does not fit the request's shape, as a 400 naming the field (never Jackson's text, which names Java types). */
    static ApiException unreadable(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = path(unknown);
            return ApiException.badRequest(field, "unknown field");
        }
        if (e instanceof MismatchedInputException mismatch) {
            return wrongType(mismatch);
        }
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof ApiException api) {
            return api;
        }
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof RefusalException refusal) {
            return new ApiException(status(refusal), refusal.getMessage(), refusal.field());
        }
        return new ApiException(HttpStatus.BAD_REQUEST, "malformed JSON body");
    }

    @ExceptionHandler(RequestBodyLimit.TooLarge.class)
    ResponseEntity<ErrorBody> tooLarge(RequestBodyLimit.TooLarge e) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(tooLarge(e.limit()));
    }

    static ErrorBody tooLarge(long limit) {
        return new ErrorBody(413, HttpStatus.PAYLOAD_TOO_LARGE.getReasonPhrase(), "request body larger than " + limit + " bytes", null);
    }

    /** A JSON value of the wrong type, as a 400 naming the field and the type it should have been (never Jackson's text). */
    private static ApiException wrongType(MismatchedInputException e) {
        String field = path(e);
        Class<?> type = e.getTargetType();
        String expected = type == null ? "wrong type or format"
                : CharSequence.class.isAssignableFrom(type) ? "expected text"
                : type == Integer.class || type == int.class || type == Long.class || type == long.class || type == Short.class
                        || type == short.class ? "expected a whole number"
                : Number.class.isAssignableFrom(type) || type == double.class || type == float.class ? "expected a number"
                : type == Boolean.class || type == boolean.class ? "expected true or false"
                : java.util.Collection.class.isAssignableFrom(type) || type.isArray() ? "expected a list"
                : java.util.Map.class.isAssignableFrom(type) || type.isRecord() ? "expected an object"
                : "wrong type or format";
        return field.isEmpty() ? new ApiException(HttpStatus.BAD_REQUEST, "body: " + expected)
                : ApiException.badRequest(field, expected);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ErrorBody> typeMismatch(MethodArgumentTypeMismatchException e) {
        return body(HttpStatus.BAD_REQUEST, e.getName() + ": wrong type or format", e.getName());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ErrorBody> missingParameter(MissingServletRequestParameterException e) {
        return body(HttpStatus.BAD_REQUEST, e.getParameterName() + ": required", e.getParameterName());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ErrorBody> mediaType(HttpMediaTypeNotSupportedException e) {
        return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json", null);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException e) {
        return body(HttpStatus.METHOD_NOT_ALLOWED, e.getMethod() + " is not supported here", null);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ErrorBody> noResource(NoResourceFoundException e) {
        return body(HttpStatus.NOT_FOUND, "no such endpoint", null);
    }

    /** A provider call the rate limits held back (a connection test, a discovery): try again after Retry-After. */
    @ExceptionHandler(ThrottledException.class)
    ResponseEntity<ErrorBody> throttled(ThrottledException e) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(seconds))
                .body(new ErrorBody(429, HttpStatus.TOO_MANY_REQUESTS.getReasonPhrase(), e.getMessage(), null));
    }

    /**
     * A text longer than its column that no API check caught (SQLState 22001): the caller's input, so a
     * 400, logged because a check is missing; other integrity failures stay internal errors.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ErrorBody> integrity(DataIntegrityViolationException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.sql.SQLException sql && "22001".equals(sql.getSQLState())) {
                LOG.warn("A request value was too long for the store and no API check refused it first: {}", c.getClass().getName());
                return body(HttpStatus.BAD_REQUEST, "a value is longer than the hub stores", null);
            }
        }
        return unexpected(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> unexpected(Exception e) {
        LOG.error("Unexpected API failure", e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, "internal error; see the hub's log", null);
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static ResponseEntity<ErrorBody> body(HttpStatus status, String message, String field) {
        return ResponseEntity.status(status).body(new ErrorBody(status.value(), status.getReasonPhrase(), message, field));
    }
}
