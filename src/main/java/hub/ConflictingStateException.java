package hub;

/** The request is well formed but the record's current state forbids it (already resolved, deleted, another version). */
public class ConflictingStateException extends RefusalException {

    public ConflictingStateException(String message) {
        super(message, null);
    }

    /** With the input field whose value no longer matches (an expected version, say). */
    public ConflictingStateException(String message, String field) {
        super(message, field);
    }
}
