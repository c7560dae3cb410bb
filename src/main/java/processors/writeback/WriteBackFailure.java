package processors.writeback;

/**
 * Why a write-back could not be made now, named by the stage it stopped at: retried with the
 * integration's backoff, or (permanent) dead-lettered at once.
 */
public class WriteBackFailure extends RuntimeException {

    private final String stage;
    private final boolean permanent;

    public WriteBackFailure(String stage, String message, boolean permanent) {
        super(message);
        this.stage = stage;
        this.permanent = permanent;
    }

    public String stage() {
        return stage;
    }

    public boolean permanent() {
        return permanent;
    }
}
