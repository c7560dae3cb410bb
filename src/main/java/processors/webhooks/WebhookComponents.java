package processors.webhooks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import providers.webhooks.WebhookEventParsers;
import providers.webhooks.WebhookVerifiers;
import security.OutboundGuard;

/** The verifiers and event parsers of every webhook scheme, one instance each (JWKS caches live in them). */
@Configuration
public class WebhookComponents {

    @Bean
    WebhookVerifiers webhookVerifiers(OutboundGuard guard) {
        JwksRetriever retriever = new JwksRetriever(guard);
        return new WebhookVerifiers(uri -> WebhookVerifiers.remoteKeys(uri, retriever));
    }

    @Bean
    WebhookEventParsers webhookEventParsers() {
        return new WebhookEventParsers();
    }
}
