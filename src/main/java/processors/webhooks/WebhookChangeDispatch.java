package processors.webhooks;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import processors.mapping.EntityMapping;
import processors.mapping.MappingCatalog;
import processors.sync.SyncDispatcher;
import providers.webhooks.EventPatterns;
import store.Integration;
import store.IntegrationStore;
import store.Timestamps;
import store.WebhookDelivery;
import store.WebhookDeliveryStore;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/**
 * Turns a queued batch of deliveries into work: their events are matched against the
 * registrations' subscriptions, and each provider entity they touch gets one incremental sync
 * (coalesced with one already queued). A provider asking for its subscription to be renewed
 * (Microsoft Graph lifecycle events) gets it renewed; one that removed it, or missed notifications, also gets a
 * catch-up sync of what the registration covers. Each delivery is marked processed once; a
 * redelivered message finds them done.
 */
@Component
public class WebhookChangeDispatch implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookChangeDispatch.class);
    /** Lifecycle events in which a provider asks for its subscription to be renewed or re-created. */
    private static final String SUBSCRIPTION_REMOVED = "subscription.subscription_removed";
    private static final Set<String> RENEWAL_REQUESTS = Set.of("subscription.reauthorization_required", SUBSCRIPTION_REMOVED);
    /** A lifecycle event saying notifications were not delivered: a catch-up sync, no renewal. */
    private static final String MISSED = "subscription.missed";

    private final ObjectMapper json;
    private final WebhookDeliveryStore deliveries;
    private final WebhookRegistrationStore registrations;
    private final IntegrationStore integrations;
    private final MappingCatalog mappings;
    private final SyncDispatcher dispatcher;
    private final WebhookRenewal renewal;
    private final TransactionTemplate transaction;

    public WebhookChangeDispatch(ObjectMapper json, WebhookDeliveryStore deliveries, WebhookRegistrationStore registrations,
                                 IntegrationStore integrations, MappingCatalog mappings, SyncDispatcher dispatcher,
                                 WebhookRenewal renewal, TransactionTemplate transaction) {
        this.json = json;
        this.deliveries = deliveries;
        this.registrations = registrations;
        this.integrations = integrations;
        this.mappings = mappings;
        this.dispatcher = dispatcher;
        this.renewal = renewal;
        this.transaction = transaction;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<String> ids = new ArrayList<>();
        json.readTree(exchange.getMessage().getBody(String.class)).path("data").path("deliveries")
                .forEach(d -> ids.add(d.path("deliveryId").asText()));
        List<WebhookDelivery> waiting = deliveries.accepted(ids);
        if (waiting.isEmpty()) {
            LOG.debug("Webhook deliveries {} already processed or gone", ids);
            return;
        }
        Map<String, Optional<WebhookRegistration>> registrationsById = new HashMap<>();
        Map<String, Optional<Integration>> integrationsById = new HashMap<>();
        // entities to sync per integration, and what each delivery asked for
        Map<Integration, Set<String>> entitiesByIntegration = new LinkedHashMap<>();
        Map<String, Work> work = new LinkedHashMap<>();
        for (WebhookDelivery delivery : waiting) {
            WebhookRegistration registration = registrationsById.computeIfAbsent(delivery.registrationId(), registrations::findById)
                    .orElse(null);
            Integration integration = registration == null ? null
                    : integrationsById.computeIfAbsent(registration.integrationId(), integrations::findById).orElse(null);
            Work w = work(delivery, registration, integration);
            work.put(delivery.id(), w);
            if (!w.entities().isEmpty()) {
                entitiesByIntegration.computeIfAbsent(integration, i -> new LinkedHashSet<>()).addAll(w.entities());
            }
        }
        Map<String, String> runs = new HashMap<>();
        Map<Integration, List<String>> unjoined = new LinkedHashMap<>();
        // most changes of a burst join the runs already queued for their entities: then the joins and the processed marks
        // are one commit; a change that needs a run of its own is queued (and sent) after that commit
        boolean marked = Boolean.TRUE.equals(transaction.execute(status -> {
            entitiesByIntegration.forEach((integration, entities) -> {
                for (String entity : entities) {
                    dispatcher.joinQueued(integration.id(), entity).ifPresentOrElse(run -> runs.put(integration.id() + "|" + entity,
                            describe(entity, run)), () -> unjoined.computeIfAbsent(integration, i -> new ArrayList<>()).add(entity));
                }
            });
            if (!unjoined.isEmpty()) {
                return false;
            }
            markProcessed(waiting, work, runs);
            return true;
        }));
        if (!marked) {
            unjoined.forEach((integration, entities) -> {
                for (String entity : entities) {
                    runs.put(integration.id() + "|" + entity,
                            describe(entity, dispatcher.dispatchForChange(integration.tenantId(), integration.id(), entity)));
                }
            });
            markProcessed(waiting, work, runs);
        }
    }

    private static String describe(String entity, SyncDispatcher.ChangeRun run) {
        return entity + (run.coalesced() ? " rides along with queued execution " : " queued as execution ") + run.executionId();
    }

    private void markProcessed(List<WebhookDelivery> waiting, Map<String, Work> work, Map<String, String> runs) {
        OffsetDateTime now = Timestamps.now();
        List<WebhookDeliveryStore.Processed> processed = new ArrayList<>();
        for (WebhookDelivery delivery : waiting) {
            Work w = work.get(delivery.id());
            String outcome = w.entities().isEmpty() ? w.outcome()
                    : String.join("; ", w.entities().stream().map(e -> runs.get(w.integrationId() + "|" + e)).toList());
            processed.add(new WebhookDeliveryStore.Processed(delivery.id(), outcome,
                    Duration.between(delivery.receivedAt(), now).toMillis()));
        }
        deliveries.markProcessed(processed, now);
    }

    /** What one delivery asks for: the entities to sync, or why nothing. */
    private record Work(String integrationId, Set<String> entities, String outcome) {
    }

    private Work work(WebhookDelivery delivery, WebhookRegistration registration, Integration integration) {
        if (integration == null) {
            return new Work(null, Set.of(), "registration or integration no longer exists");
        }
        List<WebhookDelivery.Event> events = delivery.events() == null ? List.of() : delivery.events();
        if (events.stream().anyMatch(e -> RENEWAL_REQUESTS.contains(e.type()))) {
            boolean removed = events.stream().anyMatch(e -> e.type().equals(SUBSCRIPTION_REMOVED));
            return new Work(integration.id(), Set.of(), (removed ? "the provider removed the subscription: "
                    : "the provider asked for the subscription to be renewed: ") + renewal.renew(registration, removed).summary());
        }
        if (events.stream().anyMatch(e -> e.type().equals(MISSED))) {
            return new Work(integration.id(), Set.of(), "the provider missed notifications: " + renewal.catchUp(registration, integration));
        }
        List<WebhookDelivery.Event> matched = events.stream().filter(e -> EventPatterns.matches(registration.events(), e.type())).toList();
        if (matched.isEmpty()) {
            return new Work(integration.id(), Set.of(), events.isEmpty() ? "no events" : "no event matches the subscriptions");
        }
        if (!integration.syncEnabled()) {
            return new Work(integration.id(), Set.of(), matched.size() + " matching events; sync is disabled for the integration");
        }
        Set<String> entities = new LinkedHashSet<>();
        for (WebhookDelivery.Event event : matched) {
            entity(integration.providerId(), event).ifPresent(entities::add);
        }
        return new Work(integration.id(), entities,
                entities.isEmpty() ? matched.size() + " matching events; none names an entity this integration syncs" : null);
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
}
