package routes;

import java.util.concurrent.ExecutorService;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import processors.outgoing.ClaimDueMessages;
import processors.outgoing.DeliverMessage;
import processors.outgoing.DeliverySlots;
import processors.outgoing.DispatchNudge;
import processors.outgoing.EndpointIntake;
import routes.config.MaintenancePolicy;
import routes.config.QueuePolicy;

/**
 * Outgoing webhooks (Standard Webhooks) to tenants' endpoints.
 *
 * <p>webhooks-out-intake: a JMS 2.0 shared durable subscription ({@code hub.webhooks-out.subscription}) on the events
 * topic, consumed by every instance; each event, in a JMS transaction, becomes one message row per matching endpoint
 * (idempotent on endpoint and event): an event the relay published is kept by the broker until a message row holds it,
 * whether or not any instance was up. webhooks-out-dispatch (nudged after the intake commits and after each delivery,
 * and by webhooks-out-timer for retries coming due) claims due messages for the free senders; each goes to
 * webhooks-out-send on the sender pool ({@code hub.webhooks-out.senders} threads, at most
 * {@code hub.webhooks-out.endpoint-concurrency} per endpoint), which sends one attempt and settles it.
 */
@Component
public class OutgoingWebhookRoutes extends RouteBuilder {

    private static final String SEND = "direct:webhooks-out-send";

    private final EndpointIntake intake;
    private final ClaimDueMessages claim;
    private final DeliverMessage deliver;
    private final DeliverySlots slots;

    public OutgoingWebhookRoutes(EndpointIntake intake, ClaimDueMessages claim, DeliverMessage deliver, DeliverySlots slots) {
        this.intake = intake;
        this.claim = claim;
        this.deliver = deliver;
        this.slots = slots;
    }

    @Override
    public void configure() {
        ExecutorService senders = getContext().getExecutorServiceManager().newFixedThreadPool(this, "webhooks-out-sender", slots.senders());

        from("jms:topic:{{hub.events.topic}}?subscriptionDurable=true&subscriptionShared=true"
                + "&subscriptionName={{hub.webhooks-out.subscription}}&concurrentConsumers={{hub.webhooks-out.intake-consumers}}"
                // acknowledged once its messages are committed (a failure is redelivered); not a broker transaction per
                // event: a crash between the commit and the acknowledgement hears the event again, which adds nothing
                + "&acknowledgementModeName=CLIENT_ACKNOWLEDGE&cacheLevelName=CACHE_CONSUMER")
                .routeId("webhooks-out-intake")
                .routeConfigurationId(QueuePolicy.ID)
                .process(intake).id(EndpointIntake.ID);

        from("timer:webhooks-out-dispatch?period={{hub.webhooks-out.poll-interval-ms}}&delay=1000")
                .routeId("webhooks-out-timer")
                .routeConfigurationId(MaintenancePolicy.ID)
                .to(DispatchNudge.ENDPOINT).id("dispatch-due-messages");

        from(DispatchNudge.ENDPOINT)
                .routeId("webhooks-out-dispatch")
                .routeConfigurationId(MaintenancePolicy.ID)
                .process(claim).id(ClaimDueMessages.ID)
                .split(body()).id("each-claimed-message")
                    .wireTap(SEND).executorService(senders).id("hand-to-sender")
                .end();

        from(SEND)
                .routeId("webhooks-out-send")
                .routeConfigurationId(MaintenancePolicy.ID)
                .process(deliver).id(DeliverMessage.ID);
    }
}
