package providers;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import security.RefusedAddressException;

/**
 * A provider call that got no answer, classified: the outbound guard refused its URL (permanent: it will not be allowed
 * later), a failure already classified passes as it is, a timeout or an unreachable host is transient, and so is
 * anything else. Messages name the provider and the action, never the request.
 */
public final class ProviderFailures {

    private ProviderFailures() {
    }

    public static ProviderException noAnswer(String provider, String action, Throwable failure) {
        if (cause(failure, RefusedAddressException.class) != null) {
            return new PermanentProviderException(provider + " " + action + " not attempted: its URL " + RefusedAddressException.MESSAGE, 0,
                    failure);
        }
        ProviderException already = cause(failure, ProviderException.class);
        if (already != null) {
            return already;
        }
        if (cause(failure, SocketTimeoutException.class) != null || cause(failure, TimeoutException.class) != null) {
            return new TransientProviderException(provider + " " + action + " failed: the provider did not answer in time", 0, failure);
        }
        if (cause(failure, IOException.class) != null || cause(failure, UnknownHostException.class) != null) {
            return new TransientProviderException(provider + " " + action + " failed: the provider could not be reached", 0, failure);
        }
        return new TransientProviderException(provider + " " + action + " failed: unexpected error", 0, failure);
    }

    /** The first cause of the type in the chain, or null. */
    public static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
