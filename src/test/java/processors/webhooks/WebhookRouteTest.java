package processors.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.CloudEvents;
import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.Ids;
import processors.webhooks.WebhookTestSupport.Reply;
import store.Timestamps;
import store.WebhookDelivery;
import store.WebhookDeliveryStore;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/**
 * The webhook routes from the inside, by route and step id: a failure before or after persist-and-acknowledge
 * loses no delivery and doubles none; webhook-delivery takes batches from their own queue, typed and prioritised;
 * a delivery an older version left on sync-inbound-webhook is moved over and processed.
 */
class WebhookRouteTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The context whose webhook-receiver is advised (once: the context is shared). */
    private static CamelContext advised;
    /** The registration whose next delivery fails at the woven step, once. */
    private static final AtomicReference<String> FAIL_BEFORE = new AtomicReference<>();
    private static final AtomicReference<String> FAIL_AFTER = new AtomicReference<>();

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    MeterRegistry meters;
    @Autowired
    WebhookDeliveryStore deliveryStore;
    @Autowired
    WebhookRegistrationStore registrationStore;
    @Autowired
    ObjectMapper json;

    private HubClient hub;
    private String key;
    private String integration;

    @BeforeEach
    void integrationAndAdvisedReceiver() throws Exception {
        hub = hub();
        key = hub.newTenantKey(ADMIN_KEY);
        integration = hub.connectedSalesforce(key, "wr-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        // advised once per context; the woven steps do nothing unless a test names its registration
        if (advised != camel) {
            AdviceWith.adviceWith(camel, "webhook-receiver", route -> {
                withoutMergedErrorPolicy(route);
                route.weaveById("persist-and-acknowledge").before()
                        .process(e -> failOnce(e, FAIL_BEFORE, "the delivery log is unavailable (test)"));
                route.weaveById("persist-and-acknowledge").after()
                        .process(e -> failOnce(e, FAIL_AFTER, "the reply was lost (test)"));
            });
            camel.getRouteController().startRoute("webhook-receiver");
            advised = camel;
        }
    }

    private static void failOnce(Exchange exchange, AtomicReference<String> registration, String reason) {
        String id = exchange.getMessage().getBody(WebhookReceipt.class).registrationId();
        String failing = registration.get();
        if (id.equals(failing) && registration.compareAndSet(failing, null)) {
            throw new IllegalStateException(reason);
        }
    }

    @Test
    void aFailureBeforeTheDeliveryIsDurableAnswersAnErrorAndTheProvidersRetryIsAccepted() {
        JsonNode registration = register();
        String regId = registration.get("id").asText();
        double failuresBefore = failures("webhook-receiver");
        long now = System.currentTimeMillis() / 1000;
        FAIL_BEFORE.set(regId);

        Reply failed = WebhookTestSupport.standard(url(registration), secret(registration), "msg_before_1", now, "company.updated", "001b");
        assertThat(failed.status()).as(failed.body()).isGreaterThanOrEqualTo(500);
        assertThat(deliveries(regId)).as("nothing was recorded as accepted").isEmpty();
        assertThat(failures("webhook-receiver")).as("counted with its route").isEqualTo(failuresBefore + 1);

        // the provider sends it again: it is accepted (not a duplicate of a delivery that never was) and processed once
        Reply retried = WebhookTestSupport.standard(url(registration), secret(registration), "msg_before_1", now, "company.updated", "001b");
        assertThat(retried.status()).as(retried.body()).isEqualTo(202);
        Awaitility.await().atMost(TIMEOUT).until(() -> statuses(regId).contains(WebhookDelivery.Status.PROCESSED.value()));
        Awaitility.await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> statuses(regId).equals(List.of(WebhookDelivery.Status.PROCESSED.value())));
    }

    @Test
    void aFailureAfterTheDeliveryIsDurableLosesNothingAndTheRetryIsADuplicate() {
        JsonNode registration = register();
        String regId = registration.get("id").asText();
        double failuresBefore = failures("webhook-receiver");
        long now = System.currentTimeMillis() / 1000;
        FAIL_AFTER.set(regId);

        Reply failed = WebhookTestSupport.standard(url(registration), secret(registration), "msg_after_1", now, "company.updated", "001a");
        assertThat(failed.status()).as(failed.body()).isGreaterThanOrEqualTo(500);
        assertThat(failures("webhook-receiver")).isEqualTo(failuresBefore + 1);
        // the provider saw an error, but the delivery was durable and queued: it is processed all the same
        Awaitility.await().atMost(TIMEOUT).until(() -> statuses(regId).equals(List.of(WebhookDelivery.Status.PROCESSED.value())));

        Reply retried = WebhookTestSupport.standard(url(registration), secret(registration), "msg_after_1", now, "company.updated", "001a");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().get("status").asText()).isEqualTo("duplicate");
        Awaitility.await().during(Duration.ofMillis(500)).atMost(TIMEOUT)
                .until(() -> statuses(regId).stream().sorted().toList().equals(List.of(WebhookDelivery.Status.DUPLICATE.value(), WebhookDelivery.Status.PROCESSED.value())));
    }

    @Test
    void webhookDeliveryTakesTypedPrioritisedBatchesFromItsOwnQueue() throws Exception {
        JsonNode registration = register();
        String regId = registration.get("id").asText();
        AtomicReference<Map<String, Object>> headers = new AtomicReference<>();
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute("webhook-delivery")
                .filter(e -> {
                    boolean ours = e.getMessage().getBody(String.class).contains(regId);
                    if (ours) {
                        headers.compareAndSet(null, new HashMap<>(e.getMessage().getHeaders()));
                    }
                    return ours;
                })
                .whenDone(1).create();

        Reply reply = WebhookTestSupport.standard(url(registration), secret(registration), "company.updated", "001n");
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        assertThat(done.matches(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("webhook-delivery finished the batch").isTrue();

        // once webhook-delivery is done with the batch, the delivery is processed and its sync queued
        List<JsonNode> processed = new ArrayList<>();
        hub.ok("GET", "/api/webhooks/deliveries?status=processed&registrationId=" + regId, key, null).get("items").forEach(processed::add);
        assertThat(processed).hasSize(1);
        assertThat(processed.get(0).get("id").asText()).isEqualTo(reply.json().get("deliveryId").asText());
        assertThat(processed.get(0).get("outcome").asText()).contains("Account");
        assertThat(headers.get()).containsEntry("JMSType", WebhookAcceptor.EVENT_TYPE).containsEntry("JMSPriority", 8);
        assertThat(String.valueOf(headers.get().get("JMSDestination"))).contains("webhook-deliveries");
    }

    @Test
    void aDeliveryAnOlderVersionLeftOnTheSyncQueueIsMovedToItsQueueAndProcessed() {
        JsonNode registration = register();
        String regId = registration.get("id").asText();
        WebhookRegistration row = registrationStore.findById(regId).orElseThrow();
        // accepted and logged by an older version, which put its batch on sync-inbound-webhook
        String deliveryId = Ids.newId();
        deliveryStore.insert(List.of(new WebhookDelivery(deliveryId, regId, row.tenantId(), "legacy-" + deliveryId, Timestamps.now(),
                WebhookDelivery.Verification.VERIFIED, WebhookDelivery.Status.ACCEPTED, 202,
                List.of(new WebhookDelivery.Event("company.updated", null, "001l", null)), null, null, null, 3, null, null)));
        String batch = CloudEvents.write(json, WebhookAcceptor.EVENT_TYPE, "/webhooks", deliveryId, Timestamps.now(), Map.of("deliveries",
                List.of(Map.of("deliveryId", deliveryId, "registrationId", regId, "integrationId", integration, "tenantId", row.tenantId()))));
        NotifyBuilder moved = new NotifyBuilder(camel).fromRoute("webhook-delivery")
                .filter(e -> e.getMessage().getBody(String.class).contains(deliveryId)).whenDone(1).create();

        producer.sendBodyAndHeaders("jms:queue:sync-inbound-webhook", batch, Map.of("JMSType", WebhookAcceptor.EVENT_TYPE));

        // well before webhook-recovery would queue it again (recover-after is minutes)
        assertThat(moved.matches(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("moved to webhook-deliveries and consumed there").isTrue();
        assertThat(deliveryStore.findById(deliveryId).orElseThrow().status()).isEqualTo(WebhookDelivery.Status.PROCESSED);
        assertThat(deliveryStore.findById(deliveryId).orElseThrow().outcome()).contains("Account");
    }

    private JsonNode register() {
        HubClient.Response response = hub.call("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "standard_webhooks", "events", List.of("company.*"), "settings", Map.of()));
        assertThat(response.status()).as(response.raw()).isEqualTo(201);
        return response.body();
    }

    private static String url(JsonNode registration) {
        return registration.get("url").asText();
    }

    private static String secret(JsonNode registration) {
        return registration.get("secret").asText();
    }

    private List<JsonNode> deliveries(String registrationId) {
        List<JsonNode> items = new ArrayList<>();
        hub.ok("GET", "/api/webhooks/deliveries?limit=1000&registrationId=" + registrationId, key, null).get("items").forEach(items::add);
        return items;
    }

    private List<String> statuses(String registrationId) {
        return deliveries(registrationId).stream().map(d -> d.get("status").asText()).toList();
    }

    /** Failures counted for the route, each under the step it failed at (never "unknown"). */
    private double failures(String route) {
        Collection<Counter> counters = meters.find("hub.route.failures").tag("policy", "webhooks").tag("route", route).counters();
        assertThat(counters).allSatisfy(c -> assertThat(c.getId().getTag("step")).isNotBlank().isNotEqualTo("unknown"));
        return counters.stream().mapToDouble(Counter::count).sum();
    }

    /**
     * The route definition already holds its route configuration's onException; advising re-adds the route, which
     * merges the configuration again (duplicate ids, the route does not start): take the merged copy out first.
     */
    private static AdviceWithRouteBuilder withoutMergedErrorPolicy(AdviceWithRouteBuilder route) {
        route.getOriginalRoute().getOutputs().removeIf(OnExceptionDefinition.class::isInstance);
        return route;
    }
}
