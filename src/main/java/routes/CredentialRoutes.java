package routes;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import security.TokenLifecycle;

/** token-refresher: access tokens expiring within hub.tokens.refresh-ahead are refreshed ahead of time, once each. */
@Component
public class CredentialRoutes extends RouteBuilder {

    private final TokenLifecycle tokens;

    public CredentialRoutes(TokenLifecycle tokens) {
        this.tokens = tokens;
    }

    @Override
    public void configure() {
        from("quartz:hub/token-refresher?cron=RAW({{hub.tokens.refresh-cron}})&stateful=true")
                .routeId("token-refresher")
                .bean(tokens, "refreshExpiring").id("refresh-expiring-tokens");
    }
}
