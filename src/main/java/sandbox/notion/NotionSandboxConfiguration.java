package sandbox.notion;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Notion sandbox when {@code hub.sandbox.enabled} and {@code hub.sandbox.notion.enabled} are true; its controllers
 * carry the same condition.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.notion.enabled"}, havingValue = "true")
@EnableConfigurationProperties(NotionSandboxProperties.class)
public class NotionSandboxConfiguration {

    @Bean
    NotionSandbox notionSandbox(NotionSandboxProperties properties) {
        return new NotionSandbox(properties, Clock.systemUTC());
    }
}
