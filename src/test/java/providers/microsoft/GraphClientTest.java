package providers.microsoft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import providers.ConnectionContext;
import providers.WebhookSubscription;
import sandbox.kit.SandboxTlsPort;
import security.SandboxTrust;

/**
 * The Graph client against the hub's Graph sandbox over its TLS port, as the Teams and OneDrive adapters use it: an
 * app-only token from Entra's sandbox, collections followed through their links, a token the sandbox expired taken
 * again, a stale delta link answered 410 with where to start over, and a registration's subscriptions made, extended,
 * re-made when Graph dropped one (changes were missed) and deleted.
 */
class GraphClientTest extends EmbeddedHubTest {

    @Autowired
    private GraphClient graph;
    @Autowired
    private SandboxTlsPort tlsPort;
    @Autowired
    private SandboxTrust trust;

    private String origin;
    private ConnectionContext connection;

    @BeforeEach
    void connect() {
        origin = "https://localhost:" + tlsPort.localPort();
        connection = new ConnectionContext("tenant-graph", "graph-" + UUID.randomUUID(), "graph-test", graph.normalizeCredentials(Map.of(
                "authority", origin + "/sandbox/entra/sandbox-tenant", "clientId", "sandbox-client", "clientSecret", "sandbox-secret",
                "graphUrl", origin + "/v1.0/")));
    }

    @Test
    void readsCollectionsThroughTheirLinksAndTakesANewTokenWhenTheOldOneExpired() throws Exception {
        JsonNode team = setup("POST", "/sandbox/graph/setup/teams", Map.of("displayName", "Client " + UUID.randomUUID(), "messages", 7));
        String messages = "teams/" + team.get("id").asText() + "/channels/" + team.get("channels").get(0).get("id").asText() + "/messages/delta?$top=3";

        JsonNode first = graph.get(connection, messages);
        assertThat(first.get("value")).hasSize(3);
        setup("POST", "/sandbox/graph/setup/access-tokens/expire", null);
        List<JsonNode> all = graph.list(connection, messages);
        assertThat(all).hasSize(7);
        assertThat(graph.test(connection, "teams", "with its teams").ok()).isTrue();
    }

    @Test
    void aStaleDeltaLinkIsAResyncWithWhereToStartOver() throws Exception {
        JsonNode drives = graph.get(connection, "drives");
        String driveId = drives.get("value").get(0).get("id").asText();
        JsonNode latest = graph.get(connection, "drives/" + driveId + "/root/delta?token=latest");
        String deltaLink = latest.get("@odata.deltaLink").asText();
        setup("POST", "/sandbox/graph/setup/drives/" + driveId + "/resync", null);

        assertThatThrownBy(() -> graph.get(connection, deltaLink)).isInstanceOfSatisfying(GraphResyncRequiredException.class, e -> {
            assertThat(e.status()).isEqualTo(410);
            assertThat(e.location()).startsWith(origin + "/v1.0/drives/" + driveId + "/root/delta");
        });
        assertThatThrownBy(() -> graph.get(connection, "https://graph.example.net/v1.0/drives"))
                .hasMessageContaining("another host");
        assertThatThrownBy(() -> graph.get(connection, "drives/no-such-drive")).isInstanceOf(GraphNotFoundException.class)
                .hasMessageContaining("404");
    }

    @Test
    void keepsARegistrationsSubscriptionsAliveAndMakesAgainTheOneGraphDropped() throws Exception {
        JsonNode team = setup("POST", "/sandbox/graph/setup/teams", Map.of("displayName", "Subscribed " + UUID.randomUUID(), "channels", 2, "messages", 1));
        List<String> resources = team.get("channels").findValuesAsText("id").stream()
                .map(c -> "/teams/" + team.get("id").asText() + "/channels/" + c + "/messages").toList();
        String key = hub().newTenantKey(ADMIN_KEY);
        String integration = hub().connectedSalesforce(key, "graph-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        HubClient.Response registration = hub().call("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "microsoft_graph", "events", List.of("*")));
        assertThat(registration.status()).as(registration.raw()).isEqualTo(201);
        String url = registration.body().get("url").asText();
        String secret = registration.body().get("secret").asText();

        WebhookSubscription made = graph.subscribe(connection, resources, "created,updated,deleted", url, secret, Duration.ofMinutes(30));
        List<String> ids = List.of(made.providerWebhookId().split(" "));
        assertThat(ids).hasSize(resources.size());
        assertThat(made.expiresAt()).isNotNull();

        WebhookSubscription renewed = graph.renew(connection, made.providerWebhookId(), resources, "created,updated,deleted", url, secret,
                Duration.ofMinutes(60));
        assertThat(renewed.providerWebhookId()).isEqualTo(made.providerWebhookId());
        assertThat(renewed.missedChanges()).isFalse();
        assertThat(renewed.expiresAt()).isAfter(made.expiresAt());

        graph.send(connection, "DELETE", "subscriptions/" + ids.get(0), null);
        WebhookSubscription remade = graph.renew(connection, renewed.providerWebhookId(), resources, "created,updated,deleted", url, secret,
                Duration.ofMinutes(60));
        assertThat(remade.missedChanges()).isTrue();
        assertThat(remade.providerWebhookId()).doesNotContain(ids.get(0)).contains(ids.get(1));

        WebhookSubscription fewer = graph.renew(connection, remade.providerWebhookId(), resources.subList(1, resources.size()),
                "created,updated,deleted", url, secret, Duration.ofMinutes(60));
        assertThat(fewer.providerWebhookId()).isEqualTo(ids.get(1));
        graph.unsubscribe(connection, fewer.providerWebhookId());
        assertThat(graph.list(connection, "subscriptions")).noneMatch(s -> url.equals(s.path("notificationUrl").asText()));
    }

    private JsonNode setup(String method, String path, Object body) throws Exception {
        HttpClient https = trust.httpClient().build();
        String token = graphToken(https);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path)).header("Authorization", "Bearer " + token);
        request.header("Content-Type", "application/json").method(method,
                HttpRequest.BodyPublishers.ofByteArray(HubClient.JSON.writeValueAsBytes(body == null ? Map.of() : body)));
        HttpResponse<String> response = https.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        return response.body().isEmpty() ? null : HubClient.JSON.readTree(response.body());
    }

    private String graphToken(HttpClient https) throws Exception {
        HttpResponse<String> issued = https.send(HttpRequest.newBuilder(URI.create(origin + "/sandbox/entra/sandbox-tenant/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=sandbox-client"
                        + "&client_secret=sandbox-secret&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default")).build(),
                HttpResponse.BodyHandlers.ofString());
        return HubClient.JSON.readTree(issued.body()).get("access_token").asText();
    }
}
