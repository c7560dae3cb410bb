package messaging;

/** Message properties the hub's queued work carries across re-queues, whichever flow sends it. */
public final class QueueHeaders {

    /** When (epoch ms) the current wait of re-queued work began (throttled, or behind busy work). */
    public static final String WAITING_SINCE = "CastielWaitingSince";

    private QueueHeaders() {
    }
}
