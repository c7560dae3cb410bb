package sandbox.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import security.SandboxTrust;
import security.TokenExchange;
import sandbox.kit.SandboxTlsPort;

/**
 * The Graph sandbox in the hub, over the sandbox TLS port as Microsoft's clients reach it: Entra's token endpoint and
 * Graph's {@code /v1.0} at the port's root (links keep that form), and a subscription whose notification URL is the
 * hub's own Graph registration on the TLS port: the sandbox's handshake and notifications reach the hub's receiver.
 */
class GraphSandboxOverTlsTest extends EmbeddedHubTest {

    @Autowired
    private SandboxTlsPort tlsPort;
    @Autowired
    private SandboxTrust sandboxTrust;
    @Autowired
    private TokenExchange tokenExchange;

    @Test
    void theHubsTokenRequestsReachEntrasSandboxOverTheTlsPort() throws Exception {
        TokenExchange.Answer answer = tokenExchange.send("https://localhost:" + tlsPort.localPort()
                + "/sandbox/entra/sandbox-tenant/oauth2/v2.0/token", Map.of("grant_type", "client_credentials", "client_id", "sandbox-client",
                "client_secret", "sandbox-secret", "scope", "https://graph.microsoft.com/.default"));
        assertThat(answer.ok()).as(answer.body().toString()).isTrue();
    }

    @Test
    void entraAndGraphAnswerAtTheTlsRootAndNotificationsReachTheHubsReceiver() throws Exception {
        HttpClient https = sandboxTrust.httpClient().build();
        String origin = "https://localhost:" + tlsPort.localPort();
        HttpResponse<String> issued = https.send(HttpRequest.newBuilder(URI.create(origin + "/sandbox/entra/sandbox-tenant/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=sandbox-client"
                        + "&client_secret=sandbox-secret&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String token = HubClient.JSON.readTree(issued.body()).get("access_token").asText();

        JsonNode team = json(https, "POST", origin + "/sandbox/graph/setup/teams", token,
                Map.of("displayName", "TLS " + UUID.randomUUID().toString().substring(0, 8), "messages", 6), 201);
        String teamId = team.get("id").asText();
        String channelId = team.get("channels").get(0).get("id").asText();
        JsonNode page = json(https, "GET", origin + "/v1.0/teams/" + teamId + "/channels/" + channelId + "/messages/delta?$top=4",
                token, null, 200);
        assertThat(page.get("value")).hasSize(4);
        assertThat(page.get("@odata.nextLink").asText()).startsWith(origin + "/v1.0/teams/" + teamId + "/channels/");
        JsonNode last = json(https, "GET", page.get("@odata.nextLink").asText(), token, null, 200);
        assertThat(last.get("value")).hasSize(2);
        assertThat(last.get("@odata.deltaLink").asText()).startsWith(origin + "/v1.0/");

        // the hub's Graph registration: its https URL on this port is the subscription's notification URL
        String key = hub().newTenantKey(ADMIN_KEY);
        String integration = hub().connectedSalesforce(key, "graph-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        HubClient.Response registration = hub().call("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "microsoft_graph", "events", List.of("*")));
        assertThat(registration.status()).as(registration.raw()).isEqualTo(201);
        String receiver = registration.body().get("url").asText();
        String registrationId = registration.body().get("id").asText();
        assertThat(receiver).startsWith(origin + "/webhooks/");
        JsonNode subscription = json(https, "POST", origin + "/v1.0/subscriptions", token, Map.of(
                "changeType", "created,updated", "notificationUrl", receiver, "resource",
                "/teams/" + teamId + "/channels/" + channelId + "/messages",
                "expirationDateTime", Instant.now().plus(Duration.ofMinutes(30)).toString(),
                "clientState", registration.body().get("secret").asText()), 201);
        assertThat(subscription.get("notificationUrl").asText()).isEqualTo(receiver);

        json(https, "POST", origin + "/sandbox/graph/setup/teams/" + teamId + "/channels/" + channelId + "/messages", token,
                Map.of("content", "Notified through TLS"), 201);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode deliveries = hub().ok("GET", "/api/webhooks/deliveries?limit=100&registrationId=" + registrationId, key, null);
            for (JsonNode d : deliveries.get("items")) {
                if ("verified".equals(d.path("verification").asText())) {
                    return true;
                }
            }
            return false;
        });
    }

    private static JsonNode json(HttpClient client, String method, String url, String token, Object body, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofByteArray(HubClient.JSON.writeValueAsBytes(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + url + ": " + response.body()).isEqualTo(status);
        return HubClient.JSON.readTree(response.body());
    }
}
