package messaging;

/** Message properties the hub's queued work carries across re-queues, whichever flow sends it. */
public final class QueueHeaders {

    /** When (epoch ms) the current wait of re-queued work began (throttled, or behind busy work). */
    public static final String WAITING_SINCE = "CastielWaitingSince";

    /**
     * Artemis's scheduled delivery time (epoch ms), what a JMS 2 delivery delay sets on this broker. Set per message: a
     * deliveryDelay in the endpoint URI would make an endpoint per distinct delay.
     */
    public static final String DELIVER_AT = "_AMQ_SCHED_DELIVERY";

    private QueueHeaders() {
    }
}
