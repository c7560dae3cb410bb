package routes.config;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Error policy of the webhook routes: a failure is logged with its route and step and counted
 * ({@value FailureReport#COUNTER}, policy=webhooks), and not handled here. The receiver's caller answers the provider
 * (the provider retries; what was made durable is in the delivery log); a queued delivery rolls back and the broker
 * redelivers it with backoff, then parks it on the dead-letter queue; a failed hand-off to the deliveries queue is the
 * acceptor's to report (the delivery log keeps the batch, webhook-recovery queues it again).
 */
@Component
public class WebhookErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "webhook-error-policy";

    private final FailureReport report;

    public WebhookErrorPolicy(FailureReport report) {
        this.report = report;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                .handled(false)
                .process(report.of("webhooks", LoggingLevel.ERROR, "left to the caller or the broker")).id("report-webhook-failure");
    }
}
