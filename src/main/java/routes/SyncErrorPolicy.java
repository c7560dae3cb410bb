package routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

import adapters.TransientProviderException;
import processors.SyncFailure;

/**
 * Error policy of the sync routes, in one place: transient provider errors (I/O, 5xx, 429) are
 * redelivered at the failing step with exponential backoff; anything else, or retries exhausted,
 * ends the run through {@link SyncFailure}, which keeps every committed page.
 */
@Component
public class SyncErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "sync-error-policy";

    private final SyncFailure syncFailure;

    public SyncErrorPolicy(SyncFailure syncFailure) {
        this.syncFailure = syncFailure;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
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
