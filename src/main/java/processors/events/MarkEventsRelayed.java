package processors.events;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import store.EventStore;

/** Marks the batch's events relayed, in the database transaction that locked them, after their messages were committed. */
@Component
public class MarkEventsRelayed implements Processor {

    public static final String ID = "mark-events-relayed";

    private final EventStore events;

    public MarkEventsRelayed(EventStore events) {
        this.events = events;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        events.markRelayed(exchange.getProperty(LockUnrelayedEvents.EVENTS, List.class));
    }
}
