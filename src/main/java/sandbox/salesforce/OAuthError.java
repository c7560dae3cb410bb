package sandbox.salesforce;

/** An OAuth endpoint error, answered as {@code {"error":..,"error_description":..}} with status 400. */
public class OAuthError extends RuntimeException {

    private final String error;

    public OAuthError(String error, String description) {
        super(description);
        this.error = error;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }
}
