package providers.gong;

import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import providers.AuthProviderException;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.ProviderFailures;
import providers.RateLimitedProviderException;
import providers.TransientProviderException;

/**
 * Gong's answers as the hub's error kinds, keeping the first of Gong's {@code errors[]} when it is short plain text: 401
 * and 403 are auth; 429 is rate-limited with Gong's {@code Retry-After} (integer seconds; else one second); 500, 502,
 * 503, 504 are transient; other 4xx permanent. No answer is transient, unless the outbound guard refused the URL
 * (permanent). A 404 "no calls" is no error: callers accept it.
 */
final class GongErrors {

    static final String NOT_GONG = "the answer was not Gong's";
    private static final Pattern PLAIN_TEXT = Pattern.compile("(?!.*(?:Exception|\\bat [a-z]+\\.))[\\p{L}\\p{N} .,:;'\"`()\\[\\]/_#+=-]{1,300}");

    private GongErrors() {
    }

    static ProviderException fromAnswer(String action, int status, JsonNode body, Function<String, String> header) {
        String message = "Gong " + action + " failed (HTTP " + status + "): " + reason(body);
        if (status == 401 || status == 403) {
            return new AuthProviderException(message, status, null);
        }
        if (status == 429) {
            Duration wait = retryAfter(header.apply("Retry-After"));
            return new RateLimitedProviderException(message, status, wait != null ? wait : Duration.ofSeconds(1));
        }
        if (status == 408 || status >= 500) {
            return new TransientProviderException(message, status, null);
        }
        return new PermanentProviderException(message, status, null);
    }

    static ProviderException noAnswer(String action, Throwable failure) {
        return ProviderFailures.noAnswer("Gong", action, failure);
    }

    /** Gong's first error text when it is plain and short, or that the answer was not Gong's. */
    static String reason(JsonNode body) {
        if (body == null || !body.isObject() || !body.path("errors").isArray()) {
            return NOT_GONG;
        }
        String first = body.path("errors").path(0).asText(null);
        return first != null && PLAIN_TEXT.matcher(first).matches() ? first : "error";
    }

    /** Gong's Retry-After: integer seconds. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        return text.length() <= 9 && text.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(text)) : null;
    }
}
