package sandbox.webhook_receiver;

import java.time.Clock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the test receiver for outgoing webhooks when {@code hub.sandbox.enabled} is true; its controller has the same condition. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class WebhookReceiverConfiguration {

    @Bean
    WebhookReceivers webhookReceivers(@Value("${hub.sandbox.webhook-receiver.max-receivers:1000}") int maxReceivers,
                                      @Value("${hub.sandbox.webhook-receiver.keep:10000}") int keep) {
        return new WebhookReceivers(Clock.systemUTC(), maxReceivers, keep);
    }
}
