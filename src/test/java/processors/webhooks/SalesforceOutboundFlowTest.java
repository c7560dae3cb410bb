package processors.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * Push without polling, end to end: a record edited in the Salesforce sandbox goes out as a SOAP
 * Outbound Message to the hub's receiver, which acknowledges it, and the shard follows.
 */
class SalesforceOutboundFlowTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aChangeMadeInSalesforceReachesTheShardWithoutAPoll() throws Exception {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = "om-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.connectedSalesforce(key, org, Map.of());
        hub.runAndWait(key, integration, hub.task(key, integration, "Account", "full"), TIMEOUT);

        JsonNode login = sandboxLogin(hub, org);
        String token = login.get("access_token").asText();
        String idUrl = login.get("id").asText();
        String organizationId = idUrl.split("/")[idUrl.split("/").length - 2];
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key, Map.of(
                "scheme", "salesforce_outbound", "events", List.of("company.*"), "settings", Map.of("organizationId", organizationId)));
        HubClient.Response outbound = hub.call("POST", hub.sandboxUrl() + "/setup/outbound-messages", token, Map.of(
                "name", "Castiel hub", "object", "Account", "endpointUrl", registration.get("url").asText(), "fields", List.of("Id", "Name")));
        assertThat(outbound.status()).as(outbound.raw()).isEqualTo(201);

        String accountId = hub.sandboxRecords(token, "Account", "Id", 1).get(0).get("Id").asText();
        assertThat(hub.sandbox("PATCH", token, "/sobjects/Account/" + accountId, Map.of("Name", "Pushed Without Polling")).status())
                .isEqualTo(204);

        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> hub.allShards(key, "c_company").stream()
                .anyMatch(s -> s.at("/structuredData/name").asText().equals("Pushed Without Polling")));
        JsonNode delivery = hub.ok("GET", "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText(), key, null)
                .get("items").get(0);
        assertThat(delivery.get("status").asText()).isEqualTo("processed");
        assertThat(delivery.at("/events/0/type").asText()).isEqualTo("company.updated");
        assertThat(delivery.at("/events/0/externalId").asText()).isEqualTo(accountId);
        // Salesforce got its SOAP Ack: nothing is left to redeliver
        JsonNode deliveries = hub.ok("GET", hub.sandboxUrl() + "/setup/outbound-messages/" + outbound.body().get("id").asText()
                + "/deliveries", token, null);
        assertThat(deliveries.get("deliveredCount").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(deliveries.get("pendingCount").asInt()).isZero();
    }

    private static JsonNode sandboxLogin(HubClient hub, String org) throws Exception {
        String form = "grant_type=password&client_id=sandbox-client&client_secret=sandbox-secret&username="
                + URLEncoder.encode(HubClient.sandboxUser(org), StandardCharsets.UTF_8) + "&password=sandbox";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.sandboxUrl()
                + "/services/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return HubClient.JSON.readTree(response.body());
    }
}
