package providers.google_drive;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

import com.google.api.client.auth.oauth2.TokenResponseException;
import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;

import providers.AuthProviderException;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.RateLimitedProviderException;
import providers.TransientProviderException;

/**
 * Drive's refusals, classified: 403/429 with a {@code usageLimits} reason (userRateLimitExceeded, rateLimitExceeded)
 * are rate limits; 401 and the token endpoint's {@code invalid_grant}/{@code invalid_client} are auth failures; 5xx
 * and no answer are transient; the rest (404 notFound, 400 invalid, 403 insufficient permissions) permanent. Messages
 * carry Google's reason and message, never a token or the key.
 */
final class GoogleDriveErrors {

    /** Google gives no Retry-After: the hub's gate backs off from this. */
    static final Duration RATE_BACKOFF = Duration.ofSeconds(10);

    private GoogleDriveErrors() {
    }

    /** The Google exception under a Camel or reflection wrapper, or the throwable itself. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 6 && t != null; i++) {
            if (t instanceof HttpResponseException || t instanceof IOException) {
                return t;
            }
            t = t.getCause();
        }
        return e;
    }

    static int status(Throwable e) {
        return unwrap(e) instanceof HttpResponseException h ? h.getStatusCode() : 0;
    }

    static String reason(Throwable e) {
        if (unwrap(e) instanceof GoogleJsonResponseException g && g.getDetails() != null && g.getDetails().getErrors() != null
                && !g.getDetails().getErrors().isEmpty()) {
            return g.getDetails().getErrors().get(0).getReason();
        }
        return null;
    }

    static ProviderException classify(String action, Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof TokenResponseException t) {
            String error = t.getDetails() == null ? null : t.getDetails().getError();
            String description = t.getDetails() == null ? null : t.getDetails().getErrorDescription();
            String text = "Google Drive " + action + ": the token endpoint refused the credentials ("
                    + (error == null ? "HTTP " + t.getStatusCode() : error) + (description == null ? "" : ": " + description) + "); reconnect";
            if (t.getStatusCode() >= 500) {
                return new TransientProviderException("Google Drive " + action + ": the token endpoint answered HTTP " + t.getStatusCode(),
                        t.getStatusCode(), null);
            }
            return new AuthProviderException(text, t.getStatusCode(), null);
        }
        if (e instanceof GoogleJsonResponseException g) {
            int status = g.getStatusCode();
            GoogleJsonError details = g.getDetails();
            String reason = reason(g);
            String message = details == null ? g.getStatusMessage() : details.getMessage();
            String text = "Google Drive " + action + " failed: HTTP " + status + (reason == null ? "" : " " + reason)
                    + (message == null ? "" : ": " + message);
            if (status == 429 || status == 403 && reason != null && (reason.endsWith("RateLimitExceeded") || reason.equals("rateLimitExceeded")
                    || reason.equals("dailyLimitExceeded"))) {
                return new RateLimitedProviderException(text, status, RATE_BACKOFF);
            }
            if (status == 401) {
                return new AuthProviderException(text + "; reconnect", status, null);
            }
            if (status >= 500) {
                return new TransientProviderException(text, status, null);
            }
            return new PermanentProviderException(text, status, null);
        }
        if (e instanceof HttpResponseException h) {
            int status = h.getStatusCode();
            String text = "Google Drive " + action + " failed: HTTP " + status;
            if (status == 429) {
                return new RateLimitedProviderException(text, status, RATE_BACKOFF);
            }
            if (status == 401) {
                return new AuthProviderException(text + "; reconnect", status, null);
            }
            return status >= 500 ? new TransientProviderException(text, status, null) : new PermanentProviderException(text, status, null);
        }
        if (e instanceof UnknownHostException || e instanceof ConnectException || e instanceof SocketTimeoutException || e instanceof IOException) {
            return new TransientProviderException("Google Drive " + action + ": no answer (" + e.getClass().getSimpleName() + ")", 0, null);
        }
        if (e instanceof ProviderException p) {
            return p;
        }
        return new TransientProviderException("Google Drive " + action + " failed: " + e.getClass().getSimpleName(), 0, null);
    }
}
