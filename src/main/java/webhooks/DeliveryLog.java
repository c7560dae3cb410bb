package webhooks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import hub.Ids;
import processors.webhooks.HubEvent;
import processors.webhooks.Response;
import store.Timestamps;
import store.WebhookDelivery;
import store.WebhookDeliveryStore;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/**
 * Records deliveries that end at the door (refused, or handshakes) and keeps each registration's
 * health: failures count up to failing and disabled, a genuine delivery makes it active again.
 */
@Component
public class DeliveryLog {

    private final WebhookDeliveryStore deliveries;
    private final WebhookRegistrationStore registrations;
    private final RegistrationCache cache;
    private final WebhookSettings settings;
    private final ObjectMapper json;

    public DeliveryLog(WebhookDeliveryStore deliveries, WebhookRegistrationStore registrations, RegistrationCache cache,
                       WebhookSettings settings, ObjectMapper json) {
        this.deliveries = deliveries;
        this.registrations = registrations;
        this.cache = cache;
        this.settings = settings;
        this.json = json;
    }

    /** A refused delivery: logged (without its payload) and counted against the registration's health. */
    public Response refused(WebhookRegistration registration, java.time.Instant receivedAt, String verification, int status,
                            String reason, int elapsedMs) {
        deliveries.insert(List.of(new WebhookDelivery(Ids.newId(), registration.id(), registration.tenantId(), null,
                Timestamps.of(receivedAt), verification, WebhookDelivery.REJECTED, status, null, reason, null, null, elapsedMs, null, null)));
        registrations.recordFailure(registration.id(), reason, settings.failingAfter(), settings.disabledAfter());
        cache.invalidate(registration.id());
        return reply(status, Map.of("status", "rejected", "reason", reason));
    }

    public void handshake(WebhookRegistration registration, java.time.Instant receivedAt, int status, String outcome, int elapsedMs) {
        deliveries.insert(List.of(new WebhookDelivery(Ids.newId(), registration.id(), registration.tenantId(), null,
                Timestamps.of(receivedAt), WebhookDelivery.HANDSHAKE, WebhookDelivery.PROCESSED, status, null, null, outcome, null,
                elapsedMs, Timestamps.now(), (long) elapsedMs)));
    }

    /** A genuine delivery: a registration that was failing is healthy again. */
    public void succeeded(WebhookRegistration registration) {
        if (!WebhookRegistration.ACTIVE.equals(registration.status()) || registration.consecutiveFailures() > 0) {
            registrations.recordSuccess(registration.id());
            cache.invalidate(registration.id());
        }
    }

    public static List<WebhookDelivery.Event> events(List<HubEvent> events) {
        return events.stream().map(e -> new WebhookDelivery.Event(e.type(), e.providerEntity(), e.externalId())).toList();
    }

    public Response reply(int status, Map<String, ?> body) {
        try {
            return new Response(status, "application/json", json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return new Response(status, "text/plain", String.valueOf(body).getBytes(StandardCharsets.UTF_8));
        }
    }
}
