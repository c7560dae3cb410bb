package providers.salesforce;

import static org.apache.commons.lang3.exception.ExceptionUtils.throwableOfType;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import providers.AuthProviderException;
import providers.ConflictProviderException;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.RateLimitedProviderException;
import providers.TransientProviderException;
import security.RefusedAddressException;

/** Turns what camel-salesforce throws into the hub's error classes, keeping Salesforce's own error codes and nothing else. */
final class SalesforceErrors {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<RestError>> ERRORS = new TypeReference<>() {
    };
    private static final Set<String> ABSENT = Set.of("NOT_FOUND", "ENTITY_IS_DELETED");
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceErrors.class);
    static final String UNREACHABLE = "the provider could not be reached";
    static final String TIMED_OUT = "the provider did not answer in time";
    static final String NOT_SALESFORCE = "the answer was not Salesforce's";
    /** camel-salesforce's text for an OAuth error answer of the login endpoint. */
    private static final Pattern LOGIN_ERROR = Pattern.compile("Login error code:\\[(.*?)\\] description:\\[(.*)\\]", Pattern.DOTALL);
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** A provider's message repeated to tenants: one short line of plain text, nothing that reads like a dump or a trace. */
    private static final Pattern PLAIN_TEXT = Pattern.compile("(?!.*(?:Exception|HttpClient@|\\bat [a-z]+\\.))[\\p{L}\\p{N} .,:;'\"()\\[\\]/_#+-]{0,300}");

    private SalesforceErrors() {
    }

    /** Salesforce said the record (or its type) does not exist or is deleted: a 404, or its error codes. */
    static boolean isAbsent(Throwable failure) {
        SalesforceException sf = throwableOfType(failure, SalesforceException.class);
        return sf != null && (sf.getStatusCode() == 404 || errors(sf).stream().anyMatch(e -> ABSENT.contains(e.getErrorCode())));
    }

    /**
     * The failure as the hub's error class, with a short fixed text by kind: refused by the outbound
     * guard, unreachable, timed out, an answer that is not Salesforce's, or Salesforce's own refusal with
     * its error code. Exception texts (Jetty's carry connection dumps with internal addresses) never pass.
     */
    static ProviderException classify(String action, Throwable failure) {
        if (throwableOfType(failure, RefusedAddressException.class) != null) {
            return new PermanentProviderException("Salesforce " + action + " not attempted: its URL " + RefusedAddressException.MESSAGE,
                    0, failure);
        }
        SalesforceException sf = throwableOfType(failure, SalesforceException.class);
        if (sf != null && (sf.getStatusCode() > 0 || !errors(sf).isEmpty())) {
            return fromSalesforce(action, sf);
        }
        ProviderException already = throwableOfType(failure, ProviderException.class);
        if (already != null) {
            return already;
        }
        if (throwableOfType(failure, TimeoutException.class) != null || throwableOfType(failure, SocketTimeoutException.class) != null) {
            return new TransientProviderException("Salesforce " + action + " failed: " + TIMED_OUT, 0, failure);
        }
        IOException io = throwableOfType(failure, IOException.class);
        // a parse failure is an IOException to Jackson, but the provider was reached
        if (io != null && !(io instanceof JsonProcessingException) || throwableOfType(failure, UnresolvedAddressException.class) != null) {
            return new TransientProviderException("Salesforce " + action + " failed: " + UNREACHABLE, 0, failure);
        }
        if (sf != null && sf.getMessage() != null && sf.getMessage().startsWith("Login error")) {
            // an answer camel could not read as a login answer
            return fromSalesforce(action, sf);
        }
        LOG.warn("Salesforce {} failed unexpectedly: {}", action, rootType(failure));
        LOG.debug("Salesforce {} failure", action, failure);
        return new TransientProviderException("Salesforce " + action + " failed: unexpected error", 0, failure);
    }

    /** A Composite subrequest's refusal (its own status and error body), classified as the same refusal of a single call. */
    static ProviderException ofSubrequest(String action, int status, String body) {
        return fromSalesforce(action, new SalesforceException(body, status));
    }

    private static ProviderException fromSalesforce(String action, SalesforceException sf) {
        int status = sf.getStatusCode();
        String text = sf.getMessage() == null ? "" : sf.getMessage();
        boolean loginError = text.startsWith("Login error");
        String reason = reason(sf, loginError);
        String message = "Salesforce " + action + " failed" + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + reason;
        if (text.startsWith("Login error: interrupted")) {
            return new TransientProviderException(message, status, sf);
        }
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

    /**
     * Salesforce's own error codes and messages ({@code errorCode: message}); for a login, the OAuth
     * error code and description; for anything else, that the answer was not Salesforce's.
     */
    private static String reason(SalesforceException sf, boolean loginError) {
        List<RestError> errors = errors(sf);
        if (!errors.isEmpty()) {
            return errors.stream().limit(5).map(SalesforceErrors::describe).collect(Collectors.joining("; "));
        }
        if (loginError) {
            Matcher oauth = LOGIN_ERROR.matcher(sf.getMessage());
            if (oauth.matches() && ERROR_CODE.matcher(oauth.group(1)).matches()) {
                return oauth.group(1) + (PLAIN_TEXT.matcher(oauth.group(2)).matches() ? ": " + oauth.group(2) : "");
            }
        }
        return NOT_SALESFORCE;
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

    /** One Salesforce error: its code (when it is one), and its message and fields when they are plain and short. */
    private static String describe(RestError error) {
        String code = error.getErrorCode() != null && ERROR_CODE.matcher(error.getErrorCode()).matches() ? error.getErrorCode() : "UNKNOWN_ERROR";
        String text = error.getMessage() == null ? "" : error.getMessage().strip();
        String fields = error.getFields() == null || error.getFields().isEmpty() ? "" : " " + error.getFields();
        return code + (PLAIN_TEXT.matcher(text + fields).matches() ? ": " + text + fields : "");
    }

    private static String rootType(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName();
    }
}
