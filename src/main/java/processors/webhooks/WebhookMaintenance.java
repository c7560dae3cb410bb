package processors.webhooks;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import hub.ConflictingStateException;
import hub.NotFoundException;
import store.Timestamps;
import store.WebhookDelivery;
import store.WebhookDeliveryStore;
import store.WebhookRegistrationStore;

/**
 * Housekeeping of the delivery log: the retention purge, re-queueing deliveries a crash stranded, and replaying a delivery
 * on request. All re-queueing is {@link WebhookAcceptor#requeue}: the same message as when the delivery was accepted.
 */
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

    /**
     * Processes a stored delivery again, exactly as when it arrived: it is accepted again (its outcome cleared) and put on
     * the webhook-deliveries queue, where {@link WebhookChangeDispatch} turns its logged events into work and marks it
     * processed once more. The work is idempotent per record: an incremental sync of each entity the events name
     * (coalesced with one already queued) brings each shard to the provider's current record, and a lifecycle event renews
     * the registration's one subscription, so a replay applies nothing twice. Refused (409) unless processing finished:
     * while the delivery waits to be processed (on arrival or an earlier replay), and for a refused, duplicate or handshake
     * delivery, which were never queued. Should the queue not take the message, the delivery stays accepted in the log and
     * the recovery sweep queues it ({@link #requeueStranded}), as after a crash.
     *
     * @return the delivery as it stands now (accepted, or processed again already)
     */
    public WebhookDelivery replay(WebhookDelivery delivery) {
        if (delivery.verification() == WebhookDelivery.Verification.HANDSHAKE) {
            throw new ConflictingStateException("a handshake is answered, not processed: there is nothing to replay");
        }
        switch (delivery.status()) {
            case REJECTED -> throw new ConflictingStateException("the delivery was refused when it arrived (" + delivery.reason()
                    + "): only an accepted delivery can be processed again");
            case DUPLICATE -> throw new ConflictingStateException("the delivery duplicates one accepted before: replay that one");
            case ACCEPTED -> throw new ConflictingStateException(
                    "the delivery is waiting to be processed (since it arrived or was replayed): replay it once it is processed");
            default -> {
            }
        }
        store.WebhookRegistration registration = registrations.findById(delivery.registrationId())
                .orElseThrow(() -> NotFoundException.of("webhook registration"));
        if (!deliveries.reaccept(delivery.tenantId(), delivery.id())) {
            throw new ConflictingStateException("the delivery is already being replayed: replay it once it is processed");
        }
        WebhookDelivery accepted = deliveries.findById(delivery.id()).orElseThrow(() -> NotFoundException.of("webhook delivery"));
        try {
            acceptor.requeue(List.of(accepted), java.util.Map.of(registration.id(), registration.integrationId()));
        } catch (RuntimeException e) {
            LOG.warn("Replayed webhook delivery {} could not be queued now; the recovery sweep queues it: {}", delivery.id(), e.toString());
        }
        return deliveries.findById(delivery.id()).orElse(accepted);
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
