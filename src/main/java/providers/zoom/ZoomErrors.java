package providers.zoom;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import providers.AuthProviderException;
import providers.PermanentProviderException;
import providers.ProviderFailures;
import providers.ProviderException;
import providers.RateLimitedProviderException;
import providers.TransientProviderException;

/**
 * Zoom's answers as the hub's error kinds, keeping Zoom's numeric {@code code} and its message when it is short plain
 * text (the token endpoint's {@code error} code only): 401 (code 124, invalid or expired token) and 403 are auth; 429
 * is rate-limited with Zoom's {@code Retry-After} (seconds, an HTTP-date, or the ISO-8601 instant Zoom gives when a
 * daily limit is spent; one second when absent); 408 and 5xx are transient; other 4xx permanent. No answer is
 * transient, unless the outbound guard refused the URL (permanent).
 */
final class ZoomErrors {

    static final String NOT_ZOOM = "the answer was not Zoom's";
    private static final Pattern PLAIN_TEXT = Pattern.compile("(?!.*(?:Exception|\\bat [a-z]+\\.))[\\p{L}\\p{N} .,:;'\"`()\\[\\]/_#+=!-]{0,300}");
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private ZoomErrors() {
    }

    static ProviderException fromAnswer(String action, int status, JsonNode body, Function<String, String> header, Instant now) {
        String message = "Zoom " + action + " failed (HTTP " + status + "): " + reason(body);
        if (status == 401 || status == 403) {
            return new AuthProviderException(message, status, null);
        }
        if (status == 429) {
            Duration retryAfter = retryAfter(header.apply("Retry-After"), now);
            return new RateLimitedProviderException(message, status, retryAfter != null ? retryAfter : Duration.ofSeconds(1));
        }
        if (status == 408 || status >= 500) {
            return new TransientProviderException(message, status, null);
        }
        return new PermanentProviderException(message, status, null);
    }

    static ProviderException noAnswer(String action, Throwable failure) {
        return ProviderFailures.noAnswer("Zoom", action, failure);
    }

    /** Zoom's code and message ({@code code 124: Access token is expired.}), the token endpoint's error code, or that it was not Zoom's. */
    static String reason(JsonNode body) {
        if (body == null || !body.isObject()) {
            return NOT_ZOOM;
        }
        if (body.path("code").canConvertToInt() && body.has("message")) {
            String message = body.path("message").asText("");
            return "code " + body.path("code").asInt() + (message.length() <= 300 && PLAIN_TEXT.matcher(message).matches() ? ": " + message : "");
        }
        String error = body.path("error").asText(null);
        if (error != null && ERROR_CODE.matcher(error).matches()) {
            return error;
        }
        return NOT_ZOOM;
    }

    /** Seconds, an RFC 1123 date, or an ISO-8601 instant (Zoom's daily limit); null otherwise. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit) && text.length() <= 9) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Instant at = ZoomRateLimitHeaders.isoInstant(text);
        if (at == null) {
            try {
                at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
