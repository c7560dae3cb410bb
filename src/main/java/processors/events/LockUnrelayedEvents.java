package processors.events;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.CloudEvents;
import hub.Traces;
import messaging.RelayNudge;
import store.Event;
import store.EventStore;

/**
 * Takes the events relay lock (one relay at a time across instances) and the next batch of unrelayed events, in stream
 * order, in the database transaction of the relay route; the body becomes one CloudEvents message per event (type the
 * event type, id the event id, headers {@value #TYPE_HEADER} and {@value #TENANT_HEADER} for selectors). Nothing
 * unrelayed: the batch ends here. An event recorded in a trace continues it: its message carries the {@code traceparent}
 * of a {@value #SPAN} span in that trace, so the topic's consumers (outgoing webhooks, notifications) are in it too.
 */
@Component
public class LockUnrelayedEvents implements Processor {

    public static final String ID = "lock-unrelayed-events";
    /** The span of an event relayed to the events topic, in the trace of the request or sync that recorded it. */
    public static final String SPAN = "event relay";
    /** Exchange property: the ids of the events in the batch, in order. */
    public static final String EVENTS = "eventsRelayBatch";
    public static final String TYPE_HEADER = "hubEventType";
    public static final String TENANT_HEADER = "hubTenantId";

    private final EventStore events;
    private final ObjectMapper json;
    private final int batchSize;
    private final Traces traces;

    public LockUnrelayedEvents(EventStore events, ObjectMapper json, @Value("${hub.events.relay-batch-size}") int batchSize,
                               Traces traces) {
        this.traces = traces;
        this.events = events;
        this.json = json;
        this.batchSize = batchSize;
    }

    @Override
    public void process(Exchange exchange) {
        List<Event> batch = events.lockUnrelayed(batchSize);
        exchange.setProperty(RelayNudge.FULL, batch.size() == batchSize);
        exchange.setProperty(EVENTS, batch.stream().map(Event::id).toList());
        if (batch.isEmpty()) {
            exchange.setRouteStop(true);
            return;
        }
        exchange.getMessage().setBody(batch.stream().map(e -> message(exchange, e)).toList());
    }

    private Message message(Exchange exchange, Event event) {
        Message message = new DefaultMessage(exchange);
        String source = event.tenantId() == null ? "/hub" : "/tenants/" + event.tenantId();
        message.setBody(CloudEvents.write(json, event.type(), source, event.id(), event.occurredAt(), event.data()));
        message.setHeader("JMSType", event.type());
        message.setHeader(TYPE_HEADER, event.type());
        if (event.tenantId() != null) {
            message.setHeader(TENANT_HEADER, event.tenantId());
        }
        traces.continueOn(message, SPAN, event.traceParent(), exchange);
        return message;
    }
}
