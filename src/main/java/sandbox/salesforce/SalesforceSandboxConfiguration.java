package sandbox.salesforce;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Salesforce sandbox when {@code hub.sandbox.enabled=true}; its controllers carry the same condition. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
@EnableConfigurationProperties(SalesforceSandboxProperties.class)
public class SalesforceSandboxConfiguration {

    @Bean
    SandboxOrgs salesforceSandboxOrgs(SalesforceSandboxProperties properties,
            ObjectProvider<SalesforceChangeListener> listeners) {
        SalesforceChangeListener all = (orgId, type, changeType, record) ->
                listeners.orderedStream().forEach(l -> l.recordChanged(orgId, type, changeType, record));
        return new SandboxOrgs(properties, all, Clock.systemUTC());
    }

    /** Outbound messages: a change listener, so SandboxOrgs tells it about every change. */
    @Bean
    OutboundMessaging salesforceSandboxOutboundMessaging(SalesforceSandboxProperties properties,
            SandboxTokens tokens) {
        return new OutboundMessaging(properties, tokens, Clock.systemUTC());
    }

    @Bean
    SandboxTokens salesforceSandboxTokens(SalesforceSandboxProperties properties) {
        return new SandboxTokens(properties.tokenTtl(), Clock.systemUTC());
    }
}
