package hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.transaction.support.TransactionTemplate;

import hub.OtlpReceiver.ReceivedSpan;
import processors.events.LockUnrelayedEvents;
import processors.outgoing.DeliverMessage;
import processors.sync.ShardUpsert;
import processors.sync.SyncDispatcher;
import processors.webhooks.WebhookAcceptor;
import processors.writeback.LockPendingRows;
import providers.webhooks.StandardWebhooks;
import store.EventStore;

/**
 * OpenTelemetry traces, as an operator's collector receives them over OTLP (the test JVM's {@link OtlpReceiver}): one
 * trace follows a webhook delivery from the request through the webhook-deliveries queue to the shard upsert of the
 * sync it started, one follows a shard write through the outbox and the sync-outbound queue to the provider call, and
 * one follows an event through the event outbox and the events topic to the outgoing webhook's POST and its receiver; a
 * delivery whose change joins a sync run already queued links its trace to the run's.
 * Each request comes with a W3C {@code traceparent} of the test's own, as from a caller that traces; the hub's log lines
 * on the way carry its trace id.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired
    private Traces traces;
    @Autowired
    private EventStore events;
    @Autowired
    private TransactionTemplate transaction;
    @Autowired
    private CamelContext camel;

    @Test
    void oneTraceFollowsAWebhookDeliveryThroughTheQueueToTheShardUpsert(CapturedOutput output) {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        HubSpotPortal portal = new HubSpotPortal(hub, "trace-wh");
        String integration = portal.connect(key, Map.of());
        hub.runAndWait(key, integration, hub.task(key, integration, "companies", "full"), TIMEOUT);
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "standard_webhooks", "events", List.of("company.*"), "settings", Map.of()));
        String company = portal.records("companies", List.of("name"), 1).get(0).get("id").asText();
        portal.update("companies", company, Map.of("name", "Traced Company"));

        String traceId = newId(16);
        deliverCompanyUpdated(registration, company, traceId);
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> HubSpotPortal
                .shardsByExternalId(hub, key, "c_company").get(company).at("/structuredData/name").asText().equals("Traced Company"));

        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<ReceivedSpan> trace = OtlpReceiver.started().trace(traceId);
            assertThat(trace).as("%s", OtlpReceiver.names(trace))
                    // the request, as the web server took it
                    .anySatisfy(request("/webhooks/{registrationId}"))
                    // the receiver route, and the accepted batch made durable and queued
                    .anySatisfy(s -> assertThat(s.name()).isEqualTo("webhook-receiver"))
                    .anySatisfy(s -> assertThat(s.name()).isEqualTo(WebhookAcceptor.SPAN))
                    // taken off the webhook-deliveries queue: the trace crossed the broker in the message's headers
                    .anySatisfy(consumed("queue:webhook-deliveries"))
                    // and the sync it queued, off its own queue, wrote the shards
                    .anySatisfy(consumed("queue:sync-inbound-webhook"))
                    .anySatisfy(s -> {
                        assertThat(s.name()).isEqualTo(ShardUpsert.SPAN);
                        assertThat(s.attributes()).containsEntry("hub.integration", integration).containsEntry("hub.entity", "companies");
                    });
            assertWhole(trace);
        });
        // the routes' spans add no timers named after routes beside the hub's meters; the web server's stay
        String scrape = hub.call("GET", "/actuator/prometheus", ADMIN_KEY, null).raw();
        assertThat(scrape).contains("http_server_requests_seconds_count").doesNotContain("webhook_receiver_seconds")
                .doesNotContain("sync_inbound_seconds");
        // the run's log lines carry the trace id (Spring Boot's correlation: [traceId-spanId])
        assertThat(output.getAll().lines().filter(line -> line.contains("[" + traceId + "-")))
                .anyMatch(line -> line.contains("Execution ") && line.contains("processed"));
    }

    @Test
    void oneTraceFollowsAShardWriteThroughTheOutboxAndTheQueueToTheProviderCall() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        HubSpotPortal portal = new HubSpotPortal(hub, "trace-wb");
        String integration = portal.connect(key, Map.of("syncDirection", "bidirectional"));
        hub.runAndWait(key, integration, hub.task(key, integration, "companies", "full"), TIMEOUT);
        String company = portal.records("companies", List.of("name"), 1).get(0).get("id").asText();
        String shard = HubSpotPortal.shardsByExternalId(hub, key, "c_company").get(company).get("id").asText();

        String traceId = newId(16);
        HubClient.Response written = HubClient.send(HTTP, "PATCH", hub.baseUrl() + "/api/tenant/shards/" + shard,
                Map.of("Authorization", "Bearer " + key, "traceparent", traceParent(traceId)),
                Map.of("structuredData", Map.of("name", "Traced Write")));
        assertThat(written.status()).as(written.raw()).isEqualTo(200);
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> portal
                .record("companies", company, "name").at("/properties/name").asText().equals("Traced Write"));

        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<ReceivedSpan> trace = OtlpReceiver.started().trace(traceId);
            assertThat(trace).as("%s", OtlpReceiver.names(trace))
                    .anySatisfy(request("/api/tenant/shards/{id}"))
                    // the outbox row kept the request's trace; the relay continued it on the message
                    .anySatisfy(s -> assertThat(s.name()).isEqualTo(LockPendingRows.SPAN))
                    .anySatisfy(consumed("queue:sync-outbound"))
                    // the call that wrote the record at HubSpot
                    .anySatisfy(s -> {
                        assertThat(s.kind()).isEqualTo("SPAN_KIND_CLIENT");
                        assertThat(s.name()).isEqualTo("PATCH");
                        assertThat(s.attributes().values()).anyMatch(v -> v.contains("/crm/v3/objects/companies/" + company));
                    });
            assertWhole(trace);
        });
    }

    @Test
    void anEventRecordedInATraceIsRelayedAndPostedToTheTenantsEndpointInThatTrace() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String receiver = "trace-" + newId(4);
        hub.ok("POST", "/api/tenant/webhook-endpoints", tenant.key(), Map.of("url", hub.baseUrl() + "/sandbox/webhook-receiver/" + receiver,
                "eventTypes", List.of("sync.completed")));

        // a request or sync running in the caller's trace records an event: the outbox row keeps the trace
        String traceId = newId(16);
        String recordingSpan = traces.within(traces.start("records an event", traceParent(traceId)), () -> {
            transaction.execute(s -> events.append(tenant.id(), "sync.completed", "execution-1", Map.of("integrationId", "i")));
            return traces.current().spanId();
        });

        // the endpoint got the POST with the W3C traceparent of the hub's client span, in the caller's trace
        JsonNode delivered = Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> hub.ok("GET",
                "/sandbox/webhook-receiver/" + receiver + "/received", null, null).get("items"), items -> items.size() == 1).get(0);
        String sent = delivered.at("/headers/traceparent").asText();
        assertThat(sent).matches("00-" + traceId + "-[0-9a-f]{16}-01");
        String postSpan = sent.split("-")[2];
        String webhookId = delivered.at("/headers/webhook-id").asText();

        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<ReceivedSpan> trace = OtlpReceiver.started().trace(traceId);
            ReceivedSpan relay = only(trace, s -> s.name().equals(LockUnrelayedEvents.SPAN));
            assertThat(relay.parentSpanId()).as("the relay continues the recording span").isEqualTo(recordingSpan);
            // taken off the events topic by a consumer (notifications), a child of the relay's span
            assertThat(trace).as("%s", OtlpReceiver.names(trace)).anySatisfy(s -> {
                assertThat(s.kind()).isEqualTo("SPAN_KIND_CONSUMER");
                assertThat(s.parentSpanId()).isEqualTo(relay.spanId());
            });
            // the outgoing message was written by the relay: its delivery attempt continues the relay's span
            ReceivedSpan attempt = only(trace, s -> s.name().equals(DeliverMessage.SPAN));
            assertThat(attempt.parentSpanId()).isEqualTo(relay.spanId());
            assertThat(attempt.attributes()).containsEntry("hub.webhook-id", webhookId).containsEntry("hub.event-type", "sync.completed");
            // the POST: a client span of the attempt, whose context the endpoint got; the receiver's server span its child
            ReceivedSpan post = only(trace, s -> s.spanId().equals(postSpan));
            assertThat(post.kind()).isEqualTo("SPAN_KIND_CLIENT");
            assertThat(post.name()).isEqualTo("POST");
            assertThat(post.parentSpanId()).isEqualTo(attempt.spanId());
            assertThat(trace).anySatisfy(s -> {
                assertThat(s.kind()).isEqualTo("SPAN_KIND_SERVER");
                assertThat(s.parentSpanId()).isEqualTo(postSpan);
            });
            assertWhole(trace);
        });
    }

    @Test
    void aDeliveryThatJoinsAQueuedSyncRunLinksItsTraceToTheTraceOfThatRun() throws Exception {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        HubSpotPortal portal = new HubSpotPortal(hub, "trace-join");
        String integration = portal.connect(key, Map.of());
        hub.runAndWait(key, integration, hub.task(key, integration, "companies", "full"), TIMEOUT);
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "standard_webhooks", "events", List.of("company.*"), "settings", Map.of()));
        String company = portal.records("companies", List.of("name"), 1).get(0).get("id").asText();

        // the run the first delivery queues stays queued (its consumer stopped) while the second delivery joins it
        String first = newId(16);
        String second = newId(16);
        camel.getRouteController().stopRoute("sync-inbound-webhook");
        try {
            portal.update("companies", company, Map.of("name", "Joined Once"));
            deliverCompanyUpdated(registration, company, first);
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(OtlpReceiver.started()
                    .trace(first)).anySatisfy(s -> {
                        assertThat(s.kind()).isEqualTo("SPAN_KIND_PRODUCER");
                        assertThat(s.name()).isEqualTo("queue:sync-inbound-webhook");
                    }));
            portal.update("companies", company, Map.of("name", "Joined Twice"));
            deliverCompanyUpdated(registration, company, second);
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(OtlpReceiver.started()
                    .trace(second)).anySatisfy(s -> assertThat(s.name()).isEqualTo(SyncDispatcher.JOINED_SPAN)));
        } finally {
            camel.getRouteController().startRoute("sync-inbound-webhook");
        }
        // the one run wrote both changes
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> HubSpotPortal
                .shardsByExternalId(hub, key, "c_company").get(company).at("/structuredData/name").asText().equals("Joined Twice"));

        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<ReceivedSpan> joining = OtlpReceiver.started().trace(second);
            List<ReceivedSpan> queuing = OtlpReceiver.started().trace(first);
            // the second delivery's trace ends in the span that joined the run: tagged with it, linked into the first's trace
            ReceivedSpan joined = only(joining, s -> s.name().equals(SyncDispatcher.JOINED_SPAN));
            String execution = joined.attributes().get("hub.execution");
            assertThat(joined.attributes()).containsEntry("hub.integration", integration).containsEntry("hub.entity", "companies");
            assertThat(joined.links()).singleElement().satisfies(link -> {
                assertThat(link.traceId()).isEqualTo(first);
                assertThat(queuing).extracting(ReceivedSpan::spanId).contains(link.spanId());
            });
            assertWhole(joining);
            // where the run is: taken off its queue, it wrote the shards, as that execution
            assertThat(queuing).as("%s", OtlpReceiver.names(queuing))
                    .anySatisfy(consumed("queue:sync-inbound-webhook"))
                    .anySatisfy(s -> {
                        assertThat(s.name()).isEqualTo(ShardUpsert.SPAN);
                        assertThat(s.attributes()).containsEntry("hub.execution", execution);
                    });
            assertWhole(queuing);
        });
    }

    /** Sends HubSpot's (Standard Webhooks) {@code company.updated} of the company, as a caller in the trace {@code traceId}. */
    private static void deliverCompanyUpdated(JsonNode registration, String company, String traceId) {
        String webhookId = "msg_" + newId(8);
        long timestamp = System.currentTimeMillis() / 1000;
        String body = "{\"type\":\"company.updated\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{\"id\":\"" + company + "\"}}";
        HubClient.Response accepted = HubClient.send(HTTP, "POST", registration.get("url").asText(), Map.of(
                "traceparent", traceParent(traceId),
                "webhook-id", webhookId,
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", StandardWebhooks.sign(registration.get("secret").asText(), webhookId, timestamp,
                        body.getBytes(StandardCharsets.UTF_8))), body);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
    }

    private static ReceivedSpan only(List<ReceivedSpan> trace, java.util.function.Predicate<ReceivedSpan> which) {
        List<ReceivedSpan> found = trace.stream().filter(which).toList();
        assertThat(found).as("%s", OtlpReceiver.names(trace)).hasSize(1);
        return found.get(0);
    }

    /** The web server's span of a request to this path (as its mapping names it). */
    private static Consumer<ReceivedSpan> request(String uri) {
        return s -> {
            assertThat(s.kind()).isEqualTo("SPAN_KIND_SERVER");
            assertThat(s.attributes().get("uri")).isEqualTo(uri);
        };
    }

    /** The span of a message taken off the queue (a route's JMS consumer, as Camel names it). */
    private static Consumer<ReceivedSpan> consumed(String queue) {
        return s -> {
            assertThat(s.kind()).isEqualTo("SPAN_KIND_CONSUMER");
            assertThat(s.name()).isEqualTo(queue);
        };
    }

    /** Every span's parent is in the trace, but for the caller's (the test's traceparent): one tree, nothing cut off. */
    private static void assertWhole(List<ReceivedSpan> trace) {
        List<String> ids = trace.stream().map(ReceivedSpan::spanId).toList();
        List<ReceivedSpan> orphans = trace.stream().filter(s -> !ids.contains(s.parentSpanId())).toList();
        assertThat(orphans).as("spans whose parent is not in the trace: %s", OtlpReceiver.names(orphans))
                .allSatisfy(s -> assertThat(s.parentSpanId()).isEqualTo(CALLER_SPAN));
    }

    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private static String traceParent(String traceId) {
        return "00-" + traceId + "-" + CALLER_SPAN + "-01";
    }

    private static String newId(int bytes) {
        byte[] id = new byte[bytes];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}
