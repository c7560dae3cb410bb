package sandbox.hubspot;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the HubSpot sandbox when {@code hub.sandbox.enabled=true}; its controllers carry the same condition. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
@EnableConfigurationProperties(HubSpotSandboxProperties.class)
public class HubSpotSandboxConfiguration {

    @Bean
    HubSpotWebhooks hubSpotSandboxWebhooks(HubSpotSandboxProperties properties) {
        return new HubSpotWebhooks(properties, Clock.systemUTC());
    }

    /** Webhooks hear of every change the portals make. */
    @Bean
    HubSpotPortals hubSpotSandboxPortals(HubSpotSandboxProperties properties, HubSpotWebhooks webhooks) {
        return new HubSpotPortals(properties, webhooks, Clock.systemUTC());
    }

    @Bean
    HubSpotTokens hubSpotSandboxTokens() {
        return new HubSpotTokens(Clock.systemUTC());
    }
}
