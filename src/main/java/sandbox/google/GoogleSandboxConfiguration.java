package sandbox.google;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import sandbox.kit.Population;

/** Wires the Google sandbox when {@code hub.sandbox.enabled} and {@code hub.sandbox.google.enabled}; its controllers carry the same condition. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${hub.sandbox.enabled:false} and ${hub.sandbox.google.enabled:true}")
@EnableConfigurationProperties(GoogleSandboxProperties.class)
public class GoogleSandboxConfiguration {

    /** Channel notifications stop with the context. */
    @Bean(destroyMethod = "shutdown")
    GoogleDomains googleSandboxDomains(GoogleSandboxProperties properties) {
        return new GoogleDomains(properties, new Population(), Clock.systemUTC());
    }
}
