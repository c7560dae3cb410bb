package messaging;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Address settings of the embedded broker: a message whose processing keeps failing (the run could
 * not even be recorded) is redelivered with growing delays and then parked on the dead-letter
 * queue, never dropped.
 */
@Configuration
public class BrokerSettings {

    @Bean
    ArtemisConfigurationCustomizer hubAddressSettings(@Value("${hub.queue.sync-deadletter}") String deadLetter,
                                                      @Value("${hub.broker.max-delivery-attempts}") int maxDeliveryAttempts) {
        return configuration -> configuration.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(deadLetter))
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2)
                .setMaxRedeliveryDelay(60_000));
    }
}
