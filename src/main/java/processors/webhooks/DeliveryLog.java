package processors.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import hub.Ids;
import providers.webhooks.HubEvent;
import providers.webhooks.Response;
import providers.webhooks.Verdict;
import store.Timestamps;
import store.WebhookDelivery;
import store.WebhookDeliveryStore;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/**
 * Records deliveries that end at the door (refused, or handshakes) and keeps each registration's
 * health: genuine deliveries that fail to process count up to failing and disabled, a genuine
 * delivery that succeeds makes it active again. Unauthenticated requests (forgeries, strays) never
 * touch the health: they are counted ({@code hub.webhooks.rejected}, by scheme and reason) and only
 * sampled into the log.
 */
@Component
public class DeliveryLog {

    /** Requests refused without proof of origin, by scheme and reason. */
    public static final String REJECTED = "hub.webhooks.rejected";

    private final WebhookDeliveryStore deliveries;
    private final WebhookRegistrationStore registrations;
    private final RegistrationCache cache;
    private final WebhookSettings settings;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final RejectionSampler sampler;

    public DeliveryLog(WebhookDeliveryStore deliveries, WebhookRegistrationStore registrations, RegistrationCache cache,
                       WebhookSettings settings, ObjectMapper json, MeterRegistry meters) {
        this.deliveries = deliveries;
        this.registrations = registrations;
        this.cache = cache;
        this.settings = settings;
        this.json = json;
        this.meters = meters;
        this.sampler = new RejectionSampler(settings.rejectionLogInterval());
    }

    /**
     * A request that did not prove it came from the provider: counted, logged (without its payload) only
     * when the sampler lets it through, and never counted against the registration's health.
     */
    public Response unauthenticated(WebhookRegistration registration, java.time.Instant receivedAt, Verdict.Rejected rejected,
                                    int elapsedMs) {
        meters.counter(REJECTED, "scheme", registration.scheme(), "reason", rejected.kind()).increment();
        long skipped = sampler.take(registration.id(), rejected.kind(), System.currentTimeMillis());
        if (skipped >= 0) {
            String reason = skipped == 0 ? rejected.reason()
                    : rejected.reason() + " (and " + skipped + " more refused for this reason since the last one logged)";
            deliveries.insert(List.of(new WebhookDelivery(Ids.newId(), registration.id(), registration.tenantId(), null,
                    Timestamps.of(receivedAt), WebhookDelivery.Verification.FAILED, WebhookDelivery.Status.REJECTED, rejected.status(), null,
                    reason, null, null, elapsedMs, null, null)));
        }
        return reply(rejected.status(), Map.of("status", "rejected", "reason", rejected.reason()));
    }

    /** A request refused before any registration was found (unknown id, too large, a type no provider sends): counted only. */
    public Response refusedAtDoor(int status, String kind, String reason) {
        meters.counter(REJECTED, "scheme", "none", "reason", kind).increment();
        return reply(status, Map.of("status", "rejected", "reason", reason));
    }

    /** A genuine delivery that cannot be processed: logged (without its payload) and counted against the registration's health. */
    public Response refused(WebhookRegistration registration, java.time.Instant receivedAt, WebhookDelivery.Verification verification, int status,
                            String reason, int elapsedMs) {
        deliveries.insert(List.of(new WebhookDelivery(Ids.newId(), registration.id(), registration.tenantId(), null,
                Timestamps.of(receivedAt), verification, WebhookDelivery.Status.REJECTED, status, null, reason, null, null, elapsedMs, null,
                null)));
        registrations.recordFailure(registration.id(), reason, settings.failingAfter(), settings.disabledAfter());
        cache.invalidate(registration.id());
        return reply(status, Map.of("status", "rejected", "reason", reason));
    }

    public void handshake(WebhookRegistration registration, java.time.Instant receivedAt, int status, String outcome, int elapsedMs) {
        deliveries.insert(List.of(new WebhookDelivery(Ids.newId(), registration.id(), registration.tenantId(), null,
                Timestamps.of(receivedAt), WebhookDelivery.Verification.HANDSHAKE, WebhookDelivery.Status.PROCESSED, status, null, null,
                outcome, null, elapsedMs, Timestamps.now(), (long) elapsedMs)));
    }

    /** A genuine delivery: a registration that was failing is healthy again. */
    public void succeeded(WebhookRegistration registration) {
        if (registration.status() != WebhookRegistration.Status.ACTIVE || registration.consecutiveFailures() > 0) {
            registrations.recordSuccess(registration.id());
            cache.invalidate(registration.id());
        }
    }

    public static List<WebhookDelivery.Event> events(List<HubEvent> events) {
        return events.stream().map(e -> new WebhookDelivery.Event(e.type(), e.providerEntity(), e.externalId(), e.parentId())).toList();
    }

    public Response reply(int status, Map<String, ?> body) {
        try {
            return new Response(status, "application/json", json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return new Response(status, "text/plain", String.valueOf(body).getBytes(StandardCharsets.UTF_8));
        }
    }
}
