package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.model.OnExceptionDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.Ids;
import messaging.QueueHeaders;
import processors.sync.SyncDispatcher;
import routes.config.MaintenancePolicy;
import routes.config.QueuePolicy;
import routes.config.WebhookErrorPolicy;
import store.SyncExecution;
import store.Timestamps;

/**
 * queue-sync-run from the inside: a re-queued run reaches its trigger's queue with its priority, type and waiting
 * properties, after its delivery delay; and the maintenance policy keeps a housekeeping route running through a
 * failed run, counted with its route and step.
 */
class QueueRoutesTest extends EmbeddedHubTest {

    private static final long TIMEOUT_S = 60;
    /** The context whose webhook-retention is advised (once: the context is shared). */
    private static CamelContext advised;
    private static final AtomicBoolean FAIL_RETENTION = new AtomicBoolean();

    @Autowired
    CamelContext camel;
    @Autowired
    SyncDispatcher dispatcher;
    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void advisedRetention() throws Exception {
        // advised once per context; the woven step fails only while a test asks it to
        if (advised != camel) {
            AdviceWith.adviceWith(camel, "webhook-retention", route -> withoutMergedErrorPolicy(route).weaveById("purge-delivery-log").before()
                    .process(e -> {
                        if (FAIL_RETENTION.getAndSet(false)) {
                            throw new IllegalStateException("the delivery log is locked (test)");
                        }
                    }));
            camel.getRouteController().startRoute("webhook-retention");
            advised = camel;
        }
    }

    @Test
    void aWaitingRunIsRequeuedToItsTriggersQueueWithItsPriorityTypeAndPropertiesAfterItsDelay() {
        // runs of no integration: their consumer drops them once it has taken them
        SyncExecution webhookRun = execution(SyncDispatcher.TRIGGER_WEBHOOK);
        SyncExecution manualRun = execution(SyncDispatcher.TRIGGER_MANUAL);
        SyncExecution scheduledRun = execution(SyncDispatcher.TRIGGER_SCHEDULED);
        MockEndpoint webhook = arrivals(webhookRun);
        MockEndpoint manual = arrivals(manualRun);
        MockEndpoint scheduled = arrivals(scheduledRun);
        NotifyBuilder onWebhookQueue = taken("sync-inbound-webhook", webhookRun, webhook);
        NotifyBuilder manualOnScheduledQueue = taken("sync-inbound-scheduled", manualRun, manual);
        NotifyBuilder onScheduledQueue = taken("sync-inbound-scheduled", scheduledRun, scheduled);

        long sentAt = System.currentTimeMillis();
        dispatcher.requeueWaiting(webhookRun, Duration.ofMillis(1500), 12345L, "throttled", 3);
        dispatcher.requeueWaiting(manualRun, Duration.ofMillis(1), 777L, "circuit-open", 1);
        dispatcher.requeueWaiting(scheduledRun, Duration.ofMillis(1), 888L, "throttled", 2);

        assertThat(onWebhookQueue.matches(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(System.currentTimeMillis() - sentAt).as("delivered after its delay, not at once").isGreaterThanOrEqualTo(1500);
        assertThat(manualOnScheduledQueue.matches(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(onScheduledQueue.matches(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

        Exchange w = webhook.getReceivedExchanges().get(0);
        assertThat(w.getMessage().getHeader("JMSPriority", Integer.class)).isEqualTo(8);
        assertThat(w.getMessage().getHeader("JMSType", String.class)).isEqualTo("Castiel.Integration.SyncRequested");
        assertThat(w.getMessage().getHeader(QueueHeaders.WAITING_SINCE, Long.class)).isEqualTo(12345L);
        assertThat(w.getMessage().getHeader(SyncDispatcher.WAITING_FOR, String.class)).isEqualTo("throttled");
        assertThat(w.getMessage().getHeader(SyncDispatcher.WAITS_IN_ROW, Integer.class)).isEqualTo(3);
        assertThat(w.getMessage().getHeader("JMSDeliveryMode", Integer.class)).as("persistent").isEqualTo(2);
        Exchange m = manual.getReceivedExchanges().get(0);
        assertThat(m.getMessage().getHeader("JMSPriority", Integer.class)).isEqualTo(6);
        assertThat(m.getMessage().getHeader(SyncDispatcher.WAITING_FOR, String.class)).isEqualTo("circuit-open");
        Exchange s = scheduled.getReceivedExchanges().get(0);
        assertThat(s.getMessage().getHeader("JMSPriority", Integer.class)).isEqualTo(4);
        assertThat(s.getMessage().getHeader("JMSType", String.class)).isEqualTo("Castiel.Integration.SyncScheduled");
        assertThat(s.getMessage().getHeader(QueueHeaders.WAITING_SINCE, Long.class)).isEqualTo(888L);
    }

    @Test
    void aFailedHousekeepingRunIsCountedWithItsRouteAndStepAndTheRouteRunsOn() throws Exception {
        Scheduler quartz = camel.getComponent("quartz", QuartzComponent.class).getScheduler();
        double before = failures("webhook-retention");
        NotifyBuilder failedRun = new NotifyBuilder(camel).fromRoute("webhook-retention").whenCompleted(1).create();
        FAIL_RETENTION.set(true);
        quartz.triggerJob(JobKey.jobKey("webhook-retention", "hub"));
        assertThat(failedRun.matches(TIMEOUT_S, TimeUnit.SECONDS)).as("the failure was handled: the run completed").isTrue();
        assertThat(FAIL_RETENTION.get()).as("the failing step ran").isFalse();
        assertThat(failures("webhook-retention")).isEqualTo(before + 1);

        assertThat(camel.getRouteController().getRouteStatus("webhook-retention").isStarted()).isTrue();
        NotifyBuilder nextRun = new NotifyBuilder(camel).fromRoute("webhook-retention").whenCompleted(1).create();
        quartz.triggerJob(JobKey.jobKey("webhook-retention", "hub"));
        assertThat(nextRun.matches(TIMEOUT_S, TimeUnit.SECONDS)).as("the next run goes on").isTrue();
        assertThat(failures("webhook-retention")).isEqualTo(before + 1);
    }

    private static SyncExecution execution(String trigger) {
        return new SyncExecution(Ids.newId(), "no-tenant", "no-integration-" + Ids.newId(), null, "Account", "incremental", trigger,
                SyncExecution.Status.PENDING, "queued", SyncExecution.Counts.ZERO, false, null, Timestamps.now(), null, null, null);
    }

    private MockEndpoint arrivals(SyncExecution execution) {
        MockEndpoint mock = camel.getEndpoint("mock:arrived-" + execution.id(), MockEndpoint.class);
        mock.expectedMessageCount(1);
        return mock;
    }

    private NotifyBuilder taken(String route, SyncExecution execution, MockEndpoint mock) {
        return new NotifyBuilder(camel).fromRoute(route)
                .filter(e -> String.valueOf(e.getMessage().getBody(String.class)).contains(execution.id()))
                .whenReceivedSatisfied(mock).create();
    }

    /** Failures counted for the route, each under the step it failed at (never "unknown"). */
    private double failures(String route) {
        Collection<Counter> counters = meters.find("hub.route.failures").tag("policy", "maintenance").tag("route", route).counters();
        assertThat(counters).allSatisfy(c -> assertThat(c.getId().getTag("step")).isNotBlank().isNotEqualTo("unknown"));
        return counters.stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void housekeepingRoutesRunUnderTheMaintenancePolicyAndTheHandOffsUnderTheQueuePolicy() {
        for (String route : List.of("webhook-retention", "webhook-renewal", "webhook-recovery", "token-refresher", "sync-scheduler")) {
            assertThat(camel.getRoute(route).getConfigurationId()).as(route).isEqualTo(MaintenancePolicy.ID);
        }
        for (String route : List.of("queue-sync-run", "sync-inbound-scheduled", "sync-inbound-webhook")) {
            assertThat(camel.getRoute(route).getConfigurationId()).as(route).isEqualTo(QueuePolicy.ID);
        }
        for (String route : List.of("webhook-receiver", "queue-webhook-deliveries", "webhook-delivery")) {
            assertThat(camel.getRoute(route).getConfigurationId()).as(route).isEqualTo(WebhookErrorPolicy.ID);
        }
    }

    @Test
    void everyHubRouteOptsIntoTheErrorPolicyOfItsFlowFamily() {
        // integrators' routes (hub.routes.dir) are theirs to configure; the hub's own each name a policy
        List<String> withoutPolicy = camel.getRoutes().stream()
                .filter(r -> r.getSourceResource() == null || !r.getSourceResource().getLocation().startsWith("file:"))
                .filter(r -> !r.getRouteId().startsWith("integrator-") && r.getConfigurationId() == null)
                .map(org.apache.camel.Route::getRouteId).filter(id -> !isTemplateRoute(id)).sorted().toList();
        assertThat(withoutPolicy).isEmpty();
    }

    private boolean isTemplateRoute(String routeId) {
        org.apache.camel.Route route = camel.getRoute(routeId);
        return route.isCreatedByRouteTemplate() || route.isCreatedByKamelet();
    }

    /**
     * The route definition already holds its route configuration's onException; advising re-adds the route, which
     * merges the configuration again (duplicate ids, the route does not start): take the merged copy out first.
     */
    private static AdviceWithRouteBuilder withoutMergedErrorPolicy(AdviceWithRouteBuilder route) {
        route.getOriginalRoute().getOutputs().removeIf(OnExceptionDefinition.class::isInstance);
        return route;
    }
}
