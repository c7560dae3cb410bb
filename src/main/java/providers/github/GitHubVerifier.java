package providers.github;

import org.springframework.stereotype.Component;

import providers.webhooks.Hmac;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Signatures;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookVerifier;

/**
 * GitHub: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>}, or the legacy SHA-1 header
 * when the SHA-256 one is absent. No timestamp, so dedupe on {@code X-GitHub-Delivery}, which a delivery must carry.
 */
@Component
public final class GitHubVerifier implements WebhookVerifier {

    /** The hub chooses the secret when it creates the hook ({@code config.secret}). */
    public static final WebhookScheme SCHEME = WebhookScheme.builder("github", WebhookScheme.Secret.HUB_GENERATED).build();

    static final String SIGNATURE_256 = "x-hub-signature-256";
    static final String SIGNATURE_SHA1 = "x-hub-signature";
    static final String DELIVERY = "x-github-delivery";
    static final String EVENT = "x-github-event";

    @Override
    public WebhookScheme scheme() {
        return SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        if (!context.hasSecret()) {
            return Verdict.Rejected.noSecret();
        }
        String sha256 = request.header(SIGNATURE_256);
        boolean valid;
        if (sha256 != null) {
            valid = sha256.startsWith("sha256=")
                    && Signatures.matchesHex(Hmac.sha256(context.secret(), request.body()), sha256.substring(7));
        } else {
            String sha1 = request.header(SIGNATURE_SHA1);
            if (sha1 == null) {
                return Verdict.Rejected.missingHeader(SIGNATURE_256);
            }
            valid = sha1.startsWith("sha1=")
                    && Signatures.matchesHex(Hmac.sha1(context.secret(), request.body()), sha1.substring(5));
        }
        if (!valid) {
            return Verdict.Rejected.unauthorized("signature mismatch");
        }
        // GitHub names every delivery; without the name a redelivery could not be told from a new event
        String delivery = request.header(DELIVERY);
        if (delivery == null || delivery.isBlank()) {
            return Verdict.Rejected.malformed("missing header " + DELIVERY);
        }
        return new Verdict.Verified(delivery.trim(), null);
    }
}
