package providers.acme;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

import providers.webhooks.Hmac;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Json;
import providers.webhooks.PayloadRedaction;
import providers.webhooks.Signatures;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookVerifier;

/**
 * A provider that exists only in the tests, added the way a real one is: this package and nothing else. Acme signs
 * the body with the secret it issues ({@code x-acme-signature}, hex HMAC-SHA256), names each delivery
 * ({@code x-acme-delivery}) and its account ({@code x-acme-account}, the registration's setting) and repeats its API key inside payloads ({@code apiKey}, redacted in the log).
 */
@Component
public final class AcmeVerifier implements WebhookVerifier {

    /** Setting: the Acme account the deliveries must name. */
    public static final String ACCOUNT = "account";
    public static final WebhookScheme SCHEME = WebhookScheme.builder("acme", WebhookScheme.Secret.PROVIDER_ISSUED)
            .required(ACCOUNT).build();

    static final String SIGNATURE = "x-acme-signature";
    static final String DELIVERY = "x-acme-delivery";
    static final String ACCOUNT_HEADER = "x-acme-account";

    @Override
    public WebhookScheme scheme() {
        return SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        if (!context.hasSecret()) {
            return Verdict.Rejected.noSecret();
        }
        String signature = request.header(SIGNATURE);
        if (signature == null) {
            return Verdict.Rejected.missingHeader(SIGNATURE);
        }
        if (!Signatures.matchesHex(Hmac.sha256(context.secret(), request.body()), signature)) {
            return Verdict.Rejected.unauthorized("signature mismatch");
        }
        String account = context.setting(ACCOUNT);
        if (account == null || !account.equals(request.header(ACCOUNT_HEADER))) {
            return Verdict.Rejected.unauthorized("not the registered account");
        }
        String delivery = request.header(DELIVERY);
        return new Verdict.Verified(delivery == null ? Signatures.bodyHash(request.body()) : delivery, null);
    }

    @Override
    public String redact(String body) {
        return PayloadRedaction.json(body) instanceof ObjectNode object && PayloadRedaction.replace(object, "apiKey")
                ? Json.write(object) : body;
    }
}
