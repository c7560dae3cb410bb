package processors.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import providers.webhooks.AnnouncedChanges;
import providers.webhooks.HubEvent;
import store.Timestamps;
import store.WebhookDelivery;
import store.WebhookDeliveryStore;

/** {@link AnnouncedChanges} read from the delivery log, where the receiver wrote them before acknowledging each delivery. */
@Component
public class LoggedAnnouncements implements AnnouncedChanges {

    private final WebhookDeliveryStore deliveries;

    public LoggedAnnouncements(WebhookDeliveryStore deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public List<Announced> between(String integrationId, Instant after, Instant upTo) {
        List<Announced> announced = new ArrayList<>();
        for (WebhookDelivery delivery : deliveries.acceptedForIntegration(integrationId, Timestamps.of(after), Timestamps.of(upTo))) {
            for (WebhookDelivery.Event e : delivery.events() == null ? List.<WebhookDelivery.Event>of() : delivery.events()) {
                announced.add(new Announced(delivery.receivedAt().toInstant(),
                        new HubEvent(e.type(), e.entity(), e.externalId(), null, e.parentId())));
            }
        }
        return announced;
    }
}
