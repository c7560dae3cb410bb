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
import providers.webhooks.PayloadRedaction;
import providers.webhooks.Verdict;
import providers.webhooks.WebhookScheme;
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

    public WebhookAcceptance(WebhookAcceptor acceptor, DeliveryLog log) {
        this.acceptor = acceptor;
        this.log = log;
    }

    /**
     * The key duplicates are recognised by. Graph's basic notifications carry no delivery id: two edits
     * of one item look alike, so its key only holds within a ten-minute window (its retries come sooner).
     */
    static String dedupeKey(WebhookRegistration registration, Verdict.Verified verified, WebhookReceipt receipt) {
        if (verified.deliveryId() == null || !"microsoft_graph".equals(registration.scheme())) {
            return verified.deliveryId();
        }
        return verified.deliveryId() + "@" + receipt.receivedAt().getEpochSecond() / 600;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        WebhookReceipt receipt = exchange.getMessage().getBody(WebhookReceipt.class);
        if (receipt.answered()) {
            return;
        }
        WebhookRegistration registration = receipt.registration().registration();
        Verdict.Verified verified = (Verdict.Verified) receipt.verdict();
        String id = Ids.newId();
        WebhookDelivery delivery = new WebhookDelivery(id, registration.id(), registration.tenantId(), dedupeKey(registration, verified, receipt),
                Timestamps.of(receipt.receivedAt()), WebhookDelivery.VERIFIED, WebhookDelivery.ACCEPTED, 202,
                DeliveryLog.events(receipt.events()), null, null,
                PayloadRedaction.redact(WebhookScheme.of(registration.scheme()).orElseThrow(), receipt.request().body()),
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
