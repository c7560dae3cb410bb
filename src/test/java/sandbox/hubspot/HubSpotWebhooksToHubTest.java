package sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hub.EmbeddedHubTest;
import hub.HubClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's webhooks reach the hub's own receiver: a HubSpot registration with the app's secret verifies the
 * signed, batched deliveries and reads their events.
 */
class HubSpotWebhooksToHubTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void deliveriesPassTheHubsHubSpotVerifier() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String name = "wh-" + UUID.randomUUID().toString().substring(0, 8);
        // any integration can own a registration of the HubSpot scheme; the Salesforce sandbox's is at hand
        String integration = hub.connectedSalesforce(key, name, Map.of());
        // the hub takes secrets of 16 characters or more, so the sandbox app signs with one of its own
        String secret = "hubspot-app-secret-" + UUID.randomUUID();
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key, Map.of(
                "scheme", "hubspot", "events", List.of("company.*"), "secret", secret));
        String sandbox = hub.baseUrl() + "/sandbox/hubspot";
        String token = "pat-sandbox-" + name;
        JsonNode app = hub.ok("PUT", sandbox + "/setup/webhooks", token, Map.of(
                "targetUrl", registration.get("url").asText(), "clientSecret", secret,
                "subscriptions", List.of(Map.of("eventType", "company.propertyChange", "propertyName", "name"),
                        Map.of("eventType", "company.deletion"))));
        assertThat(app.get("signedWith").asText()).isEqualTo("clientSecret");

        JsonNode companies = hub.ok("GET", sandbox + "/crm/v3/objects/companies?limit=2", token, null);
        String renamed = companies.at("/results/0/id").asText();
        String archived = companies.at("/results/1/id").asText();
        hub.ok("PATCH", sandbox + "/crm/v3/objects/companies/" + renamed, token,
                Map.of("properties", Map.of("name", "Pushed From HubSpot")));
        assertThat(hub.call("DELETE", sandbox + "/crm/v3/objects/companies/" + archived, token, null).status()).isEqualTo(204);

        String deliveries = "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText();
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() ->
                hub.ok("GET", deliveries, key, null).get("items").size() >= 1
                        && hub.ok("GET", sandbox + "/setup/webhooks", token, null).get("deliveredEvents").asInt() == 2);
        JsonNode items = hub.ok("GET", deliveries, key, null).get("items");
        assertThat(items).allSatisfy(d -> assertThat(d.get("verification").asText()).isEqualTo("verified"));
        List<String> events = new java.util.ArrayList<>();
        items.forEach(d -> d.get("events").forEach(e -> events.add(e.get("type").asText() + " " + e.get("externalId").asText())));
        assertThat(events).containsExactlyInAnyOrder("company.updated " + renamed, "company.deleted " + archived);
        JsonNode status = hub.ok("GET", sandbox + "/setup/webhooks", token, null);
        assertThat(status.get("failedRequests").asInt()).isZero();
        assertThat(status.get("lastStatusCode").asInt()).isBetween(200, 299);
    }
}
