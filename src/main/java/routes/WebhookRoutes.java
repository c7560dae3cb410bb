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
import routes.config.MaintenancePolicy;
import routes.config.WebhookErrorPolicy;

/**
 * Push-based sync. webhook-receiver: registration → signature on the raw bytes → events → durable
 * accept (delivery log + queue) → reply. queue-webhook-deliveries: a batch of accepted deliveries onto their
 * queue. webhook-delivery: queued deliveries become coalesced incremental syncs. Housekeeping: retention purge,
 * renewal of expiring provider subscriptions, and re-queueing deliveries a crash left behind.
 */
@Component
public class WebhookRoutes extends RouteBuilder {

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
        // Dedupe is not Camel's idempotentConsumer(): a delivery's key is recorded in the delivery log in the same
        // transaction that makes it durable (a unique key, checked per batch), so a crash can neither lose a delivery
        // whose key was taken nor take a key whose delivery was lost, and a duplicate still gets its own log row
        from("direct:webhook-receiver")
                .routeId("webhook-receiver")
                .routeConfigurationId(WebhookErrorPolicy.ID)
                .process(lookup).id("find-registration")
                .process(verification).id("verify-signature")
                .process(parsing).id("parse-events")
                .process(acceptance).id("persist-and-acknowledge");

        // one persistent message per accepted batch; when the send returns it is on the broker's disk
        from(WebhookAcceptor.QUEUE_ROUTE)
                .routeId("queue-webhook-deliveries")
                .routeConfigurationId(WebhookErrorPolicy.ID)
                .setHeader("JMSType", constant(WebhookAcceptor.EVENT_TYPE)).id("stamp-delivery-type")
                .setHeader("JMSPriority", constant(8)).id("stamp-delivery-priority")
                .to("jms:queue:{{hub.queue.webhook-deliveries}}?preserveMessageQos=true").id("put-on-deliveries-queue");

        from("jms:queue:{{hub.queue.webhook-deliveries}}?transacted=true&concurrentConsumers={{hub.webhooks.consumers}}")
                .routeId("webhook-delivery")
                .routeConfigurationId(WebhookErrorPolicy.ID)
                .process(changes).id("queue-syncs-for-changes");

        from("quartz:hub/webhook-retention?cron=RAW({{hub.webhooks.retention-cron}})&stateful=true&recoverableJob=true")
                .routeId("webhook-retention")
                .routeConfigurationId(MaintenancePolicy.ID)
                .bean(maintenance, "purgeExpired").id("purge-delivery-log");

        from("quartz:hub/webhook-renewal?cron=RAW({{hub.webhooks.renewal-cron}})&stateful=true&recoverableJob=true")
                .routeId("webhook-renewal")
                .routeConfigurationId(MaintenancePolicy.ID)
                .bean(renewal, "renewExpiring").id("renew-expiring-subscriptions");

        // also covers deliveries an older version left on sync-inbound-webhook, should sync-inbound-webhook not move them
        from("quartz:hub/webhook-recovery?cron=RAW({{hub.webhooks.recovery-cron}})&stateful=true&recoverableJob=true")
                .routeId("webhook-recovery")
                .routeConfigurationId(MaintenancePolicy.ID)
                .bean(maintenance, "requeueStranded").id("requeue-stranded-deliveries");
    }
}
