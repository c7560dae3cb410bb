package processors.webhooks;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import store.Timestamps;
import store.WebhookDeliveryStore;
import store.WebhookRegistrationStore;

/** Housekeeping of the delivery log: the retention purge and re-queueing deliveries a crash stranded. */
@Component
public class WebhookMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookMaintenance.class);

    private final WebhookDeliveryStore deliveries;
    private final WebhookRegistrationStore registrations;
    private final WebhookAcceptor acceptor;
    private final WebhookSettings settings;

    public WebhookMaintenance(WebhookDeliveryStore deliveries, WebhookRegistrationStore registrations, WebhookAcceptor acceptor,
                              WebhookSettings settings) {
        this.deliveries = deliveries;
        this.registrations = registrations;
        this.acceptor = acceptor;
        this.settings = settings;
    }

    public int purgeExpired() {
        int purged = deliveries.purgeBefore(Timestamps.now().minus(settings.retention()));
        if (purged > 0) {
            LOG.info("Purged {} webhook deliveries older than {}", purged, settings.retention());
        }
        return purged;
    }

    /** Accepted deliveries still unprocessed after recover-after went missing between the log commit and the queue: queue them again. */
    public int requeueStranded() {
        List<String> stranded = deliveries.unprocessedBefore(Timestamps.now().minus(settings.recoverAfter()), 1000);
        List<store.WebhookDelivery> found = new java.util.ArrayList<>();
        java.util.Map<String, String> integrations = new java.util.HashMap<>();
        for (String id : stranded) {
            deliveries.findById(id).ifPresent(d -> registrations.findById(d.registrationId()).ifPresent(r -> {
                found.add(d);
                integrations.put(r.id(), r.integrationId());
            }));
        }
        if (!found.isEmpty()) {
            acceptor.requeue(found, integrations);
            LOG.warn("Re-queued {} accepted webhook deliveries that were never processed", found.size());
        }
        return found.size();
    }
}
