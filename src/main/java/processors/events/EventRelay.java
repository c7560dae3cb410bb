package processors.events;

import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import messaging.RelayNudge;
import store.EventStore;

/**
 * Has the event outbox relayed soon after events commit: every append publishes {@link EventStore.Appended}, heard here
 * only once its transaction committed (never for one that rolled back; at once for an append outside a transaction).
 * The relay itself is the {@code relay-events} route; the {@code events-relay} timer runs it too, for events a crash,
 * another instance or a stopped route left behind.
 */
@Component
public class EventRelay extends RelayNudge {

    /** The relay route's endpoint. */
    public static final String ENDPOINT = "direct:relay-events";

    public EventRelay(ProducerTemplate producer) {
        super(producer, ENDPOINT, "events-relay-nudge");
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void committed(EventStore.Appended appended) {
        nudge();
    }
}
