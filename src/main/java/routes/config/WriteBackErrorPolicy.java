package routes.config;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.stereotype.Component;

import processors.mapping.MappingException;
import processors.writeback.CountAttempt;
import processors.writeback.WaitThrottled;
import processors.writeback.WriteBackFailure;
import providers.ProviderException;
import providers.ThrottledException;

/**
 * Error policy of the write-back routes, in one place. Each failure is handled on the original
 * message (the request as it was taken from the queue):
 * <ul>
 * <li>held back by the rate limits or the circuit ({@link ThrottledException}): back on
 * {@code sync-outbound} with a delivery delay of the wait, not counted as an attempt
 * ({@link WaitThrottled}); after the maximum wait it fails for good;</li>
 * <li>a provider error, a mapping error or a step's own refusal: an attempt is counted
 * ({@link CountAttempt}); transient ones go back on the queue after the integration's backoff
 * ({@code writeBack.retry}), permanent and exhausted ones to the dead letter
 * ({@code write-back-dead-letter}: the row fails, the shard shows the error, the message goes to
 * {@code sync-deadletter} stamped with the stage, the failed step id, the reason and the attempts).</li>
 * </ul>
 * The waits are broker delivery delays, so no consumer thread waits, and the re-queue or dead letter
 * is sent in the consumer's JMS transaction: it commits with the message taken. Anything else (the
 * database down, a bug) is not handled: the transaction rolls back and the broker redelivers, then
 * parks the message on the dead-letter queue after its delivery attempts.
 */
@Component
public class WriteBackErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "write-back-error-policy";

    private final WaitThrottled waitThrottled;
    private final CountAttempt countAttempt;

    public WriteBackErrorPolicy(WaitThrottled waitThrottled, CountAttempt countAttempt) {
        this.waitThrottled = waitThrottled;
        this.countAttempt = countAttempt;
    }

    @Override
    public void configuration() {
        RouteConfigurationDefinition policy = routeConfiguration(ID);
        policy.onException(ThrottledException.class)
                .handled(true)
                .useOriginalMessage()
                .process(waitThrottled).id(WaitThrottled.ID)
                .choice()
                    .when(CountAttempt::retries).to(WriteBackFailure.REQUEUE).id("requeue-throttled")
                    .otherwise().to(WriteBackFailure.DEAD_LETTER).id("dead-letter-throttled")
                .end();
        policy.onException(WriteBackFailure.class, ProviderException.class, MappingException.class)
                .handled(true)
                .useOriginalMessage()
                .process(countAttempt).id(CountAttempt.ID)
                .choice()
                    .when(CountAttempt::retries).to(WriteBackFailure.REQUEUE).id("requeue-after-backoff")
                    .otherwise().to(WriteBackFailure.DEAD_LETTER).id("dead-letter-failed")
                .end();
    }
}
