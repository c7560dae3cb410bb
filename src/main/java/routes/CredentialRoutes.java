package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import routes.config.MaintenancePolicy;
import security.CredentialMonitor;
import security.TokenLifecycle;

/**
 * token-refresher: access tokens expiring within hub.tokens.refresh-ahead are refreshed ahead of
 * time, once each; then credentials due or overdue for rotation are reported.
 */
@Component
public class CredentialRoutes extends RouteBuilder {

    private final TokenLifecycle tokens;
    private final CredentialMonitor monitor;

    public CredentialRoutes(TokenLifecycle tokens, CredentialMonitor monitor) {
        this.tokens = tokens;
        this.monitor = monitor;
    }

    @Override
    public void configure() {
        from("quartz:hub/token-refresher?cron=RAW({{hub.tokens.refresh-cron}})&stateful=true&recoverableJob=true")
                .routeId("token-refresher")
                .routeConfigurationId(MaintenancePolicy.ID)
                .bean(tokens, "refreshExpiring").id("refresh-expiring-tokens")
                .bean(monitor, "warnRotationDue").id("warn-rotation-due");
    }
}
