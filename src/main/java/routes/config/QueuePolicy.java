package routes.config;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Error policy of the routes that only move messages to or from a queue (queue-sync-run, queue-webhook-deliveries,
 * the inbound queue consumers): a failure is logged with its route and step, counted
 * ({@value FailureReport#COUNTER}, policy=queues) and not handled: a send's caller learns that nothing was queued
 * (the API answers 503, a consumed message rolls back), and a consumed message the flow could not even record is
 * redelivered by the broker with backoff, then parked on the dead-letter queue.
 */
@Component
public class QueuePolicy extends RouteConfigurationBuilder {

    public static final String ID = "queue-policy";

    private final FailureReport report;

    public QueuePolicy(FailureReport report) {
        this.report = report;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                .handled(false)
                .process(report.of("queues", LoggingLevel.WARN, "left to the caller or the broker")).id("report-queue-failure");
    }
}
