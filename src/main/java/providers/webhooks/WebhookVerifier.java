package providers.webhooks;

/**
 * Decides whether one request really comes from the provider; never throws for bad input. Each provider
 * package contributes its verifier as a Spring bean (with an event parser for the same scheme); the
 * {@link WebhookSchemes} registry finds it by the scheme's id.
 */
public interface WebhookVerifier {

    WebhookScheme scheme();

    Verdict verify(InboundWebhook request, VerificationContext context);

    /**
     * The body of a verified delivery as the delivery log keeps it: providers that repeat a secret inside
     * their payloads replace it with {@link PayloadRedaction#REDACTED}. Handshake bodies are never logged.
     */
    default String redact(String body) {
        return body;
    }
}
