package sandbox.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.env.MockEnvironment;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * The sandbox port serves the routed sandboxes at the host's root and nothing else: the shared test context routes
 * {@code /services/} there to the Salesforce sandbox ({@code hub.sandbox.port=0}, a free port).
 */
class SandboxPortTest extends EmbeddedHubTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    private SandboxPort sandboxPort;

    @Test
    void aSalesforceClientGivenOnlyTheOriginOfTheSandboxPortSignsInAndQueries() {
        assertThat(sandboxPort.localPort()).isPositive().isNotEqualTo(port);
        String org = "port-" + UUID.randomUUID().toString().substring(0, 8);
        String origin = "http://127.0.0.1:" + sandboxPort.localPort();
        HubClient.Response token = form(origin + "/services/oauth2/token", "grant_type=password&client_id=sandbox-client"
                + "&client_secret=sandbox-secret&username=" + URLEncoder.encode(HubClient.sandboxUser(org), StandardCharsets.UTF_8)
                + "&password=sandbox");
        assertThat(token.status()).as(token.raw()).isEqualTo(200);
        String accessToken = token.body().get("access_token").asText();

        String query = "/services/data/v59.0/query?q=" + URLEncoder.encode("SELECT Id, Name FROM Account ORDER BY Id LIMIT 3",
                StandardCharsets.UTF_8);
        HubClient.Response atRoot = hub().call("GET", origin + query, accessToken, null);
        HubClient.Response underSandbox = hub().call("GET", hub().sandboxUrl() + query, accessToken, null);
        assertThat(atRoot.status()).as(atRoot.raw()).isEqualTo(200);
        assertThat(atRoot.body().get("records")).hasSize(3);
        assertThat(atRoot.body()).isEqualTo(underSandbox.body());
        // the sandbox's own answers pass through too
        assertThat(hub().call("GET", origin + "/services/data/v59.0/sobjects/Account/001000000000000AAA", accessToken, null).status())
                .isEqualTo(404);
        assertThat(hub().call("GET", origin + query, null, null).status()).isEqualTo(401);
    }

    @Test
    void theApiTheActuatorTheConsoleAndUnroutedPathsAre404OnTheSandboxPort() {
        String origin = "http://127.0.0.1:" + sandboxPort.localPort();
        String key = hub().newTenantKey(ADMIN_KEY);
        assertThat(hub().call("GET", "/api/tenant/integrations", key, null).status()).isEqualTo(200);
        assertThat(hub().call("GET", "/actuator/health", null, null).status()).isEqualTo(200);

        for (String path : new String[] {"/api/tenant/integrations", "/actuator/health", "/actuator/hawtio", "/api/openapi", "/",
                "/sandbox/salesforce/services/oauth2/token", "/webhooks/x", "/error", "/servicesx", "/services/../api/tenant/integrations",
                "/services/%2e%2e/api/tenant/integrations"}) {
            assertThat(hub().call("GET", origin + path, key, null).status()).as(path).isIn(400, 404);
        }
        assertThat(hub().call("GET", origin + "/api/tenant/integrations", key, null).status()).isEqualTo(404);
        assertThat(hub().call("GET", origin + "/actuator/health", null, null).status()).isEqualTo(404);
        // behind a proxy every caller would look local
        assertThat(send(HttpRequest.newBuilder(URI.create(origin + "/services/oauth2/token")).header("X-Forwarded-For", "203.0.113.7")
                .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(404);
        // the main port does not serve sandboxes at the root
        assertThat(hub().call("GET", "/services/data/v59.0/query?q=x", null, null).status()).isEqualTo(404);
    }

    @Test
    void routesGoToTheLongestPrefixAndOnlyToSandboxes() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("hub.sandbox.port-routes[/api/v3]", "/sandbox/github/api/v3")
                .withProperty("hub.sandbox.port-routes[/api/v3/uploads]", "/sandbox/github/uploads")
                .withProperty("hub.sandbox.port-routes[/drive/v3/]", "/sandbox/google/drive/v3/");
        SandboxPort routes = new SandboxPort(0, environment);

        assertThat(routes.sandboxPath("/api/v3")).contains("/sandbox/github/api/v3");
        assertThat(routes.sandboxPath("/api/v3/repos/o/r/issues")).contains("/sandbox/github/api/v3/repos/o/r/issues");
        assertThat(routes.sandboxPath("/api/v3/uploads/x")).contains("/sandbox/github/uploads/x");
        assertThat(routes.sandboxPath("/drive/v3/files")).contains("/sandbox/google/drive/v3/files");
        assertThat(routes.sandboxPath("/api/v30")).isEmpty();
        assertThat(routes.sandboxPath("/drive/v3")).isEmpty();
        assertThat(routes.sandboxPath("/api/tenant")).isEmpty();

        assertThatThrownBy(() -> new SandboxPort(0, new MockEnvironment().withProperty("hub.sandbox.port-routes[/x]", "/api/tenant")))
                .hasMessageContaining("not under /sandbox/");
        assertThatThrownBy(() -> new SandboxPort(0, new MockEnvironment().withProperty("hub.sandbox.port-routes[/x]",
                "/sandbox/../api"))).hasMessageContaining("not under /sandbox/");
        assertThatThrownBy(() -> new SandboxPort(70_000, new MockEnvironment())).hasMessageContaining("hub.sandbox.port");
    }

    private static HubClient.Response form(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HubClient.Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String raw = response.body();
            return new HubClient.Response(response.statusCode(), raw.isBlank() || !raw.strip().startsWith("{") ? null
                    : HubClient.JSON.readTree(raw), raw);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
