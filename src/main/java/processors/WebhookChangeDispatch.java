package processors;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import processors.mapping.EntityMapping;
import processors.mapping.MappingCatalog;
import processors.webhooks.EventPatterns;
import store.Integration;
import store.IntegrationStore;
import store.Timestamps;
import store.WebhookDelivery;
import store.WebhookDeliveryStore;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;
import sync.SyncDispatcher;

/**
 * Turns a queued delivery into work: its events are matched against the registration's
 * subscriptions, and each provider entity they touch gets an incremental sync (coalesced with one
 * already queued). The delivery is marked processed once; a redelivered message finds it done.
 */
@Component
public class WebhookChangeDispatch implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookChangeDispatch.class);

    private final ObjectMapper json;
    private final WebhookDeliveryStore deliveries;
    private final WebhookRegistrationStore registrations;
    private final IntegrationStore integrations;
    private final MappingCatalog mappings;
    private final SyncDispatcher dispatcher;

    public WebhookChangeDispatch(ObjectMapper json, WebhookDeliveryStore deliveries, WebhookRegistrationStore registrations,
                                 IntegrationStore integrations, MappingCatalog mappings, SyncDispatcher dispatcher) {
        this.json = json;
        this.deliveries = deliveries;
        this.registrations = registrations;
        this.integrations = integrations;
        this.mappings = mappings;
        this.dispatcher = dispatcher;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        JsonNode data = json.readTree(exchange.getMessage().getBody(String.class)).path("data");
        String deliveryId = data.path("deliveryId").asText(null);
        WebhookDelivery delivery = deliveryId == null ? null : deliveries.findById(deliveryId).orElse(null);
        if (delivery == null || !WebhookDelivery.ACCEPTED.equals(delivery.status())) {
            LOG.debug("Webhook delivery {} already processed or gone", deliveryId);
            return;
        }
        String outcome = work(delivery);
        OffsetDateTime now = Timestamps.now();
        long latency = Duration.between(delivery.receivedAt(), now).toMillis();
        if (!deliveries.markProcessed(delivery.id(), WebhookDelivery.PROCESSED, outcome, now, latency)) {
            LOG.debug("Webhook delivery {} was processed by another consumer", delivery.id());
        }
    }

    /**
     * The provider entity an event is about: the one it names when the integration maps it, else the
     * entity mapped to the shard type of the event's noun ("company.updated" → c_company → Account).
     */
    private Optional<String> entity(String providerId, WebhookDelivery.Event event) {
        if (event.entity() != null) {
            Optional<EntityMapping> named = mappings.find(providerId, event.entity());
            if (named.isPresent()) {
                return named.map(EntityMapping::entity);
            }
        }
        String noun = event.type().contains(".") ? event.type().substring(0, event.type().indexOf('.')) : event.type();
        return mappings.forProvider(providerId).stream().filter(m -> m.shardType().equals("c_" + noun)).map(EntityMapping::entity)
                .findFirst();
    }

    private String work(WebhookDelivery delivery) {
        WebhookRegistration registration = registrations.findById(delivery.registrationId()).orElse(null);
        Integration integration = registration == null ? null : integrations.findById(registration.integrationId()).orElse(null);
        if (integration == null) {
            return "registration or integration no longer exists";
        }
        List<WebhookDelivery.Event> events = delivery.events() == null ? List.of() : delivery.events();
        List<WebhookDelivery.Event> matched = events.stream().filter(e -> EventPatterns.matches(registration.events(), e.type())).toList();
        if (matched.isEmpty()) {
            return events.isEmpty() ? "no events" : "no event matches the subscriptions";
        }
        if (!integration.syncEnabled()) {
            return matched.size() + " matching events; sync is disabled for the integration";
        }
        Set<String> entities = new LinkedHashSet<>();
        for (WebhookDelivery.Event event : matched) {
            entity(integration.providerId(), event).ifPresent(entities::add);
        }
        if (entities.isEmpty()) {
            return matched.size() + " matching events; none names an entity this integration syncs";
        }
        List<String> runs = new ArrayList<>();
        for (String entity : entities) {
            SyncDispatcher.ChangeRun run = dispatcher.dispatchForChange(integration.tenantId(), integration.id(), entity);
            runs.add(entity + (run.coalesced() ? " rides along with queued execution " : " queued as execution ") + run.executionId());
        }
        return String.join("; ", runs);
    }
}
