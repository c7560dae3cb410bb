package processors.webhooks;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import providers.webhooks.MalformedWebhookException;
import providers.webhooks.WebhookSchemes;
import store.WebhookDelivery;
import store.WebhookRegistration;

/** Reads the events a verified delivery announces; a genuine delivery that cannot be read is refused 400 and logged. */
@Component
public class WebhookEventParsing implements Processor {

    private final WebhookSchemes schemes;
    private final DeliveryLog log;

    public WebhookEventParsing(WebhookSchemes schemes, DeliveryLog log) {
        this.schemes = schemes;
        this.log = log;
    }

    @Override
    public void process(Exchange exchange) {
        WebhookReceipt receipt = exchange.getMessage().getBody(WebhookReceipt.class);
        if (receipt.answered()) {
            return;
        }
        WebhookRegistration registration = receipt.registration().registration();
        try {
            receipt.events(schemes.parser(schemes.of(registration.scheme()).orElseThrow()).parse(receipt.request()));
        } catch (MalformedWebhookException e) {
            receipt.reply(log.refused(registration, receipt.receivedAt(), WebhookDelivery.Verification.VERIFIED, 400,
                    "malformed payload: " + e.getMessage(), receipt.elapsedMs()));
        }
    }
}
