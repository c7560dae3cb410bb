package routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

import adapters.ThrottledException;
import adapters.TransientProviderException;
import processors.SyncFailure;
import processors.SyncThrottled;

/**
 * Error policy of the sync routes, in one place: a call the rate limits or the provider held back
 * re-queues the run for later through {@link SyncThrottled}; transient provider errors (I/O, 5xx) are
 * redelivered at the failing step with exponential backoff; anything else, or retries exhausted,
 * ends the run through {@link SyncFailure}, which keeps every committed page.
 */
@Component
public class SyncErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "sync-error-policy";

    private final SyncFailure syncFailure;
    private final SyncThrottled syncThrottled;

    public SyncErrorPolicy(SyncFailure syncFailure, SyncThrottled syncThrottled) {
        this.syncFailure = syncFailure;
        this.syncThrottled = syncThrottled;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(ThrottledException.class)
                    .handled(true)
                    .process(syncThrottled).id("requeue-throttled-run")
                .end()
                .onException(TransientProviderException.class)
                    .maximumRedeliveries("{{hub.sync.retry.max-redeliveries}}")
                    .redeliveryDelay("{{hub.sync.retry.initial-delay-ms}}")
                    .useExponentialBackOff()
                    .backOffMultiplier("{{hub.sync.retry.multiplier}}")
                    .maximumRedeliveryDelay("{{hub.sync.retry.max-delay-ms}}")
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .handled(true)
                    .process(syncFailure).id("fail-run-after-retries")
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .process(syncFailure).id("fail-run")
                .end();
    }
}
