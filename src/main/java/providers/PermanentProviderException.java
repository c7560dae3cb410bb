package providers;

/** The provider rejected the request itself (validation, unknown field, 4xx): do not retry. */
public class PermanentProviderException extends ProviderException {

    public PermanentProviderException(String message) {
        super(message, 0, null);
    }

    public PermanentProviderException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }

    @Override
    public Kind kind() {
        return Kind.PERMANENT;
    }
}
