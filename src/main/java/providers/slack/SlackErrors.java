package providers.slack;

import java.time.Duration;
import java.util.Set;

import providers.AuthProviderException;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.RateLimitedProviderException;
import providers.TransientProviderException;

/**
 * Slack's {@code ok:false} error codes as the hub's provider failures: the token's (the integration needs reconnecting),
 * the rate limit's, Slack's own trouble (retried), and the rest (permanent, naming the channel when the call had one).
 */
final class SlackErrors {

    /** The token is no good: the integration becomes auth_failed until it is reconnected. */
    static final Set<String> AUTH = Set.of("invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired",
            "no_permission", "org_login_required", "ekm_access_denied", "team_access_not_granted", "invalid_token");
    /** Slack's own trouble: try again later. */
    static final Set<String> TRANSIENT = Set.of("internal_error", "fatal_error", "service_unavailable", "request_timeout");
    /** The channel is not one the app may read. */
    static final Set<String> CHANNEL = Set.of("channel_not_found", "not_in_channel", "is_archived");

    private SlackErrors() {
    }

    /** The failure of a call that answered {@code ok:false} with this error (and the {@code needed} scope, if any). */
    static ProviderException of(String method, String error, String channel, String needed) {
        String code = error == null ? "unknown_error" : error;
        if (AUTH.contains(code)) {
            return new AuthProviderException("Slack refused the token (" + code + ") on " + method + ": reconnect the integration", 200, null);
        }
        if (code.equals("ratelimited") || code.equals("rate_limited")) {
            return new RateLimitedProviderException("Slack rate limit on " + method + " (" + code + ")", 429, null);
        }
        if (TRANSIENT.contains(code)) {
            return new TransientProviderException("Slack " + method + " failed on Slack's side (" + code + ")", 200, null);
        }
        if (CHANNEL.contains(code) && channel != null) {
            String why = code.equals("not_in_channel") ? "the app is not a member of it (invite the app to the channel)"
                    : code.equals("is_archived") ? "it is archived" : "Slack does not know it or the app cannot see it";
            return new PermanentProviderException("Slack channel '" + channel + "' cannot be read: " + why + " (" + code + ")", 200, null);
        }
        if (code.equals("missing_scope")) {
            return new PermanentProviderException("Slack " + method + " needs the scope " + (needed == null ? "it names" : needed)
                    + " that the app was not granted (missing_scope)", 200, null);
        }
        return new PermanentProviderException("Slack " + method + " refused the request (" + code + ")"
                + (channel == null ? "" : " for channel '" + channel + "'"), 200, null);
    }

    /** A 429: Slack says how long to wait in {@code Retry-After} (seconds). */
    static ProviderException rateLimited(String method, String retryAfter) {
        Duration wait = null;
        if (retryAfter != null) {
            try {
                wait = Duration.ofSeconds(Math.max(1, Long.parseLong(retryAfter.trim())));
            } catch (NumberFormatException e) {
                wait = null;
            }
        }
        return new RateLimitedProviderException("Slack rate limit on " + method + " (HTTP 429"
                + (wait == null ? ")" : ", retry after " + wait.toSeconds() + " s)"), 429, wait);
    }

    /** Any other HTTP status (Slack answers 200 or 429 only): a 5xx is Slack's trouble, the rest permanent. */
    static ProviderException http(String method, int status) {
        if (status >= 500 || status == 408) {
            return new TransientProviderException("Slack " + method + " answered HTTP " + status, status, null);
        }
        return new PermanentProviderException("Slack " + method + " answered HTTP " + status + ": not a Slack Web API", status, null);
    }
}
