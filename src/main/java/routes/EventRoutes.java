package routes;

import java.util.List;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

import processors.events.EventRelay;
import processors.events.EventRetention;
import processors.events.LockUnrelayedEvents;
import processors.events.MarkEventsRelayed;
import processors.outgoing.EndpointIntake;
import routes.config.MaintenancePolicy;

/**
 * The event stream: domain events appended to the event outbox with the change that caused them reach the events topic.
 *
 * <p>events-relay (timer, and a nudge after each commit that appended events, through {@link EventRelay}) runs
 * relay-events: batches of unrelayed events, in stream order, until a batch is not full. Each batch (relay-events-batch)
 * runs in a database transaction that takes the events relay lock (one relay across instances), reads the events,
 * publishes them, writes the outgoing webhook messages of tenants' endpoints that want them (write-endpoint-messages)
 * and then marks them relayed; publish-events-batch sends them in one JMS transaction of its own, in
 * order: all of a batch reach the broker or none does, and they are committed before the events are marked. A crash
 * between the two commits publishes the batch again with the same event ids (receivers deduplicate on the id). The
 * routes are the write-back relay's ({@link OutboxRelayRoutes}) on another outbox. events-retention (quartz) deletes
 * relayed events past {@code hub.events.retention}.
 */
@Component
public class EventRoutes extends RouteBuilder {

    private static final String TO_TOPIC = "jms:topic:{{hub.events.topic}}?explicitQosEnabled=true&deliveryPersistent=true";

    private final LockUnrelayedEvents lock;
    private final MarkEventsRelayed mark;
    private final EndpointIntake endpointMessages;
    private final EventRetention retention;
    private final PlatformTransactionManager transactionManager;
    private final ConnectionFactory connectionFactory;

    public EventRoutes(LockUnrelayedEvents lock, MarkEventsRelayed mark, EndpointIntake endpointMessages, EventRetention retention,
                       PlatformTransactionManager transactionManager, ConnectionFactory connectionFactory) {
        this.endpointMessages = endpointMessages;
        this.retention = retention;
        this.lock = lock;
        this.mark = mark;
        this.transactionManager = transactionManager;
        this.connectionFactory = connectionFactory;
    }

    @Override
    public void configure() {
        new OutboxRelayRoutes(new OutboxRelayRoutes.Names("events-relay", "relay-events-to-topic", "relay-events", "relay-event-batches",
                "relay-event-batch", "publish-events-batch", "publish-batch", "split-events", "publish-event"),
                "timer:events-relay?period={{hub.events.relay-interval-ms}}&delay=1000", EventRelay.ENDPOINT,
                new OutboxRelayRoutes.Step(lock, LockUnrelayedEvents.ID),
                List.of(new OutboxRelayRoutes.Step(endpointMessages, EndpointIntake.ID), new OutboxRelayRoutes.Step(mark, MarkEventsRelayed.ID)),
                TO_TOPIC).define(this, transactionManager, connectionFactory);

        from("quartz:hub/events-retention?cron=RAW({{hub.events.retention-cron}})&stateful=true&recoverableJob=true")
                .routeId("events-retention")
                .routeConfigurationId(MaintenancePolicy.ID)
                .bean(retention, "purgeExpired").id("purge-relayed-events");
    }
}
