package messaging;

import java.util.List;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Address settings of the embedded broker (broker/artemis.sh gives a standalone one the same):
 * <ul>
 * <li>a message whose processing keeps failing (the run could not even be recorded) is redelivered with growing delays
 * and then parked on the dead-letter queue, never dropped;</li>
 * <li>the queues of long jobs (scheduled and manual sync runs, resolution runs) hand a consumer one message at a time
 * ({@code default-consumer-window-size} 0): a consumer busy with a run for minutes holds no others in its buffer while
 * the other consumers, of this instance or another, wait idle. Not the webhook-triggered runs' queue: there an idle
 * consumer taking the next run of a busy entity at once parks it and frees its place, so a burst of changes made
 * further runs instead of joining the one queued (WebhookBurstAtDefaultLimitTest).</li>
 * </ul>
 */
@org.springframework.context.annotation.Configuration
public class BrokerSettings {

    @Bean
    ArtemisConfigurationCustomizer hubAddressSettings(@Value("${hub.queue.sync-deadletter}") String deadLetter,
                                                      @Value("${hub.broker.max-delivery-attempts}") int maxDeliveryAttempts,
                                                      @Value("${hub.queue.sync-inbound-scheduled}") String scheduledRuns,
                                                      @Value("${hub.queue.resolution-runs}") String resolutionRuns) {
        return configuration -> apply(configuration, deadLetter, maxDeliveryAttempts,
                List.of(scheduledRuns, resolutionRuns));
    }

    static void apply(Configuration configuration, String deadLetter, int maxDeliveryAttempts, List<String> longJobQueues) {
        configuration.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(deadLetter))
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2)
                .setMaxRedeliveryDelay(60_000));
        // a more specific match takes what it does not set from "#"
        longJobQueues.forEach(queue -> configuration.addAddressSetting(queue, new AddressSettings()
                .setDefaultConsumerWindowSize(0)));
    }
}
