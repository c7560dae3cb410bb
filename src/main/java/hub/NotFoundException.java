package hub;

/** The record asked for does not exist, or belongs to another tenant (the two are not told apart). */
public class NotFoundException extends RefusalException {

    public NotFoundException(String message) {
        super(message, null);
    }

    /** "{what} not found". */
    public static NotFoundException of(String what) {
        return new NotFoundException(what + " not found");
    }
}
