package adapters.salesforce;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import adapters.AuthProviderException;
import adapters.ConflictProviderException;
import adapters.PermanentProviderException;
import adapters.ProviderException;
import adapters.RateLimitedProviderException;
import adapters.TransientProviderException;

/** Turns what camel-salesforce throws into the hub's error classes, keeping Salesforce's own reason. */
final class SalesforceErrors {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<RestError>> ERRORS = new TypeReference<>() {
    };
    private static final Set<String> ABSENT = Set.of("NOT_FOUND", "ENTITY_IS_DELETED");

    private SalesforceErrors() {
    }

    /** Salesforce said the record (or its type) does not exist or is deleted: a 404, or its error codes. */
    static boolean isAbsent(Throwable failure) {
        SalesforceException sf = find(failure, SalesforceException.class);
        return sf != null && (sf.getStatusCode() == 404 || errors(sf).stream().anyMatch(e -> ABSENT.contains(e.getErrorCode())));
    }

    static ProviderException classify(String action, Throwable failure) {
        SalesforceException sf = find(failure, SalesforceException.class);
        if (sf != null) {
            return fromSalesforce(action, sf);
        }
        if (find(failure, IOException.class) != null || find(failure, TimeoutException.class) != null) {
            Throwable io = find(failure, IOException.class) != null ? find(failure, IOException.class) : find(failure, TimeoutException.class);
            return new TransientProviderException(action + " failed: " + io.getClass().getSimpleName() + ": " + io.getMessage(), 0, failure);
        }
        ProviderException already = find(failure, ProviderException.class);
        if (already != null) {
            return already;
        }
        return new TransientProviderException(action + " failed: " + rootMessage(failure), 0, failure);
    }

    private static ProviderException fromSalesforce(String action, SalesforceException sf) {
        int status = sf.getStatusCode();
        String reason = reason(sf);
        String message = "Salesforce " + action + " failed" + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + reason;
        boolean loginError = sf.getMessage() != null && sf.getMessage().startsWith("Login error");
        if (loginError || status == 401) {
            return new AuthProviderException(message, status, sf);
        }
        if (status == 429 || hasCode(sf, "REQUEST_LIMIT_EXCEEDED")) {
            return new RateLimitedProviderException(message, status, null);
        }
        if (status == 0 || status >= 500 || status == 408) {
            return new TransientProviderException(message, status, sf);
        }
        if (status == 412) {
            return new ConflictProviderException(message, status, sf);
        }
        return new PermanentProviderException(message, status, sf);
    }

    private static boolean hasCode(SalesforceException sf, String code) {
        return errors(sf).stream().anyMatch(e -> code.equals(e.getErrorCode()));
    }

    private static String reason(SalesforceException sf) {
        List<RestError> errors = errors(sf);
        if (!errors.isEmpty()) {
            return errors.stream().map(SalesforceErrors::describe).collect(Collectors.joining("; "));
        }
        return sf.getMessage();
    }

    /** The parsed errors, or for the raw operation (which keeps only the body as the message) the errors in that body. */
    private static List<RestError> errors(SalesforceException sf) {
        if (sf.getErrors() != null && !sf.getErrors().isEmpty()) {
            return sf.getErrors();
        }
        String body = sf.getMessage() == null ? "" : sf.getMessage().trim();
        if (!body.startsWith("[")) {
            return List.of();
        }
        try {
            List<RestError> parsed = JSON.readValue(body, ERRORS);
            return parsed == null ? List.of() : parsed;
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    private static String describe(RestError error) {
        String fields = error.getFields() == null || error.getFields().isEmpty() ? "" : " " + error.getFields();
        return error.getErrorCode() + ": " + error.getMessage() + fields;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
