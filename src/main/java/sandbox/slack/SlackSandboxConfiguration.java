package sandbox.slack;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Slack sandbox when {@code hub.sandbox.enabled} and {@code hub.sandbox.slack.enabled} are true; its controllers
 * carry the same condition.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.slack.enabled"}, havingValue = "true")
@EnableConfigurationProperties(SlackSandboxProperties.class)
public class SlackSandboxConfiguration {

    @Bean
    SlackEvents slackSandboxEvents(SlackSandboxProperties properties) {
        return new SlackEvents(properties, Clock.systemUTC());
    }

    @Bean
    SlackSandbox slackSandbox(SlackSandboxProperties properties, SlackEvents slackSandboxEvents) {
        return new SlackSandbox(properties, slackSandboxEvents, Clock.systemUTC());
    }
}
