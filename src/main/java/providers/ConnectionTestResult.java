package providers;

/** Outcome of a connection test: the provider's own reason when it fails, never a credential. */
public record ConnectionTestResult(boolean ok, String message, String account) {

    public static ConnectionTestResult success(String account) {
        return new ConnectionTestResult(true, "connected", account);
    }

    public static ConnectionTestResult failure(String reason) {
        return new ConnectionTestResult(false, reason, null);
    }
}
