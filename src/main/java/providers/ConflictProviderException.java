package providers;

/**
 * A conditional write the provider refused because the record changed since the version the hub
 * last read (HTTP 412): not a failure but a conflict, to be detected and resolved again on the
 * record as it is now.
 */
public class ConflictProviderException extends ProviderException {

    public ConflictProviderException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }
}
