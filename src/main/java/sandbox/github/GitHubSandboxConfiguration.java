package sandbox.github;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the GitHub sandbox when {@code hub.sandbox.enabled} and {@code hub.sandbox.github.enabled} are true; its
 * controllers carry the same condition.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${hub.sandbox.enabled:false} and ${hub.sandbox.github.enabled:true}")
@EnableConfigurationProperties(GitHubSandboxProperties.class)
public class GitHubSandboxConfiguration {

    @Bean(destroyMethod = "shutdown")
    GitHubOrgs gitHubSandboxOrgs(GitHubSandboxProperties properties) {
        return new GitHubOrgs(properties, Clock.systemUTC());
    }
}
