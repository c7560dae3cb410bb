package providers.webhooks;

/** Decides whether one request really comes from the provider; never throws for bad input. */
public interface WebhookVerifier {

    WebhookScheme scheme();

    Verdict verify(InboundWebhook request, VerificationContext context);
}
