package sandbox.dynamics365;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import sandbox.kit.Population;

/** Wires the Dynamics 365 sandbox when {@code hub.sandbox.enabled=true}; its controllers carry the same condition. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
@EnableConfigurationProperties(DynamicsSandboxProperties.class)
public class DynamicsSandboxConfiguration {

    @Bean
    DataverseOrgs dynamicsSandboxOrgs(DynamicsSandboxProperties properties) {
        return new DataverseOrgs(properties, new Population(), Clock.systemUTC());
    }
}
