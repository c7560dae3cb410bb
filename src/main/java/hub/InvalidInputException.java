package hub;

/** Input that does not fit: names the field (when one is at fault) and what is wrong with it. */
public class InvalidInputException extends RefusalException {

    public InvalidInputException(String field, String message) {
        super(field == null ? message : field + ": " + message, field);
    }
}
