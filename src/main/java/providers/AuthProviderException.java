package providers;

/** Credentials rejected or expired beyond refresh: retrying will not help until the tenant reconnects. */
public class AuthProviderException extends ProviderException {

    public AuthProviderException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }

    @Override
    public Kind kind() {
        return Kind.AUTH;
    }
}
