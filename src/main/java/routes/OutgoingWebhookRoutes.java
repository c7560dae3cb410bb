package routes;

import java.util.concurrent.ExecutorService;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import processors.outgoing.ClaimDueMessages;
import processors.outgoing.DeliverMessage;
import processors.outgoing.DeliverySlots;
import processors.outgoing.DispatchNudge;
import routes.config.MaintenancePolicy;

/**
 * Outgoing webhooks (Standard Webhooks) to tenants' endpoints.
 *
 * <p>Message rows (one per matching endpoint of each event) are written by the events relay in the transaction that marks
 * its batch relayed ({@link processors.outgoing.EndpointIntake}, a step of {@link EventRoutes}). webhooks-out-dispatch
 * (nudged after such a commit and after each delivery, and by webhooks-out-timer for retries coming due) claims due messages for the free senders; each goes to
 * webhooks-out-send on the sender pool ({@code hub.webhooks-out.senders} threads, at most
 * {@code hub.webhooks-out.endpoint-concurrency} per endpoint), which sends one attempt and settles it.
 */
@Component
public class OutgoingWebhookRoutes extends RouteBuilder {

    private static final String SEND = "direct:webhooks-out-send";

    private final ClaimDueMessages claim;
    private final DeliverMessage deliver;
    private final DeliverySlots slots;

    public OutgoingWebhookRoutes(ClaimDueMessages claim, DeliverMessage deliver, DeliverySlots slots) {
        this.claim = claim;
        this.deliver = deliver;
        this.slots = slots;
    }

    @Override
    public void configure() {
        ExecutorService senders = getContext().getExecutorServiceManager().newFixedThreadPool(this, "webhooks-out-sender", slots.senders());

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
