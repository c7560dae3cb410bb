package processors.webhooks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import providers.webhooks.JwkSources;
import security.OutboundGuard;

/**
 * Where JWT-signed schemes (Google Pub/Sub) fetch their signing keys: through the outbound guard, never from an
 * internal address. The verifiers and event parsers themselves are the provider packages' beans.
 */
@Configuration
public class WebhookComponents {

    @Bean
    JwkSources jwkSources(OutboundGuard guard) {
        return JwkSources.remote(new JwksRetriever(guard));
    }
}
