package processors.webhooks;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import hub.Ids;
import providers.webhooks.Verdict;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookSchemes;
import store.Timestamps;
import store.WebhookDelivery;
import store.WebhookRegistration;

/**
 * Makes a genuine delivery durable (delivery log and webhook queue) and only then answers 2xx;
 * a delivery seen before is answered the same way and not queued again.
 */
@Component
public class WebhookAcceptance implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAcceptance.class);

    private final WebhookAcceptor acceptor;
    private final DeliveryLog log;
    private final WebhookSchemes schemes;

    public WebhookAcceptance(WebhookAcceptor acceptor, DeliveryLog log, WebhookSchemes schemes) {
        this.acceptor = acceptor;
        this.log = log;
        this.schemes = schemes;
    }

    /**
     * The key duplicates are recognised by. Where the scheme's delivery ids repeat legitimately (Graph's
     * basic notifications), the key only holds within the scheme's dedupe window.
     */
    static String dedupeKey(WebhookScheme scheme, Verdict.Verified verified, WebhookReceipt receipt) {
        if (verified.deliveryId() == null || scheme.dedupeWindow().isEmpty()) {
            return verified.deliveryId();
        }
        return verified.deliveryId() + "@" + receipt.receivedAt().getEpochSecond() / scheme.dedupeWindow().get().toSeconds();
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        WebhookReceipt receipt = exchange.getMessage().getBody(WebhookReceipt.class);
        if (receipt.answered()) {
            return;
        }
        WebhookRegistration registration = receipt.registration().registration();
        Verdict.Verified verified = (Verdict.Verified) receipt.verdict();
        WebhookScheme scheme = schemes.of(registration.scheme()).orElseThrow();
        String id = Ids.newId();
        WebhookDelivery delivery = new WebhookDelivery(id, registration.id(), registration.tenantId(), dedupeKey(scheme, verified, receipt),
                Timestamps.of(receipt.receivedAt()), WebhookDelivery.Verification.VERIFIED, WebhookDelivery.Status.ACCEPTED, 202,
                DeliveryLog.events(receipt.events()), null, null,
                schemes.redact(scheme, receipt.request().body()),
                receipt.elapsedMs(), null, null);
        WebhookAcceptor.Outcome outcome;
        try {
            outcome = acceptor.accept(delivery, registration.integrationId()).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("Delivery to registration {} could not be made durable: {}", registration.id(), e.toString());
            receipt.reply(log.reply(503, Map.of("status", "unavailable", "reason", "the delivery could not be stored; send it again")));
            return;
        }
        log.succeeded(registration);
        if (verified.ack() != null) {
            receipt.reply(verified.ack());
        } else if (outcome == WebhookAcceptor.Outcome.DUPLICATE) {
            receipt.reply(log.reply(200, Map.of("status", "duplicate", "deliveryId", String.valueOf(verified.deliveryId()))));
        } else {
            receipt.reply(log.reply(202, Map.of("status", "accepted", "deliveryId", id)));
        }
    }
}
