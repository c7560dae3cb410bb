package hub;

/**
 * Something the hub refuses to do for a reason its caller can act on: bad input, a missing or conflicting
 * record, a provider or queue that failed. Domain code throws the subclasses; only the REST layer turns
 * them into status codes.
 */
public abstract class RefusalException extends RuntimeException {

    private final String field;

    protected RefusalException(String message, String field) {
        super(message);
        this.field = field;
    }

    /** The input field at fault, or null. */
    public String field() {
        return field;
    }
}
