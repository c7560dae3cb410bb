package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import processors.events.LockUnrelayedEvents;
import processors.notifications.GroupFlush;
import processors.notifications.NotificationDelivery;
import processors.notifications.NotificationIntake;
import processors.notifications.IntakeRetention;
import routes.config.MaintenancePolicy;
import routes.config.QueuePolicy;

/**
 * Operator notifications. notifications-events takes every event of the events topic through a shared durable
 * subscription (JMS 2.0: one instance gets each event, the broker keeps them while the hub is down) in a JMS
 * transaction, and notifications-intake groups it for the channels whose rules it passes (a failure rolls the message
 * back for redelivery). notifications-dispatch (timer) turns due groups into messages and sends due messages at the
 * platforms' pace. notifications-intake-retention (quartz) forgets old taken event ids.
 */
@Component
public class NotificationRoutes extends RouteBuilder {

    public static final String INTAKE = "direct:notifications-intake";
    public static final String DISPATCH = "direct:notifications-dispatch";

    private final NotificationIntake intake;
    private final GroupFlush flush;
    private final NotificationDelivery delivery;
    private final IntakeRetention retention;

    public NotificationRoutes(NotificationIntake intake, GroupFlush flush, NotificationDelivery delivery, IntakeRetention retention) {
        this.intake = intake;
        this.flush = flush;
        this.delivery = delivery;
        this.retention = retention;
    }

    @Override
    public void configure() {
        // operators are told what happened to syncs, credentials and the hub, not of each record: the subscription leaves the
        // per-record changes (shard.created|updated|deleted, one per synced record) to outgoing webhooks, so a large sync
        // does not queue thousands of events ahead of the one that matters
        from("jms:topic:{{hub.events.topic}}?subscriptionDurable=true&subscriptionShared=true"
                + "&subscriptionName={{hub.notifications.subscription}}&transacted=true"
                + "&selector=RAW{" + LockUnrelayedEvents.TYPE_HEADER + " NOT IN ('shard.created','shard.updated','shard.deleted')}")
                .routeId("notifications-events")
                .routeConfigurationId(QueuePolicy.ID)
                .convertBodyTo(String.class)
                .to(INTAKE).id("take-event");

        from(INTAKE)
                .routeId("notifications-intake")
                .routeConfigurationId(QueuePolicy.ID)
                .bean(intake, "take(${body})").id("group-event");

        from("timer:notifications-dispatch?period={{hub.notifications.dispatch-interval-ms}}&delay=1000")
                .routeId("notifications-dispatch-timer")
                .routeConfigurationId(MaintenancePolicy.ID)
                .to(DISPATCH).id("dispatch-notifications");

        from(DISPATCH)
                .routeId("notifications-dispatch")
                .routeConfigurationId(MaintenancePolicy.ID)
                .bean(flush, "flushDue").id("flush-due-groups")
                .bean(delivery, "deliverDue").id("deliver-due-notifications");

        from("quartz:hub/notifications-intake-retention?cron=RAW({{hub.notifications.intake-retention-cron}})&stateful=true&recoverableJob=true")
                .routeId("notifications-intake-retention")
                .routeConfigurationId(MaintenancePolicy.ID)
                .bean(retention, "purgeExpired").id("purge-taken-events");
    }
}
