package routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

import adapters.ThrottledException;
import adapters.TransientProviderException;
import processors.SyncFailure;
import processors.SyncWaiting;

/**
 * Error policy of the sync routes, in one place: a call the rate limits or the circuit held back
 * re-queues the run for later through {@link SyncWaiting}; transient provider errors (I/O, 5xx) are
 * redelivered at the failing step with exponential backoff, and when the provider is still down the run
 * waits on its queue the same way (for the circuit, up to the maximum wait) and resumes from its
 * checkpoint; anything else ends the run through {@link SyncFailure}, which keeps every committed page.
 */
@Component
public class SyncErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "sync-error-policy";

    private final SyncFailure syncFailure;
    private final SyncWaiting syncWaiting;

    public SyncErrorPolicy(SyncFailure syncFailure, SyncWaiting syncWaiting) {
        this.syncFailure = syncFailure;
        this.syncWaiting = syncWaiting;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(ThrottledException.class)
                    .handled(true)
                    .process(syncWaiting).id("requeue-throttled-run")
                .end()
                .onException(TransientProviderException.class)
                    .maximumRedeliveries("{{hub.sync.retry.max-redeliveries}}")
                    .redeliveryDelay("{{hub.sync.retry.initial-delay-ms}}")
                    .useExponentialBackOff()
                    .backOffMultiplier("{{hub.sync.retry.multiplier}}")
                    .maximumRedeliveryDelay("{{hub.sync.retry.max-delay-ms}}")
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .handled(true)
                    .process(syncWaiting).id("requeue-run-after-retries")
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .process(syncFailure).id("fail-run")
                .end();
    }
}
