package processors.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubSpotPortal;

/**
 * Push from HubSpot, end to end: the HubSpot sandbox's app sends its webhooks (v3-signed with the app's client secret,
 * several events per delivery) to the hub's receiver, which verifies them and turns the touched entities into
 * incremental syncs; the shards follow, deletions included. A forged delivery is refused and starts nothing.
 */
class HubSpotWebhookFlowTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String APP_SECRET = "hubspot-app-client-secret-for-tests";

    @Test
    void changesMadeInHubSpotReachTheShardsThroughItsWebhooks() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        HubSpotPortal portal = new HubSpotPortal(hub, "wh");
        String integration = portal.connect(key, Map.of());
        hub.runAndWait(key, integration, hub.task(key, integration, "companies", "full"), TIMEOUT);
        hub.runAndWait(key, integration, hub.task(key, integration, "contacts", "full"), TIMEOUT);

        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key, Map.of(
                "scheme", "hubspot", "events", List.of("company.*", "contact.*"), "secret", APP_SECRET));
        assertThat(registration.get("providerRegistration").asText()).startsWith("manual: HubSpot webhook subscriptions are set in the app's");
        portal.ok("PUT", "/setup/webhooks", Map.of("targetUrl", registration.get("url").asText(), "clientSecret", APP_SECRET,
                "subscriptions", List.of(Map.of("eventType", "company.propertyChange"), Map.of("eventType", "company.deletion"),
                        Map.of("eventType", "contact.propertyChange"))));

        List<JsonNode> companies = portal.records("companies", List.of("name"), 3);
        String contactId = portal.records("contacts", List.of("email"), 1).get(0).get("id").asText();
        long executionsBefore = executions(hub, key, integration).size();

        // one burst of changes: HubSpot batches them into deliveries of several events
        portal.update("companies", companies.get(0).get("id").asText(), Map.of("name", "Pushed Company"));
        portal.update("companies", companies.get(1).get("id").asText(), Map.of("phone", "+1 555 0199"));
        portal.update("contacts", contactId, Map.of("jobtitle", "Pushed Title"));
        portal.archive("companies", companies.get(2).get("id").asText());

        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, JsonNode> byId = HubSpotPortal.shardsByExternalId(hub, key, "c_company");
            return byId.get(companies.get(0).get("id").asText()).at("/structuredData/name").asText().equals("Pushed Company")
                    && byId.get(companies.get(1).get("id").asText()).at("/structuredData/phone").asText().equals("+1 555 0199")
                    && byId.get(companies.get(2).get("id").asText()).get("deleted").asBoolean();
        });
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> HubSpotPortal
                .shardsByExternalId(hub, key, "c_contact").get(contactId).at("/structuredData/title").asText().equals("Pushed Title"));

        List<JsonNode> deliveries = deliveries(hub, key, registration.get("id").asText());
        assertThat(deliveries).isNotEmpty().allSatisfy(d -> assertThat(d.get("status").asText()).isEqualTo("processed"));
        List<String> events = new ArrayList<>();
        deliveries.forEach(d -> d.get("events").forEach(e -> events.add(e.get("type").asText() + " " + e.get("externalId").asText())));
        assertThat(events).contains("company.updated " + companies.get(0).get("id").asText(), "contact.updated " + contactId,
                "company.deleted " + companies.get(2).get("id").asText());
        assertThat(deliveries.stream().mapToInt(d -> d.get("events").size()).max().orElse(0)).as("several events in one delivery")
                .isGreaterThan(1);
        // the pushes became incremental runs of the two entities, coalesced rather than one per event
        List<JsonNode> runs = executions(hub, key, integration);
        assertThat(runs.size() - executionsBefore).isBetween(2L, 4L);
        assertThat(runs).filteredOn(r -> "webhook".equals(r.path("trigger").asText())).isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("mode").asText()).isEqualTo("incremental"));
    }

    @Test
    void aForgedDeliveryIsRefusedWith401AndStartsNothing() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        HubSpotPortal portal = new HubSpotPortal(hub, "wh-forged");
        String integration = portal.connect(key, Map.of());
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key, Map.of(
                "scheme", "hubspot", "events", List.of("company.*"), "secret", APP_SECRET));
        String url = registration.get("url").asText();
        byte[] body = ("[{\"eventId\":101,\"subscriptionId\":1,\"portalId\":1,\"appId\":1,\"occurredAt\":" + System.currentTimeMillis()
                + ",\"subscriptionType\":\"company.propertyChange\",\"attemptNumber\":0,\"objectId\":123,\"propertyName\":\"name\","
                + "\"propertyValue\":\"Forged\"}]").getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(System.currentTimeMillis());

        WebhookTestSupport.Reply forged = WebhookTestSupport.post(url, "application/json", body, Map.of(
                "X-HubSpot-Signature-v3", sign("not-the-app-secret-at-all", url, body, timestamp),
                "X-HubSpot-Request-Timestamp", timestamp));
        WebhookTestSupport.Reply unsigned = WebhookTestSupport.post(url, "application/json", body, Map.of());
        WebhookTestSupport.Reply genuine = WebhookTestSupport.post(url, "application/json", body, Map.of(
                "X-HubSpot-Signature-v3", sign(APP_SECRET, url, body, timestamp), "X-HubSpot-Request-Timestamp", timestamp));

        assertThat(forged.status()).isEqualTo(401);
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(genuine.status()).as(genuine.body()).isEqualTo(202);
        // only the genuine delivery was taken in and only it queued a run
        List<JsonNode> taken = deliveries(hub, key, registration.get("id").asText()).stream()
                .filter(d -> !"rejected".equals(d.get("status").asText())).toList();
        assertThat(taken).hasSize(1);
        Awaitility.await().atMost(TIMEOUT).until(() -> !executions(hub, key, integration).isEmpty());
        assertThat(executions(hub, key, integration)).hasSize(1);
    }

    /** HubSpot's v3 signature: base64 HMAC-SHA256 with the app secret of method, URL, body and timestamp. */
    private static String sign(String secret, String url, byte[] body, String timestamp) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("POST" + url).getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> deliveries(HubClient hub, String key, String registrationId) {
        List<JsonNode> items = new ArrayList<>();
        hub.ok("GET", "/api/webhooks/deliveries?limit=100&registrationId=" + registrationId, key, null).get("items").forEach(items::add);
        return items;
    }

    private static List<JsonNode> executions(HubClient hub, String key, String integration) {
        List<JsonNode> items = new ArrayList<>();
        hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions?limit=100", key, null).get("items").forEach(items::add);
        return items;
    }
}
