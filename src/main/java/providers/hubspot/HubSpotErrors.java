package providers.hubspot;

import static org.apache.commons.lang3.exception.ExceptionUtils.throwableOfType;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import providers.AuthProviderException;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.RateLimitedProviderException;
import providers.TransientProviderException;
import security.RefusedAddressException;

/**
 * HubSpot's answers as the hub's error kinds, keeping HubSpot's own category ({@code VALIDATION_ERROR},
 * {@code EXPIRED_AUTHENTICATION}, {@code RATE_LIMIT} ...) and a short plain message, nothing else of the body:
 * 401 and 403 (scopes) are auth; 429, and 477 / 503 with a Retry-After, are rate-limited with the wait HubSpot
 * gave (Retry-After, else what its policy implies); 423 (locked for 2 s), 408, 5xx and 52x are transient;
 * other 4xx permanent. No answer at all is transient, unless the outbound guard refused the URL (permanent).
 */
final class HubSpotErrors {

    static final String UNREACHABLE = "the provider could not be reached";
    static final String TIMED_OUT = "the provider did not answer in time";
    static final String NOT_HUBSPOT = "the answer was not HubSpot's";

    private static final Logger LOG = LoggerFactory.getLogger(HubSpotErrors.class);
    private static final Pattern CODE = Pattern.compile("[A-Z0-9_]{1,64}");
    /** A provider's message repeated to tenants: one short line of plain text, nothing that reads like a dump or a trace. */
    private static final Pattern PLAIN_TEXT = Pattern.compile("(?!.*(?:Exception|\\bat [a-z]+\\.))[\\p{L}\\p{N} .,:;'\"()\\[\\]/_#+-]{0,300}");
    private static final Duration SECONDLY = Duration.ofSeconds(1);
    private static final Duration TEN_SECONDLY = Duration.ofSeconds(10);

    private HubSpotErrors() {
    }

    /**
     * A non-2xx answer as a classified failure.
     *
     * @param body   the parsed JSON body, or null when there was none or it was not JSON
     * @param header case-insensitive lookup of a response header
     */
    static ProviderException fromAnswer(String action, int status, JsonNode body, Function<String, String> header, Instant now) {
        String message = "HubSpot " + action + " failed (HTTP " + status + "): " + reason(body);
        Duration retryAfter = retryAfter(header.apply("Retry-After"), now);
        if (status == 401 || status == 403) {
            return new AuthProviderException(message, status, null);
        }
        if (status == 429) {
            return new RateLimitedProviderException(message, status, retryAfter != null ? retryAfter : policyWait(body, header));
        }
        if ((status == 477 || status == 503) && retryAfter != null) {
            return new RateLimitedProviderException(message, status, retryAfter);
        }
        if (status == 408 || status == 423 || status == 477 || status >= 500) {
            return new TransientProviderException(message, status, null);
        }
        return new PermanentProviderException(message, status, null);
    }

    /** A call that got no answer: refused by the outbound guard (permanent), timed out or unreachable (transient). */
    static ProviderException noAnswer(String action, Throwable failure) {
        if (throwableOfType(failure, RefusedAddressException.class) != null) {
            return new PermanentProviderException("HubSpot " + action + " not attempted: its URL " + RefusedAddressException.MESSAGE, 0, failure);
        }
        ProviderException already = throwableOfType(failure, ProviderException.class);
        if (already != null) {
            return already;
        }
        if (throwableOfType(failure, SocketTimeoutException.class) != null || throwableOfType(failure, TimeoutException.class) != null) {
            return new TransientProviderException("HubSpot " + action + " failed: " + TIMED_OUT, 0, failure);
        }
        if (throwableOfType(failure, IOException.class) != null || throwableOfType(failure, UnknownHostException.class) != null) {
            return new TransientProviderException("HubSpot " + action + " failed: " + UNREACHABLE, 0, failure);
        }
        LOG.warn("HubSpot {} failed unexpectedly: {}", action, rootType(failure));
        LOG.debug("HubSpot {} failure", action, failure);
        return new TransientProviderException("HubSpot " + action + " failed: unexpected error", 0, failure);
    }

    /** HubSpot's category (and its message when it is plain and short), or that the answer was not HubSpot's. */
    static String reason(JsonNode body) {
        if (body == null || !body.isObject()) {
            return NOT_HUBSPOT;
        }
        String category = text(body, "category");
        if (category == null) {
            category = text(body, "errorType");
        }
        if (category == null) {
            category = text(body, "status");
            category = "error".equals(category) ? null : category;
        }
        String code = category != null && CODE.matcher(category).matches() ? category : "ERROR";
        String message = text(body, "message");
        if (message != null && message.length() <= 300 && PLAIN_TEXT.matcher(message).matches()) {
            return code + ": " + message;
        }
        return code;
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit) && text.length() <= 9) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        try {
            Duration wait = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The wait a 429 without Retry-After implies: the search API's one second, the rolling ten seconds (or the
     * interval the headers report); none for the daily limit (the hub backs off and reads the budget headers).
     */
    private static Duration policyWait(JsonNode body, Function<String, String> header) {
        String policy = body == null ? null : text(body, "policyName");
        String message = body == null ? null : text(body, "message");
        if ("SECONDLY".equals(policy) || (message != null && message.contains("secondly limit") && !message.contains("ten_secondly"))) {
            return SECONDLY;
        }
        if ("TEN_SECONDLY_ROLLING".equals(policy)) {
            String interval = header.apply("X-HubSpot-RateLimit-Interval-Milliseconds");
            if (interval != null && interval.trim().matches("[0-9]{1,9}")) {
                return Duration.ofMillis(Long.parseLong(interval.trim()));
            }
            return TEN_SECONDLY;
        }
        return null;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText().strip() : null;
    }

    private static String rootType(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName();
    }
}
