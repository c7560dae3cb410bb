package sandbox.zoom;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Zoom sandbox when {@code hub.sandbox.enabled} and {@code hub.sandbox.zoom.enabled} are true; its controllers
 * carry the same condition.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.zoom.enabled"}, havingValue = "true")
@EnableConfigurationProperties(ZoomSandboxProperties.class)
public class ZoomSandboxConfiguration {

    @Bean
    ZoomSandbox zoomSandbox(ZoomSandboxProperties properties) {
        return new ZoomSandbox(properties, Clock.systemUTC());
    }
}
