package sandbox.gong;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Gong sandbox when {@code hub.sandbox.enabled} and {@code hub.sandbox.gong.enabled} are true; its controllers
 * carry the same condition.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.gong.enabled"}, havingValue = "true")
@EnableConfigurationProperties(GongSandboxProperties.class)
public class GongSandboxConfiguration {

    @Bean
    GongSandbox gongSandbox(GongSandboxProperties properties) {
        return new GongSandbox(properties, Clock.systemUTC());
    }
}
