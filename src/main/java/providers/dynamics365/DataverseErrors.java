package providers.dynamics365;

import java.time.Duration;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import providers.AuthProviderException;
import providers.ChangeMarkerRefusedException;
import providers.ConflictProviderException;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.RateLimitedProviderException;
import providers.TransientProviderException;
import security.RefusedAddressException;

/**
 * Dataverse's answers as the hub's error classes, with fixed texts by kind and Dataverse's own error code and message
 * ({@code {"error":{"code":"0x80040217","message":"..."}}}) when they are plain; never an exception's text or a token.
 */
final class DataverseErrors {

    static final String UNREACHABLE = "the provider could not be reached";
    static final String TIMED_OUT = "the provider did not answer in time";
    static final String NOT_DATAVERSE = "the answer was not Dataverse's";
    /** Dataverse's code for a delta token older than the table's change-tracking retention (ExpiredVersionStamp). */
    static final String EXPIRED_VERSION_STAMP = "0x80044352";
    private static final Pattern CODE = Pattern.compile("0x[0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9_.]{0,63}");
    /** A message repeated to tenants: one line of plain text, nothing that reads like a dump or a trace. */
    private static final Pattern PLAIN_TEXT = Pattern.compile("(?!.*(?:Exception|\\bat [a-z]+\\.))[\\p{L}\\p{N} .,:;'\"()\\[\\]/_#+=$@{}-]{1,400}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DataverseErrors() {
    }

    /** No answer: refused by the outbound guard (permanent), timed out or unreachable (transient). */
    static ProviderException unanswered(String action, DataverseHttp.Unanswered failure) {
        if (failure.refusedAddress()) {
            return new PermanentProviderException("Dynamics 365 " + action + " not attempted: its org URL " + RefusedAddressException.MESSAGE,
                    0, null);
        }
        return new TransientProviderException("Dynamics 365 " + action + " failed: " + (failure.timedOut() ? TIMED_OUT : UNREACHABLE), 0,
                null);
    }

    /** A refusal (any status outside 2xx) as its class: auth, rate-limited, conflict, transient or permanent. */
    static ProviderException refused(String action, DataverseHttp.Answer answer) {
        int status = answer.status();
        String message = "Dynamics 365 " + action + " failed (HTTP " + status + "): " + reason(answer);
        if (status == 401 || status == 403) {
            return new AuthProviderException(message, status, null);
        }
        if (status == 429) {
            return new RateLimitedProviderException(message, status, retryAfter(answer.header("Retry-After")));
        }
        if (status == 412) {
            return new ConflictProviderException(message, status, null);
        }
        if (status == 408 || status >= 500) {
            return new TransientProviderException(message, status, null);
        }
        return new PermanentProviderException(message, status, null);
    }

    /**
     * Whether the answer to a delta link says the change-tracking position is gone: Dataverse's ExpiredVersionStamp, a
     * 410, or a refusal of the {@code $deltatoken} itself.
     */
    static boolean deltaRefused(DataverseHttp.Answer answer) {
        if (answer.status() == 410) {
            return true;
        }
        if (answer.status() != 400 && answer.status() != 404 && answer.status() != 422) {
            return false;
        }
        JsonNode error = error(answer);
        String message = error.path("message").asText("").toLowerCase(java.util.Locale.ROOT);
        return EXPIRED_VERSION_STAMP.equalsIgnoreCase(error.path("code").asText("")) || message.contains("deltatoken")
                || message.contains("delta token") || message.contains("version stamp");
    }

    static ChangeMarkerRefusedException deltaRefusal(DataverseHttp.Answer answer) {
        return new ChangeMarkerRefusedException("Dataverse refused the delta token (HTTP " + answer.status() + "): " + reason(answer),
                answer.status());
    }

    /** Dataverse's error code and message, or a fixed text when the answer is not Dataverse's error shape. */
    static String reason(DataverseHttp.Answer answer) {
        JsonNode error = error(answer);
        if (error.isMissingNode()) {
            return answer.status() == 401 ? "the access token was refused" : NOT_DATAVERSE;
        }
        String code = error.path("code").asText("");
        String text = error.path("message").asText("").strip();
        String codePart = CODE.matcher(code).matches() ? code : "";
        String textPart = PLAIN_TEXT.matcher(text).matches() ? text : "";
        if (codePart.isEmpty() && textPart.isEmpty()) {
            return "Dataverse error";
        }
        return codePart.isEmpty() ? textPart : textPart.isEmpty() ? codePart : codePart + " " + textPart;
    }

    private static JsonNode error(DataverseHttp.Answer answer) {
        if (answer.body() == null || answer.body().length == 0) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        try {
            JsonNode error = JSON.readTree(answer.body()).path("error");
            return error.isObject() ? error : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        } catch (java.io.IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** Dataverse sends whole seconds; anything else is left to the gate's backoff. */
    static Duration retryAfter(String value) {
        if (value == null || !value.strip().matches("[0-9]{1,6}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(value.strip()));
    }
}
