package processors.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.EmbeddedHubTest;
import hub.HubClient;
import processors.webhooks.WebhookTestSupport.Reply;
import providers.webhooks.AnnouncedChanges;

/**
 * The receiver over HTTP: registrations, verification, durable accept, dedupe, refusals, health (genuine failures only; forgeries
 * counted and sampled), redacted payloads, handshakes, events to syncs.
 */
class WebhookReceiverTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    JdbcClient jdbc;
    @Autowired
    WebhookMaintenance maintenance;
    @Autowired
    MeterRegistry meters;
    @Autowired
    AnnouncedChanges announcements;

    private HubClient hub;
    private String key;
    private String integration;

    @BeforeEach
    void integration() {
        hub = hub();
        key = hub.newTenantKey(ADMIN_KEY);
        integration = hub.connectedSalesforce(key, "wh-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
    }

    @Test
    void registrationShowsItsGeneratedSecretOnceAndCanBeRemoved() {
        JsonNode created = register("standard_webhooks", List.of("company.*"), Map.of());
        String id = created.get("id").asText();
        assertThat(created.get("secret").asText()).startsWith("whsec_");
        assertThat(created.get("url").asText()).endsWith("/webhooks/" + id);
        assertThat(created.get("status").asText()).isEqualTo("active");
        // Salesforce has no API to register a webhook: the response says to configure it there
        assertThat(created.get("providerRegistration").asText()).startsWith("manual");
        String path = "/api/tenant/integrations/" + integration + "/webhooks/" + id;
        JsonNode fetched = hub.ok("GET", path, key, null);
        assertThat(fetched.has("secret")).isFalse();
        assertThat(fetched.get("hasSecret").asBoolean()).isTrue();
        assertThat(fetched.toString()).doesNotContain(created.get("secret").asText());
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration + "/webhooks", key, null).get("items")).hasSize(1);
        assertThat(hub.ok("GET", path + "/health", key, null).get("status").asText()).isEqualTo("active");
        assertThat(hub.call("DELETE", path, key, null).status()).isEqualTo(204);
        assertThat(hub.call("GET", path, key, null).status()).isEqualTo(404);
        assertThat(WebhookTestSupport.standard(created.get("url").asText(), created.get("secret").asText(), "company.updated", "x").status())
                .isEqualTo(404);
    }

    @Test
    void invalidRegistrationsNameTheField() {
        String base = "/api/tenant/integrations/" + integration + "/webhooks";
        assertField(hub.call("POST", base, key, Map.of("events", List.of("*"))), "scheme");
        assertField(hub.call("POST", base, key, Map.of("scheme", "carrier_pigeon", "events", List.of("*"))), "scheme");
        assertField(hub.call("POST", base, key, Map.of("scheme", "github", "events", List.of())), "events");
        assertField(hub.call("POST", base, key, Map.of("scheme", "github", "events", List.of("Contact.*"))), "events[0]");
        assertField(hub.call("POST", base, key, Map.of("scheme", "salesforce_outbound", "events", List.of("*"))), "settings.organizationId");
        assertField(hub.call("POST", base, key, Map.of("scheme", "salesforce_outbound", "events", List.of("*"), "secret", "s",
                "settings", Map.of("organizationId", "00D000000000001AAA"))), "secret");
        assertField(hub.call("POST", base, key, Map.of("scheme", "github", "events", List.of("*"), "settings", Map.of("colour", "red"))),
                "settings.colour");
        assertField(hub.call("POST", base, key, Map.of("scheme", "slack", "events", List.of("*"))), "secret");
        assertThat(hub.ok("GET", base, key, null).get("items")).isEmpty();
    }

    @Test
    void genuineDeliveryIsAcceptedProcessedOnceAndDuplicatesAreAcknowledged() {
        JsonNode registration = register("standard_webhooks", List.of("company.*"), Map.of());
        String url = registration.get("url").asText();
        String secret = registration.get("secret").asText();
        long now = System.currentTimeMillis() / 1000;
        long sentAt = System.currentTimeMillis();
        Reply first = WebhookTestSupport.standard(url, secret, "msg_dup_1", now, "company.updated", "001x");
        long answeredWithinMs = System.currentTimeMillis() - sentAt;
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        Reply again = WebhookTestSupport.standard(url, secret, "msg_dup_1", now, "company.updated", "001x");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("duplicate");

        String regId = registration.get("id").asText();
        Awaitility.await().atMost(TIMEOUT).until(() -> deliveries(regId, "processed").size() == 1);
        long processedWithinMs = System.currentTimeMillis() - sentAt;
        JsonNode processed = deliveries(regId, "processed").get(0);
        assertThat(processed.at("/events/0/type").asText()).isEqualTo("company.updated");
        assertThat(processed.get("outcome").asText()).contains("Account");
        // the latency operators read is receipt to processing: the span between the logged times, within what the sender saw
        long latencyMs = processed.get("latencyMs").asLong();
        assertThat(latencyMs).isCloseTo(Duration.between(OffsetDateTime.parse(processed.get("receivedAt").asText()),
                OffsetDateTime.parse(processed.get("processedAt").asText())).toMillis(), within(1L));
        assertThat(latencyMs).isLessThanOrEqualTo(processedWithinMs);
        // the acknowledgement time is the hub's share of the request the sender waited for
        assertThat(processed.get("ackMs").asLong()).isLessThanOrEqualTo(answeredWithinMs);
        assertThat(deliveries(regId, "duplicate")).hasSize(1);
        assertThat(processed.has("payload")).isFalse();
        // the change became an incremental sync of the company entity, triggered by the webhook
        Awaitility.await().atMost(TIMEOUT).until(() -> webhookExecutions().size() >= 1);
        assertThat(webhookExecutions().get(0).get("entity").asText()).isEqualTo("Account");
    }

    @Test
    void eventsOutsideTheSubscriptionsAreLoggedButTriggerNothing() {
        JsonNode registration = register("standard_webhooks", List.of("contact.created"), Map.of());
        Reply reply = WebhookTestSupport.standard(registration.get("url").asText(), registration.get("secret").asText(), "company.deleted", "1");
        assertThat(reply.status()).isEqualTo(202);
        String regId = registration.get("id").asText();
        Awaitility.await().atMost(TIMEOUT).until(() -> deliveries(regId, "processed").size() == 1);
        assertThat(deliveries(regId, "processed").get(0).get("outcome").asText()).contains("no event matches");
        assertThat(webhookExecutions()).isEmpty();
    }

    @Test
    void aBurstOfChangesToTwoEntitiesCoalescesIntoFewSyncsAndEachDeliverySaysWhichRunCoversIt() throws Exception {
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        int changes = 200;
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<Integer>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < changes; i++) {
            String recordId = "id" + i;
            String type = i % 2 == 0 ? "company.updated" : "contact.updated";
            sent.add(senders.submit(() -> WebhookTestSupport.standard(registration.get("url").asText(),
                    registration.get("secret").asText(), type, recordId).status()));
        }
        for (java.util.concurrent.Future<Integer> status : sent) {
            assertThat(status.get()).isEqualTo(202);
        }
        senders.shutdown();
        String regId = registration.get("id").asText();
        Awaitility.await().atMost(TIMEOUT).until(() -> deliveries(regId, "processed").size() == changes);
        // one run at a time per entity and one queued behind it: every change is covered, few runs are made
        Awaitility.await().atMost(TIMEOUT).until(() -> webhookExecutions().stream()
                .allMatch(e -> e.get("status").asText().equals("completed")));
        List<JsonNode> runs = webhookExecutions();
        assertThat(runs.size()).as("syncs for " + changes + " changes").isBetween(2, changes / 10);
        // a delivery that queued a run names it; the others name the queued run they joined, of their own entity
        Map<String, String> entityOfRun = new java.util.HashMap<>();
        runs.forEach(run -> entityOfRun.put(run.get("id").asText(), run.get("entity").asText()));
        java.util.regex.Pattern outcome = java.util.regex.Pattern.compile("(Account|Contact) (queued as|rides along with queued) execution (\\S+)");
        java.util.Set<String> queued = new java.util.HashSet<>();
        for (JsonNode delivery : deliveries(regId, "processed")) {
            java.util.regex.Matcher said = outcome.matcher(delivery.get("outcome").asText());
            assertThat(said.matches()).as(delivery.get("outcome").asText()).isTrue();
            assertThat(entityOfRun.get(said.group(3))).as(delivery.get("outcome").asText()).isEqualTo(said.group(1));
            assertThat(delivery.at("/events/0/type").asText()).isEqualTo(said.group(1).equals("Account") ? "company.updated" : "contact.updated");
            if (said.group(2).equals("queued as")) {
                queued.add(said.group(3));
            }
        }
        assertThat(queued).isEqualTo(entityOfRun.keySet());
    }

    @Test
    void forgedStaleAndIncompleteDeliveriesAreRefusedAndLogged() {
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        String url = registration.get("url").asText();
        String secret = registration.get("secret").asText();
        String wrong = providers.webhooks.StandardWebhooks.newSecret();
        assertThat(WebhookTestSupport.standard(url, wrong, "company.updated", "1").status()).isEqualTo(401);
        long stale = System.currentTimeMillis() / 1000 - 3600;
        assertThat(WebhookTestSupport.standard(url, secret, "msg_stale", stale, "company.updated", "1").status()).isEqualTo(401);
        Reply missing = WebhookTestSupport.post(url, "application/json", "{}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body()).doesNotContain(secret);
        String regId = registration.get("id").asText();
        assertThat(deliveries(regId, "rejected")).hasSize(3);
        assertThat(deliveries(regId, "rejected").get(0).get("reason").asText()).isNotBlank().doesNotContain(secret);
        // nothing was queued
        assertThat(deliveries(regId, "accepted")).isEmpty();
        assertThat(deliveries(regId, "processed")).isEmpty();
    }

    @Test
    void malformedPayloadWithAValidSignatureIsRefused400AndLogged() {
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        byte[] body = "{not json".getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis() / 1000;
        Reply reply = WebhookTestSupport.post(registration.get("url").asText(), "application/json", body, Map.of(
                "webhook-id", "msg_bad", "webhook-timestamp", Long.toString(ts),
                "webhook-signature", providers.webhooks.StandardWebhooks.sign(registration.get("secret").asText(), "msg_bad", ts, body)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        JsonNode logged = deliveries(registration.get("id").asText(), "rejected").get(0);
        assertThat(logged.get("verification").asText()).isEqualTo("verified");
        assertThat(logged.get("httpStatus").asInt()).isEqualTo(400);
    }

    @Test
    void oversizedUnknownAndWrongTypeRequestsAreRefused() {
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        String url = registration.get("url").asText();
        assertThat(WebhookTestSupport.post(url, "application/json", new byte[1024 * 1024 + 1], Map.of()).status()).isEqualTo(413);
        assertThat(WebhookTestSupport.post(url, "image/png", new byte[10], Map.of()).status()).isEqualTo(415);
        assertThat(WebhookTestSupport.post(hub.baseUrl() + "/webhooks/" + UUID.randomUUID(), "application/json", "{}".getBytes(), Map.of())
                .status()).isEqualTo(404);
    }

    @Test
    void inboundCamelHeadersCannotSteerTheRoute() {
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        byte[] body = "{\"type\":\"company.updated\",\"data\":{\"id\":\"1\"}}".getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis() / 1000;
        Map<String, String> headers = new HashMap<>(Map.of("webhook-id", "msg_camel", "webhook-timestamp", Long.toString(ts),
                "webhook-signature", providers.webhooks.StandardWebhooks.sign(registration.get("secret").asText(), "msg_camel", ts, body)));
        headers.put("CamelHttpResponseCode", "500");
        headers.put("CamelJmsDestinationName", "sync-deadletter");
        Reply reply = WebhookTestSupport.post(registration.get("url").asText(), "application/json", body, headers);
        assertThat(reply.status()).isEqualTo(202);
        Awaitility.await().atMost(TIMEOUT).until(() -> deliveries(registration.get("id").asText(), "processed").size() == 1);
    }

    @Test
    void consecutiveFailuresMoveARegistrationToFailingThenDisabledAndSuccessBringsItBack() {
        // genuine (signed) deliveries the hub cannot process are what count against a registration
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        String url = registration.get("url").asText();
        String secret = registration.get("secret").asText();
        String health = "/api/tenant/integrations/" + integration + "/webhooks/" + registration.get("id").asText() + "/health";
        for (int i = 0; i < 3; i++) {
            assertThat(signedUnreadable(url, secret).status()).isEqualTo(400);
        }
        assertThat(hub.ok("GET", health, key, null).get("status").asText()).isEqualTo("failing");
        for (int i = 0; i < 7; i++) {
            signedUnreadable(url, secret);
        }
        JsonNode disabled = hub.ok("GET", health, key, null);
        assertThat(disabled.get("status").asText()).isEqualTo("disabled");
        assertThat(disabled.get("consecutiveFailures").asInt()).isEqualTo(10);
        assertThat(WebhookTestSupport.standard(url, secret, "company.updated", "1").status()).isEqualTo(202);
        JsonNode active = hub.ok("GET", health, key, null);
        assertThat(active.get("status").asText()).isEqualTo("active");
        assertThat(active.get("consecutiveFailures").asInt()).isZero();
        assertThat(active.get("totalFailures").asLong()).isEqualTo(10);
    }

    @Test
    void forgeriesLeaveTheRegistrationActiveAndAreCountedButOnlySampledIntoTheLog() {
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        String url = registration.get("url").asText();
        String regId = registration.get("id").asText();
        String wrong = providers.webhooks.StandardWebhooks.newSecret();
        double before = rejectedCount("standard_webhooks", "unauthorized");
        for (int i = 0; i < 100; i++) {
            assertThat(WebhookTestSupport.standard(url, wrong, "company.updated", "1").status()).isEqualTo(401);
        }
        JsonNode health = hub.ok("GET", "/api/tenant/integrations/" + integration + "/webhooks/" + regId + "/health", key, null);
        assertThat(health.get("status").asText()).isEqualTo("active");
        assertThat(health.get("consecutiveFailures").asInt()).isZero();
        assertThat(health.get("totalFailures").asLong()).isZero();
        assertThat(rejectedCount("standard_webhooks", "unauthorized") - before).isEqualTo(100);
        List<JsonNode> logged = deliveries(regId, "rejected");
        assertThat(logged).as("one row per registration and reason per minute").hasSizeBetween(1, 2);
        assertThat(logged.get(0).get("verification").asText()).isEqualTo("failed");
        // a genuine delivery still goes through
        assertThat(WebhookTestSupport.standard(url, registration.get("secret").asText(), "company.updated", "1").status()).isEqualTo(202);
    }

    @Test
    void hubSpotLegacySignaturesNeedTheRegistrationsConsent() {
        String secret = "hubspot-app-client-secret-0123456789";
        byte[] body = "[{\"eventId\":7,\"subscriptionType\":\"contact.propertyChange\",\"objectId\":1}]".getBytes(StandardCharsets.UTF_8);
        String base = "/api/tenant/integrations/" + integration + "/webhooks";
        assertField(hub.call("POST", base, key, Map.of("scheme", "hubspot", "events", List.of("*"), "secret", secret,
                "settings", Map.of("allowLegacySignatures", "yes"))), "settings.allowLegacySignatures");
        HubClient.Response strict = hub.call("POST", base, key, Map.of("scheme", "hubspot", "events", List.of("*"), "secret", secret));
        HubClient.Response legacy = hub.call("POST", base, key, Map.of("scheme", "hubspot", "events", List.of("*"), "secret", secret,
                "settings", Map.of("allowLegacySignatures", "true")));
        assertThat(strict.status()).as(strict.raw()).isEqualTo(201);
        assertThat(legacy.status()).as(legacy.raw()).isEqualTo(201);
        Map<String, String> v1 = Map.of("X-HubSpot-Signature", sha256Hex(secret, body), "X-HubSpot-Signature-Version", "v1");
        Reply refused = WebhookTestSupport.post(strict.body().get("url").asText(), "application/json", body, v1);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("reason").asText()).contains("allowLegacySignatures");
        Reply accepted = WebhookTestSupport.post(legacy.body().get("url").asText(), "application/json", body, v1);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    }

    @Test
    void theGraphClientStateIsRedactedInTheLoggedPayload() {
        JsonNode registration = register("microsoft_graph", List.of("*"), Map.of());
        String clientState = registration.get("secret").asText();
        byte[] body = ("{\"value\":[{\"subscriptionId\":\"sub-1\",\"clientState\":\"" + clientState + "\",\"changeType\":\"updated\","
                + "\"resource\":\"Users/u1/Contacts/c1\",\"resourceData\":{\"id\":\"c1\"}}]}").getBytes(StandardCharsets.UTF_8);
        Reply reply = WebhookTestSupport.post(registration.get("url").asText(), "application/json", body, Map.of());
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        String payload = jdbc.sql("""
                SELECT p.payload FROM webhook_delivery_payloads p JOIN webhook_deliveries d ON d.id = p.delivery_id
                WHERE d.registration_id = ?""").param(registration.get("id").asText()).query(String.class).single();
        assertThat(payload).doesNotContain(clientState).contains("\"clientState\":\"[redacted]\"", "Users/u1/Contacts/c1");
    }

    @Test
    void gitHubDeliveriesVerifyTheirHmacAndAnswerPing() throws Exception {
        JsonNode registration = register("github", List.of("note.*"), Map.of());
        String secret = registration.get("secret").asText();
        byte[] ping = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}".getBytes(StandardCharsets.UTF_8);
        Reply reply = WebhookTestSupport.post(registration.get("url").asText(), "application/json", ping, Map.of(
                "X-GitHub-Event", "ping", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", "sha256=" + hmacHex(secret, ping)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        Reply forged = WebhookTestSupport.post(registration.get("url").asText(), "application/json", ping, Map.of(
                "X-GitHub-Event", "ping", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", "sha256=" + hmacHex("not-the-secret", ping)));
        assertThat(forged.status()).isEqualTo(401);
        Reply unnamed = WebhookTestSupport.post(registration.get("url").asText(), "application/json", ping, Map.of(
                "X-GitHub-Event", "ping", "X-Hub-Signature-256", "sha256=" + hmacHex(secret, ping)));
        assertThat(unnamed.status()).as(unnamed.body()).isEqualTo(400);
        assertThat(unnamed.json().get("reason").asText()).contains("x-github-delivery");
    }

    @Test
    void handshakesAreAnsweredAsProvidersExpect() throws Exception {
        // Microsoft Graph: POST ?validationToken=... with no body, answered in text/plain with the decoded token
        JsonNode graph = register("microsoft_graph", List.of("*"), Map.of());
        Reply validation = WebhookTestSupport.post(graph.get("url").asText() + "?validationToken=Validation%3A%20Testing%20client%20application",
                null, new byte[0], Map.of());
        assertThat(validation.status()).isEqualTo(200);
        assertThat(validation.body()).isEqualTo("Validation: Testing client application");
        assertThat(validation.header("X-Content-Type-Options")).isEqualTo("nosniff");

        // Slack: a signed url_verification gets its challenge back
        HubClient.Response slackCreated = hub.call("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "slack", "events", List.of("note.*"), "secret", "8f742231b10e8888abcd99yyyzzz85a5"));
        assertThat(slackCreated.status()).as(slackCreated.raw()).isEqualTo(201);
        assertThat(slackCreated.body().has("secret")).as("a secret the user supplied is not echoed").isFalse();
        byte[] body = "{\"token\":\"t\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}"
                .getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(System.currentTimeMillis() / 1000);
        Reply challenge = WebhookTestSupport.post(slackCreated.body().get("url").asText(), "application/json", body, Map.of(
                "X-Slack-Request-Timestamp", ts,
                "X-Slack-Signature", "v0=" + hmacHex("8f742231b10e8888abcd99yyyzzz85a5", ("v0:" + ts + ":").getBytes(StandardCharsets.UTF_8), body)));
        assertThat(challenge.status()).isEqualTo(200);
        assertThat(challenge.body()).contains("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        assertThat(challenge.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(deliveries(slackCreated.body().get("id").asText(), null).get(0).get("verification").asText()).isEqualTo("handshake");

        // Zoom: a signed endpoint.url_validation gets its plainToken back with the encrypted token
        String zoomSecret = "zoom-secret-token-0123456789abcdef";
        HubClient.Response zoom = hub.call("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "zoom", "events", List.of("*"), "secret", zoomSecret));
        assertThat(zoom.status()).as(zoom.raw()).isEqualTo(201);
        byte[] validationBody = "{\"event\":\"endpoint.url_validation\",\"payload\":{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\"},\"event_ts\":1}"
                .getBytes(StandardCharsets.UTF_8);
        Reply zoomReply = WebhookTestSupport.post(zoom.body().get("url").asText(), "application/json", validationBody, Map.of(
                "x-zm-request-timestamp", ts,
                "x-zm-signature", "v0=" + hmacHex(zoomSecret, ("v0:" + ts + ":").getBytes(StandardCharsets.UTF_8), validationBody)));
        assertThat(zoomReply.status()).as(zoomReply.body()).isEqualTo(200);
        assertThat(zoomReply.json().get("plainToken").asText()).isEqualTo("qgg8vlvZRS6UYooatFL8Aw");
        assertThat(zoomReply.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void theRetentionPurgeRemovesOldDeliveries() {
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        WebhookTestSupport.standard(registration.get("url").asText(), registration.get("secret").asText(), "company.updated", "1");
        String regId = registration.get("id").asText();
        Awaitility.await().atMost(TIMEOUT).until(() -> deliveries(regId, "processed").size() == 1);
        jdbc.sql("UPDATE webhook_deliveries SET received_at = ? WHERE registration_id = ?")
                .params(store.Timestamps.now().minusDays(31), regId).update();
        assertThat(maintenance.purgeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(deliveries(regId, null)).isEmpty();
    }

    @Test
    void deliveryHistoryIsTenantScoped() {
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        WebhookTestSupport.standard(registration.get("url").asText(), registration.get("secret").asText(), "company.updated", "1");
        String other = hub.newTenantKey(ADMIN_KEY);
        assertThat(hub.ok("GET", "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText(), other, null).get("items"))
                .isEmpty();
        assertThat(hub.call("GET", "/api/tenant/integrations/" + integration + "/webhooks/" + registration.get("id").asText(), other, null)
                .status()).isEqualTo(404);
        assertThat(hub.call("GET", "/api/webhooks/deliveries?status=lost", key, null).status()).isEqualTo(400);
    }

    @Test
    void theEventsOfAcceptedDeliveriesAreReadBackPerIntegrationInTheirWindowWithTheThreadTheyBelongTo() throws Exception {
        String secret = "slack-signing-" + UUID.randomUUID();
        String url = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "slack", "events", List.of("note.*"), "secret", secret)).get("url").asText();
        String otherKey = hub.newTenantKey(ADMIN_KEY);
        String other = hub.connectedSalesforce(otherKey, "wh-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        String otherUrl = hub.ok("POST", "/api/tenant/integrations/" + other + "/webhooks", otherKey,
                Map.of("scheme", "slack", "events", List.of("note.*"), "secret", secret)).get("url").asText();
        Instant before = Instant.now().minusSeconds(1);

        assertThat(slackMessage(url, secret, "{\"channel\":\"C1\",\"ts\":\"2.0\",\"thread_ts\":\"1.0\",\"text\":\"a reply\"}").status())
                .isEqualTo(202);
        assertThat(slackMessage(url, secret, "{\"subtype\":\"message_deleted\",\"channel\":\"C1\",\"deleted_ts\":\"3.0\"}").status())
                .isEqualTo(202);
        assertThat(slackMessage(url, "not-the-secret", "{\"subtype\":\"message_deleted\",\"channel\":\"C1\",\"deleted_ts\":\"4.0\"}")
                .status()).as("a forgery announces nothing").isEqualTo(401);
        assertThat(slackMessage(otherUrl, secret, "{\"subtype\":\"message_deleted\",\"channel\":\"C1\",\"deleted_ts\":\"5.0\"}").status())
                .isEqualTo(202);

        List<AnnouncedChanges.Announced> read = announcements.between(integration, before, Instant.now().plusSeconds(1));
        assertThat(read).extracting(a -> a.event().type() + " " + a.event().externalId() + " " + a.event().parentId())
                .containsExactly("note.created C1:2.0 C1:1.0", "note.deleted C1:3.0 null");
        assertThat(read.get(0).receivedAt()).isAfter(before).isBeforeOrEqualTo(read.get(1).receivedAt());
        assertThat(announcements.between(other, before, Instant.now().plusSeconds(1))).extracting(a -> a.event().externalId())
                .containsExactly("C1:5.0");
        assertThat(announcements.between(integration, Instant.now().plusSeconds(1), Instant.now().plusSeconds(2))).isEmpty();
    }

    /** A Slack Events API message event signed with {@code secret}. */
    private static Reply slackMessage(String url, String secret, String event) throws Exception {
        String eventJson = event.substring(0, event.length() - 1) + ",\"type\":\"message\"}";
        byte[] body = ("{\"type\":\"event_callback\",\"team_id\":\"T1\",\"event_id\":\"Ev" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"event\":" + eventJson + "}").getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(System.currentTimeMillis() / 1000);
        return WebhookTestSupport.post(url, "application/json", body, Map.of("X-Slack-Request-Timestamp", ts,
                "X-Slack-Signature", "v0=" + hmacHex(secret, ("v0:" + ts + ":").getBytes(StandardCharsets.UTF_8), body)));
    }

    private JsonNode register(String scheme, List<String> events, Map<String, String> settings) {
        HubClient.Response response = hub.call("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", scheme, "events", events, "settings", settings));
        assertThat(response.status()).as(response.raw()).isEqualTo(201);
        return response.body();
    }

    private List<JsonNode> deliveries(String registrationId, String status) {
        JsonNode page = hub.ok("GET", "/api/webhooks/deliveries?limit=1000&registrationId=" + registrationId
                + (status == null ? "" : "&status=" + status), key, null);
        List<JsonNode> items = new java.util.ArrayList<>();
        page.get("items").forEach(items::add);
        return items;
    }

    private List<JsonNode> webhookExecutions() {
        List<JsonNode> items = new java.util.ArrayList<>();
        hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions?limit=500", key, null).get("items").forEach(e -> {
            if ("webhook".equals(e.get("trigger").asText())) {
                items.add(e);
            }
        });
        return items;
    }

    /** A Standard Webhooks delivery signed with the registration's secret whose body is not JSON. */
    private static Reply signedUnreadable(String url, String secret) {
        byte[] body = "{not json".getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis() / 1000;
        String id = "msg_" + UUID.randomUUID();
        return WebhookTestSupport.post(url, "application/json", body, Map.of("webhook-id", id, "webhook-timestamp", Long.toString(ts),
                "webhook-signature", providers.webhooks.StandardWebhooks.sign(secret, id, ts, body)));
    }

    private double rejectedCount(String scheme, String reason) {
        Counter counter = meters.find(DeliveryLog.REJECTED).tags("scheme", scheme, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String sha256Hex(String secret, byte[] body) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            digest.update(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertField(HubClient.Response response, String field) {
        assertThat(response.status()).as(response.raw()).isEqualTo(400);
        assertThat(response.body().get("field").asText()).as(response.raw()).isEqualTo(field);
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        return hmacHex(secret, new byte[0], body);
    }

    private static String hmacHex(String secret, byte[] prefix, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(prefix);
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
