package routes;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.jms.connection.JmsTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

import messaging.RelayNudge;
import processors.events.EventRelay;
import processors.events.LockUnrelayedEvents;
import processors.events.MarkEventsRelayed;
import routes.config.MaintenancePolicy;
import routes.config.QueuePolicy;

/**
 * The event stream: domain events appended to the event outbox with the change that caused them reach the events topic.
 *
 * <p>events-relay (timer, and a nudge after each commit that appended events, through {@link EventRelay}) runs
 * relay-events: batches of unrelayed events, in stream order, until a batch is not full. Each batch (relay-events-batch)
 * runs in a database transaction that takes the events relay lock (one relay across instances), reads the events,
 * publishes them and then marks them relayed; publish-events-batch sends them in one JMS transaction of its own, in
 * order: all of a batch reach the broker or none does, and they are committed before the events are marked. A crash
 * between the two commits publishes the batch again with the same event ids (receivers deduplicate on the id).
 */
@Component
public class EventRoutes extends RouteBuilder {

    private static final String TO_TOPIC = "jms:topic:{{hub.events.topic}}?explicitQosEnabled=true&deliveryPersistent=true";

    private final LockUnrelayedEvents lock;
    private final MarkEventsRelayed mark;
    private final SpringTransactionPolicy databaseTransaction;
    private final SpringTransactionPolicy jmsTransaction;

    public EventRoutes(LockUnrelayedEvents lock, MarkEventsRelayed mark, PlatformTransactionManager transactionManager,
                       ConnectionFactory connectionFactory) {
        this.lock = lock;
        this.mark = mark;
        this.databaseTransaction = new SpringTransactionPolicy(transactionManager);
        // not a bean: a second transaction manager in the context would turn off Spring Boot's JDBC one
        this.jmsTransaction = new SpringTransactionPolicy(new JmsTransactionManager(connectionFactory));
    }

    @Override
    public void configure() {
        from("timer:events-relay?period={{hub.events.relay-interval-ms}}&delay=1000")
                .routeId("events-relay")
                .routeConfigurationId(MaintenancePolicy.ID)
                .to(EventRelay.ENDPOINT).id("relay-events-to-topic");

        from(EventRelay.ENDPOINT)
                .routeId("relay-events")
                .routeConfigurationId(QueuePolicy.ID)
                .loopDoWhile(RelayNudge::moreToRelay).id("relay-event-batches")
                    .to("direct:relay-events-batch").id("relay-event-batch")
                .end();

        // the database transaction holds the relay lock; it commits after the batch's messages did
        from("direct:relay-events-batch")
                .routeId("relay-events-batch")
                .routeConfigurationId(QueuePolicy.ID)
                .policy(databaseTransaction)
                .process(lock).id(LockUnrelayedEvents.ID)
                .to("direct:publish-events-batch").id("publish-batch")
                .process(mark).id(MarkEventsRelayed.ID);

        from("direct:publish-events-batch")
                .routeId("publish-events-batch")
                .routeConfigurationId(QueuePolicy.ID)
                .policy(jmsTransaction)
                .split(body()).id("split-events")
                    .to(TO_TOPIC).id("publish-event")
                .end();
    }
}
