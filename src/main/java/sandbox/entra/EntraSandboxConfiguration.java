package sandbox.entra;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Entra ID sandbox when {@code hub.sandbox.enabled=true}; its controller carries the same condition. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
@EnableConfigurationProperties(EntraSandboxProperties.class)
public class EntraSandboxConfiguration {

    @Bean
    EntraTokens entraSandboxTokens(EntraSandboxProperties properties) {
        return new EntraTokens(properties.accessTokenTtl(), Clock.systemUTC());
    }
}
