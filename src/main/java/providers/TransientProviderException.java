package providers;

/** I/O failures, timeouts, 5xx: worth retrying with backoff. */
public class TransientProviderException extends ProviderException {

    public TransientProviderException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }

    @Override
    public Kind kind() {
        return Kind.TRANSIENT;
    }
}
