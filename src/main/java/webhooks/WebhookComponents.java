package webhooks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import processors.webhooks.WebhookEventParsers;
import processors.webhooks.WebhookVerifiers;

/** The verifiers and event parsers of every webhook scheme, one instance each (JWKS caches live in them). */
@Configuration
public class WebhookComponents {

    @Bean
    WebhookVerifiers webhookVerifiers() {
        return new WebhookVerifiers();
    }

    @Bean
    WebhookEventParsers webhookEventParsers() {
        return new WebhookEventParsers();
    }
}
