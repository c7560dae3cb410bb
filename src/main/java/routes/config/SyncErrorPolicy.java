package routes.config;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.stereotype.Component;

import processors.sync.RunTimeline;
import processors.sync.SyncCancellation;
import processors.sync.SyncDatabaseOutage;
import processors.sync.SyncFailure;
import processors.sync.SyncWaiting;
import providers.ThrottledException;
import providers.TransientProviderException;

/**
 * Error policy of the sync routes, in one place: a call the rate limits or the circuit held back
 * re-queues the run for later through {@link SyncWaiting}; transient provider errors (I/O, 5xx) are
 * redelivered at the failing step with exponential backoff, and when the provider is still down the run
 * waits on its queue the same way (for the circuit, up to the maximum wait) and resumes from its
 * checkpoint; a run cancelled through the API ends at a page boundary through {@link SyncCancellation}; the database
 * failing under the run (no connection, a broken one, a commit whose outcome is unknown) makes it wait for the database
 * and resume from its last committed checkpoint through {@link SyncDatabaseOutage}; anything else ends the run through
 * {@link SyncFailure}, which keeps every committed page.
 */
@Component
public class SyncErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "sync-error-policy";

    private final SyncFailure syncFailure;
    private final SyncWaiting syncWaiting;
    private final SyncCancellation cancellation;
    private final RunTimeline timeline;
    private final SyncDatabaseOutage databaseOutage;

    public SyncErrorPolicy(SyncFailure syncFailure, SyncWaiting syncWaiting, SyncCancellation cancellation, RunTimeline timeline,
                           SyncDatabaseOutage databaseOutage) {
        this.databaseOutage = databaseOutage;
        this.timeline = timeline;
        this.syncFailure = syncFailure;
        this.syncWaiting = syncWaiting;
        this.cancellation = cancellation;
    }

    @Override
    public void configuration() {
        RouteConfigurationDefinition policy = routeConfiguration(ID);
        policy.onException(SyncCancellation.CancelledAtPageBoundary.class)
                .handled(true)
                .process(cancellation::stop).id("end-cancelled-run");
        policy.onException(ThrottledException.class)
                .handled(true)
                .process(syncWaiting).id("requeue-throttled-run");
        OnExceptionDefinition transientErrors = policy.onException(TransientProviderException.class)
                .maximumRedeliveries("{{hub.sync.retry.max-redeliveries}}")
                .redeliveryDelay("{{hub.sync.retry.initial-delay-ms}}")
                .useExponentialBackOff()
                .backOffMultiplier("{{hub.sync.retry.multiplier}}")
                .maximumRedeliveryDelay("{{hub.sync.retry.max-delay-ms}}")
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                // each redelivery on the run's timeline: which try, after how long, and why the last one failed
                .onRedelivery(timeline::retrying);
        // no retries while the hub stops: the run stops and resumes after the restart
        transientErrors.getRedeliveryPolicyType().allowRedeliveryWhileStopping(false);
        transientErrors.handled(true)
                .process(syncWaiting).id("requeue-run-after-retries");
        // the database failing under the run (wherever in the chain of causes it shows) is no failure of the run: it
        // resumes from its checkpoint once the database answers; decided here rather than by onException's class
        // matching, which can pick the clause of a nested cause
        policy.onException(Exception.class)
                .handled(true)
                .choice().id("database-or-run-failure")
                    .when(SyncDatabaseOutage::caught)
                        .process(databaseOutage).id("resume-run-after-database-outage")
                    .otherwise()
                        .process(syncFailure).id("fail-run")
                .end();
    }
}
