package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import processors.webhooks.WebhookAcceptance;
import processors.webhooks.WebhookAcceptor;
import processors.webhooks.WebhookChangeDispatch;
import processors.webhooks.WebhookEventParsing;
import processors.webhooks.WebhookMaintenance;
import processors.webhooks.WebhookRegistrationLookup;
import processors.webhooks.WebhookRenewal;
import processors.webhooks.WebhookVerification;

/**
 * Push-based sync. webhook-receiver: registration → signature on the raw bytes → events → durable
 * accept (delivery log + queue) → reply. webhook-delivery: queued deliveries become coalesced
 * incremental syncs. Housekeeping: retention purge, renewal of expiring provider subscriptions, and
 * re-queueing deliveries a crash left behind.
 */
@Component
public class WebhookRoutes extends RouteBuilder {

    private static final String DELIVERIES = "JMSType = '" + WebhookAcceptor.EVENT_TYPE + "'";

    private final WebhookRegistrationLookup lookup;
    private final WebhookVerification verification;
    private final WebhookEventParsing parsing;
    private final WebhookAcceptance acceptance;
    private final WebhookChangeDispatch changes;
    private final WebhookMaintenance maintenance;
    private final WebhookRenewal renewal;

    public WebhookRoutes(WebhookRegistrationLookup lookup, WebhookVerification verification, WebhookEventParsing parsing,
                         WebhookAcceptance acceptance, WebhookChangeDispatch changes, WebhookMaintenance maintenance,
                         WebhookRenewal renewal) {
        this.lookup = lookup;
        this.verification = verification;
        this.parsing = parsing;
        this.acceptance = acceptance;
        this.changes = changes;
        this.maintenance = maintenance;
        this.renewal = renewal;
    }

    @Override
    public void configure() {
        from("direct:webhook-receiver")
                .routeId("webhook-receiver")
                .process(lookup).id("find-registration")
                .process(verification).id("verify-signature")
                .process(parsing).id("parse-events")
                .process(acceptance).id("persist-and-acknowledge");

        from("jms:queue:{{hub.queue.sync-inbound-webhook}}?transacted=true&concurrentConsumers={{hub.webhooks.consumers}}"
                + "&selector=RAW(" + DELIVERIES + ")")
                .routeId("webhook-delivery")
                .process(changes).id("queue-syncs-for-changes");

        from("quartz:hub/webhook-retention?cron=RAW({{hub.webhooks.retention-cron}})&stateful=true")
                .routeId("webhook-retention")
                .bean(maintenance, "purgeExpired").id("purge-delivery-log");

        from("quartz:hub/webhook-renewal?cron=RAW({{hub.webhooks.renewal-cron}})&stateful=true")
                .routeId("webhook-renewal")
                .bean(renewal, "renewExpiring").id("renew-expiring-subscriptions");

        from("quartz:hub/webhook-recovery?cron=RAW({{hub.webhooks.recovery-cron}})&stateful=true")
                .routeId("webhook-recovery")
                .bean(maintenance, "requeueStranded").id("requeue-stranded-deliveries");
    }

    /** Selector of the sync-inbound-webhook consumer: everything on the queue that is not a delivery. */
    public static String notDeliveries() {
        return "JMSType IS NULL OR NOT (" + DELIVERIES + ")";
    }
}
