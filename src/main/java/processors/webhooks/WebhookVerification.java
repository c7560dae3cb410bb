package processors.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookSchemes;
import store.WebhookDelivery;
import store.WebhookRegistration;

/**
 * Checks the delivery with its registration's scheme on the raw bytes. Refusals are answered here: a
 * genuine delivery that cannot be used is logged and counts against the registration's health, an
 * unauthenticated request is counted and sampled into the log; handshakes are answered (and a secret
 * the handshake hands over is stored).
 */
@Component
public class WebhookVerification implements Processor {

    private final WebhookSchemes schemes;
    private final WebhookSecrets secrets;
    private final DeliveryLog log;
    private final WebhookSettings settings;
    private final PublicUrl publicUrl;

    public WebhookVerification(WebhookSchemes schemes, WebhookSecrets secrets, DeliveryLog log, WebhookSettings settings,
                               PublicUrl publicUrl) {
        this.schemes = schemes;
        this.secrets = secrets;
        this.log = log;
        this.settings = settings;
        this.publicUrl = publicUrl;
    }

    @Override
    public void process(Exchange exchange) {
        WebhookReceipt receipt = exchange.getMessage().getBody(WebhookReceipt.class);
        if (receipt.answered()) {
            return;
        }
        WebhookRegistration registration = receipt.registration().registration();
        WebhookScheme scheme = schemes.of(registration.scheme()).orElseThrow();
        VerificationContext context = new VerificationContext(receipt.registration().secret(), registration.settings(),
                publicUrl.receiver(registration.id()), settings.tolerance(), Instant.now());
        Verdict verdict = schemes.verifier(scheme).verify(receipt.request(), context);
        receipt.verdict(verdict);
        if (verdict instanceof Verdict.Rejected rejected && rejected.authenticated()) {
            receipt.reply(log.refused(registration, receipt.receivedAt(), WebhookDelivery.Verification.VERIFIED, rejected.status(), rejected.reason(),
                    receipt.elapsedMs()));
        } else if (verdict instanceof Verdict.Rejected rejected) {
            receipt.reply(log.unauthenticated(registration, receipt.receivedAt(), rejected, receipt.elapsedMs()));
        } else if (verdict instanceof Verdict.Handshake handshake) {
            String outcome = "handshake answered";
            if (handshake.capturedSecret() != null) {
                secrets.store(registration, handshake.capturedSecret().getBytes(StandardCharsets.UTF_8));
                outcome = "handshake answered; the provider's secret is stored";
            }
            log.handshake(registration, receipt.receivedAt(), handshake.response().status(), outcome, receipt.elapsedMs());
            receipt.reply(handshake.response());
        }
    }
}
