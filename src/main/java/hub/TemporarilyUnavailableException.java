package hub;

/** A part of the hub the request needs (the queues) is down for now; the caller may retry. */
public class TemporarilyUnavailableException extends RefusalException {

    public TemporarilyUnavailableException(String message) {
        super(message, null);
    }
}
