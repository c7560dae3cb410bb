package hub;

/** A provider the hub called for this request failed or refused (its token endpoint, for instance). */
public class UpstreamFailureException extends RefusalException {

    public UpstreamFailureException(String message) {
        super(message, null);
    }
}
