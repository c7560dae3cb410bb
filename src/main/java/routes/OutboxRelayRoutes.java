package routes;

import java.util.List;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.jms.connection.JmsTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import messaging.RelayNudge;
import routes.config.MaintenancePolicy;
import routes.config.QueuePolicy;

/**
 * The relay of an outbox table to the broker, as the write-back outbox and the event outbox both run it: a timer (and a
 * {@link RelayNudge} after commits) runs the relay, which takes batches until one is not full. Each batch runs in a
 * database transaction: its lock step takes the outbox's lock row (one relay across instances) and the next rows in
 * order as messages; they are sent in one JMS transaction of their own, in order (all of a batch reach the broker or
 * none does), committed before the steps after the send (the last of them marks the rows relayed) run in the batch's
 * database transaction. A crash between the two commits sends the rows again, with the same ids.
 *
 * @param name     the outbox's route ids: {@code <timer>}, {@code <relay>}, {@code <relay>-batch}, {@code <send>}
 * @param timerUri the timer's endpoint
 * @param endpoint the relay's endpoint (what the nudge sends to)
 * @param afterSend what runs once the messages are committed, in the batch's database transaction, in order: the last
 *                 marks the rows relayed
 * @param to       where the messages go
 */
record OutboxRelayRoutes(Names name, String timerUri, String endpoint, Step lock, List<Step> afterSend, String to) {

    /** Route and step ids of one relay, as Hawtio and the route statistics show them. */
    record Names(String timer, String timerStep, String relay, String loop, String batchStep, String send, String sendStep,
                 String split, String toStep) {
    }

    /** A processor with its step id. */
    record Step(Processor processor, String id) {
    }

    void define(RouteBuilder routes, PlatformTransactionManager transactionManager, ConnectionFactory connectionFactory) {
        SpringTransactionPolicy databaseTransaction = new SpringTransactionPolicy(transactionManager);
        // not a bean: a second transaction manager in the context would turn off Spring Boot's JDBC one
        SpringTransactionPolicy jmsTransaction = new SpringTransactionPolicy(new JmsTransactionManager(connectionFactory));
        String batch = "direct:" + name.relay() + "-batch";
        String send = "direct:" + name.send();

        routes.from(timerUri)
                .routeId(name.timer())
                .routeConfigurationId(MaintenancePolicy.ID)
                .to(endpoint).id(name.timerStep());

        routes.from(endpoint)
                .routeId(name.relay())
                .routeConfigurationId(QueuePolicy.ID)
                .loopDoWhile(RelayNudge::moreToRelay).id(name.loop())
                    .to(batch).id(name.batchStep())
                .end();

        // the database transaction holds the relay lock and the rows; it commits after the batch's messages did
        var batchRoute = routes.from(batch)
                .routeId(name.relay() + "-batch")
                .routeConfigurationId(QueuePolicy.ID)
                .policy(databaseTransaction)
                .process(lock.processor()).id(lock.id())
                .to(send).id(name.sendStep());
        for (Step step : afterSend) {
            batchRoute.process(step.processor()).id(step.id());
        }

        // one JMS transaction for the batch (all its messages or none), sent one after another in outbox order
        routes.from(send)
                .routeId(name.send())
                .routeConfigurationId(QueuePolicy.ID)
                .policy(jmsTransaction)
                .split(routes.body()).id(name.split())
                    .to(to).id(name.toStep())
                .end();
    }
}
