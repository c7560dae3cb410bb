package processors.webhooks;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;


/** Finds the delivery's registration; an unknown one is answered 404 and nothing else happens. */
@Component
public class WebhookRegistrationLookup implements Processor {

    private final RegistrationCache registrations;
    private final DeliveryLog log;

    public WebhookRegistrationLookup(RegistrationCache registrations, DeliveryLog log) {
        this.registrations = registrations;
        this.log = log;
    }

    @Override
    public void process(Exchange exchange) {
        WebhookReceipt receipt = exchange.getMessage().getBody(WebhookReceipt.class);
        registrations.get(receipt.registrationId()).ifPresentOrElse(receipt::registration,
                () -> receipt.reply(log.refusedAtDoor(404, "unknown_registration", "unknown webhook registration")));
    }
}
