package processors.writeback;

/**
 * Why a write-back could not be made now, named by the stage it stopped at: retried with the
 * integration's backoff, or (permanent) dead-lettered at once.
 */
public class WriteBackFailure extends RuntimeException {

    /** Re-queues the request after the delay in {@link CountAttempt#RETRY_IN_MS} (route of the write-back error policy). */
    public static final String REQUEUE = "direct:write-back-requeue";
    /** Settles a given-up request and sends it to the dead-letter queue. */
    public static final String DEAD_LETTER = "direct:write-back-dead-letter";

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
