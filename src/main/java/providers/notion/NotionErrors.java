package providers.notion;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import providers.AuthProviderException;
import providers.ConflictProviderException;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.ProviderFailures;
import providers.RateLimitedProviderException;
import providers.TransientProviderException;

/**
 * Notion's answers as the hub's error kinds, keeping Notion's {@code code} ({@code object_not_found},
 * {@code validation_error}, {@code rate_limited} ...) and its message when it is short plain text: 401
 * {@code unauthorized} and 403 {@code restricted_resource} are auth; 429 {@code rate_limited} and 529
 * {@code service_overload} are rate-limited with Notion's Retry-After (else one second); 409 {@code conflict_error} is a
 * conflict; 500, 502, 503, 504 are transient; other 4xx permanent. No answer is transient, unless the outbound guard
 * refused the URL (permanent).
 */
final class NotionErrors {

    static final String NOT_NOTION = "the answer was not Notion's";
    private static final Pattern CODE = Pattern.compile("[a-z0-9_]{1,64}");
    private static final Pattern PLAIN_TEXT = Pattern.compile("(?!.*(?:Exception|\\bat [a-z]+\\.))[\\p{L}\\p{N} .,:;'\"`()\\[\\]/_#+=≤-]{0,300}");

    private NotionErrors() {
    }

    static ProviderException fromAnswer(String action, int status, JsonNode body, Function<String, String> header, Instant now) {
        String code = code(body);
        String message = "Notion " + action + " failed (HTTP " + status + "): " + reason(body);
        Duration retryAfter = retryAfter(header.apply("Retry-After"), now);
        if (status == 401 || status == 403) {
            return new AuthProviderException(message, status, null);
        }
        if (status == 429 || status == 529 || "rate_limited".equals(code) || "service_overload".equals(code)) {
            return new RateLimitedProviderException(message, status, retryAfter != null ? retryAfter : Duration.ofSeconds(1));
        }
        if (status == 409) {
            return new ConflictProviderException(message, status, null);
        }
        if (status == 408 || status >= 500) {
            return new TransientProviderException(message, status, null);
        }
        return new PermanentProviderException(message, status, null);
    }

    static ProviderException noAnswer(String action, Throwable failure) {
        return ProviderFailures.noAnswer("Notion", action, failure);
    }

    static String code(JsonNode body) {
        String code = body == null ? null : body.path("code").asText(null);
        return code != null && CODE.matcher(code).matches() ? code : null;
    }

    /** Notion's code (and its message when it is plain and short), or that the answer was not Notion's. */
    static String reason(JsonNode body) {
        if (body == null || !body.isObject() || !"error".equals(body.path("object").asText())) {
            return NOT_NOTION;
        }
        String code = code(body);
        String message = body.path("message").asText(null);
        if (message != null && message.length() <= 300 && PLAIN_TEXT.matcher(message).matches()) {
            return (code == null ? "error" : code) + ": " + message;
        }
        return code == null ? "error" : code;
    }

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
}
