package webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import webhooks.WebhookTestSupport.Reply;

/** The receiver over HTTP: registrations, verification, durable accept, dedupe, refusals, health, events to syncs. */
class WebhookReceiverTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    JdbcClient jdbc;
    @Autowired
    WebhookMaintenance maintenance;

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
        Reply first = WebhookTestSupport.standard(url, secret, "msg_dup_1", now, "company.updated", "001x");
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        Reply again = WebhookTestSupport.standard(url, secret, "msg_dup_1", now, "company.updated", "001x");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("duplicate");

        String regId = registration.get("id").asText();
        Awaitility.await().atMost(TIMEOUT).until(() -> deliveries(regId, "processed").size() == 1);
        JsonNode processed = deliveries(regId, "processed").get(0);
        assertThat(processed.at("/events/0/type").asText()).isEqualTo("company.updated");
        assertThat(processed.get("outcome").asText()).contains("Account");
        assertThat(processed.get("latencyMs").asLong()).isGreaterThanOrEqualTo(0);
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
    void aBurstOfChangesToOneEntityCoalescesIntoFewSyncs() throws Exception {
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        int changes = 200;
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<Integer>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < changes; i++) {
            String recordId = "id" + i;
            sent.add(senders.submit(() -> WebhookTestSupport.standard(registration.get("url").asText(),
                    registration.get("secret").asText(), "company.updated", recordId).status()));
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
        assertThat(webhookExecutions().size()).as("syncs for " + changes + " changes").isBetween(1, changes / 10);
    }

    @Test
    void forgedStaleAndIncompleteDeliveriesAreRefusedAndLogged() {
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        String url = registration.get("url").asText();
        String secret = registration.get("secret").asText();
        String wrong = processors.webhooks.StandardWebhooks.newSecret();
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
                "webhook-signature", processors.webhooks.StandardWebhooks.sign(registration.get("secret").asText(), "msg_bad", ts, body)));
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
                "webhook-signature", processors.webhooks.StandardWebhooks.sign(registration.get("secret").asText(), "msg_camel", ts, body)));
        headers.put("CamelHttpResponseCode", "500");
        headers.put("CamelJmsDestinationName", "sync-deadletter");
        Reply reply = WebhookTestSupport.post(registration.get("url").asText(), "application/json", body, headers);
        assertThat(reply.status()).isEqualTo(202);
        Awaitility.await().atMost(TIMEOUT).until(() -> deliveries(registration.get("id").asText(), "processed").size() == 1);
    }

    @Test
    void consecutiveFailuresMoveARegistrationToFailingThenDisabledAndSuccessBringsItBack() {
        JsonNode registration = register("standard_webhooks", List.of("*"), Map.of());
        String url = registration.get("url").asText();
        String health = "/api/tenant/integrations/" + integration + "/webhooks/" + registration.get("id").asText() + "/health";
        String wrong = processors.webhooks.StandardWebhooks.newSecret();
        for (int i = 0; i < 3; i++) {
            WebhookTestSupport.standard(url, wrong, "company.updated", "1");
        }
        assertThat(hub.ok("GET", health, key, null).get("status").asText()).isEqualTo("failing");
        for (int i = 0; i < 7; i++) {
            WebhookTestSupport.standard(url, wrong, "company.updated", "1");
        }
        JsonNode disabled = hub.ok("GET", health, key, null);
        assertThat(disabled.get("status").asText()).isEqualTo("disabled");
        assertThat(disabled.get("consecutiveFailures").asInt()).isEqualTo(10);
        assertThat(WebhookTestSupport.standard(url, registration.get("secret").asText(), "company.updated", "1").status()).isEqualTo(202);
        JsonNode active = hub.ok("GET", health, key, null);
        assertThat(active.get("status").asText()).isEqualTo("active");
        assertThat(active.get("consecutiveFailures").asInt()).isZero();
        assertThat(active.get("totalFailures").asLong()).isEqualTo(10);
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
    }

    @Test
    void handshakesAreAnsweredAsProvidersExpect() throws Exception {
        // Microsoft Graph: POST ?validationToken=... with no body, answered in text/plain with the decoded token
        JsonNode graph = register("microsoft_graph", List.of("*"), Map.of());
        Reply validation = WebhookTestSupport.post(graph.get("url").asText() + "?validationToken=Validation%3A%20Testing%20client%20application",
                null, new byte[0], Map.of());
        assertThat(validation.status()).isEqualTo(200);
        assertThat(validation.body()).isEqualTo("Validation: Testing client application");

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
        assertThat(deliveries(slackCreated.body().get("id").asText(), null).get(0).get("verification").asText()).isEqualTo("handshake");
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
