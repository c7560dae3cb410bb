package security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;
import store.Timestamps;

/**
 * Tenants cannot make the hub call internal addresses: connect refuses such URLs naming the field,
 * and what a provider's answer points to (the instance URL of a login answer, a redirect) is refused
 * when the hub connects. Everything a test reaches is on loopback; internal addresses elsewhere are
 * only ever refused, never connected to. A "trap" is a listening socket the hub must never reach.
 */
class OutboundGuardTest extends EmbeddedHubTest {

    @Autowired
    OutboundGuard guard;
    @Autowired
    TokenLifecycle tokens;

    private HubClient hub;
    private String key;
    private ServerSocket trap;
    private HttpServer provider;
    private OutboundGuard.Allowance providerAllowed;

    @BeforeEach
    void setUp() throws IOException {
        hub = hub();
        key = hub.newTenantKey(ADMIN_KEY);
        trap = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void tearDown() throws IOException {
        trap.close();
        if (providerAllowed != null) {
            providerAllowed.close();
        }
        if (provider != null) {
            provider.stop(0);
        }
    }

    @Test
    void connectRefusesLoopbackPrivateAndMetadataUrlsNamingTheFieldAndReachesNothing() throws IOException {
        String integration = salesforceIntegration();
        for (String url : List.of("http://127.0.0.1:" + trap.getLocalPort() + "/", "http://localhost:" + trap.getLocalPort(),
                "http://[::ffff:127.0.0.1]:" + trap.getLocalPort(), "http://2130706433:" + trap.getLocalPort(), "http://localhost:5432",
                "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/computeMetadata/v1/", "https://10.20.30.40/",
                "http://192.168.1.1:6379/", "http://[fd00:ec2::254]/", "http://0.0.0.0:" + trap.getLocalPort())) {
            HubClient.Response refused = connect(integration, usernamePassword(url));
            assertThat(refused.status()).as(url + " -> " + refused.raw()).isEqualTo(400);
            assertThat(refused.body().get("field").asText()).isEqualTo("credentials.loginUrl");
            assertThat(refused.body().get("message").asText()).isEqualTo("credentials.loginUrl: refers to an internal address");
        }
        assertNothingReached(trap);
    }

    @Test
    void tokenAndInstanceUrlsOfAuthorizationCodeCredentialsAreRefusedAtConnect() throws IOException {
        String integration = salesforceIntegration();
        String internal = "http://127.0.0.1:" + trap.getLocalPort();
        for (String field : List.of("tokenUrl", "instanceUrl", "identityUrl")) {
            Map<String, Object> credentials = new HashMap<>(Map.of("clientId", "cid", "clientSecret", "client-secret-1", "accessToken", "at-1",
                    "tokenUrl", "https://login.example.com/services/oauth2/token"));
            credentials.put(field, internal + "/services/oauth2/token");
            HubClient.Response refused = hub.call("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                    Map.of("type", "oauth2_authorization_code", "credentials", credentials));
            assertThat(refused.status()).as(field + " -> " + refused.raw()).isEqualTo(400);
            assertThat(refused.body().get("field").asText()).isEqualTo("credentials." + field);
        }
        HubClient.Response oauthStart = hub.call("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", key,
                Map.of("clientId", "cid", "clientSecret", "client-secret-1", "loginUrl", internal));
        assertThat(oauthStart.status()).as(oauthStart.raw()).isEqualTo(400);
        assertThat(oauthStart.body().get("field").asText()).isEqualTo("loginUrl");
        assertNothingReached(trap);
    }

    @Test
    void anInstanceUrlALoginAnswerPointsInsideIsRefusedWhenTheHubConnects() throws IOException {
        startProvider(exchange -> json(exchange, 200, loginAnswer("http://127.0.0.1:" + trap.getLocalPort())));
        JsonNode result = connectOk(usernamePassword(providerUrl()));
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("message").asText()).contains("refers to an internal address");
        assertCleanText(result.get("message").asText());
        assertNothingReached(trap);
    }

    @Test
    void aRedirectToAnAddressNotAllowedIsNotFollowed() throws IOException {
        startProvider(exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + trap.getLocalPort() + "/services/oauth2/token");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        JsonNode result = connectOk(usernamePassword(providerUrl()));
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertCleanText(result.get("message").asText());
        assertNothingReached(trap);
    }

    @Test
    void providerErrorsReachTheTenantAsFixedTextsByKind() throws IOException {
        // unreachable: an allowed port where nothing listens
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = gone.getLocalPort();
        }
        try (OutboundGuard.Allowance allowed = guard.allow("127.0.0.1", closed)) {
            JsonNode unreachable = connectOk(usernamePassword("http://127.0.0.1:" + closed));
            assertThat(unreachable.get("ok").asBoolean()).isFalse();
            assertThat(unreachable.get("message").asText()).isEqualTo("Salesforce login failed: the provider could not be reached");
            assertCleanText(unreachable.get("message").asText(), closed);
        }
        // not the provider: something that answers HTTP, but not as Salesforce
        startProvider(exchange -> {
            byte[] page = "<html><body>Welcome to nginx! PostgreSQL 16 on 10.0.0.5:5432</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(404, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        JsonNode notSalesforce = connectOk(usernamePassword(providerUrl()));
        assertThat(notSalesforce.get("ok").asBoolean()).isFalse();
        assertThat(notSalesforce.get("message").asText()).isEqualTo("Salesforce login failed (HTTP 404): the answer was not Salesforce's");
        assertCleanText(notSalesforce.get("message").asText(), provider.getAddress().getPort());
        JsonNode connection = hub.ok("GET", "/api/tenant/integrations/" + lastIntegration + "/connection", key, null);
        assertCleanText(connection.get("lastError").asText(), provider.getAddress().getPort());
    }

    @Test
    void aTokenUrlThatIsNoLongerAllowedIsNotCalledOnRefreshAndTheConnectionSaysWhy() throws IOException {
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                "name", "refresh-guard")).get("id").asText();
        try (OutboundGuard.Allowance allowed = guard.allow("localhost", trap.getLocalPort())) {
            JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of(
                    "type", "oauth2_authorization_code", "credentials", Map.of("clientId", "cid", "clientSecret", "client-secret-1",
                            "accessToken", "at-1", "refreshToken", "rt-1", "expiresAt", Timestamps.now().plusMinutes(1).toString(),
                            "tokenUrl", "http://localhost:" + trap.getLocalPort() + "/token")));
            assertThat(connected.get("ok").asBoolean()).isTrue();
        }
        assertThat(tokens.refresh(integration)).isEqualTo(TokenLifecycle.Outcome.AUTH_FAILED);
        JsonNode connection = hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null);
        assertThat(connection.get("status").asText()).isEqualTo("auth_failed");
        assertThat(connection.get("lastError").asText()).isEqualTo("the token endpoint (tokenUrl) refers to an internal address; reconnect");
        assertNothingReached(trap);
    }

    @Test
    void aPubSubRegistrationsJwksUriMustNotBeInternal() {
        String integration = salesforceIntegration();
        for (String jwks : List.of("https://169.254.169.254/keys", "https://127.0.0.1:" + trap.getLocalPort() + "/keys", "https://[::1]/keys")) {
            HubClient.Response refused = hub.call("POST", "/api/tenant/integrations/" + integration + "/webhooks", key, Map.of(
                    "scheme", "google_pubsub", "events", List.of("*"),
                    "settings", Map.of("serviceAccountEmail", "push@project.iam.gserviceaccount.com", "jwksUri", jwks)));
            assertThat(refused.status()).as(jwks + " -> " + refused.raw()).isEqualTo(400);
            assertThat(refused.body().get("field").asText()).isEqualTo("settings.jwksUri");
        }
    }

    @Test
    void theHubsOwnSandboxStaysReachable() {
        String integration = salesforceIntegration();
        JsonNode connected = connectOk(integration, hub.sandboxCredentials("guard-own-origin"));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
    }

    // ------------------------------------------------------------------ helpers

    private String lastIntegration;

    private String salesforceIntegration() {
        lastIntegration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", "guard")).get("id").asText();
        return lastIntegration;
    }

    private static Map<String, Object> usernamePassword(String loginUrl) {
        return Map.of("clientId", "cid", "clientSecret", "client-secret-1", "username", "user@example.com", "password", "pw-123456",
                "loginUrl", loginUrl);
    }

    private HubClient.Response connect(String integration, Map<String, Object> credentials) {
        return hub.call("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of("credentials", credentials));
    }

    private JsonNode connectOk(Map<String, Object> credentials) {
        return connectOk(salesforceIntegration(), credentials);
    }

    private JsonNode connectOk(String integration, Map<String, Object> credentials) {
        HubClient.Response response = connect(integration, credentials);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** A provider stand-in on loopback, allowed as an operator would list a provider host. */
    private void startProvider(Handler handler) throws IOException {
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        provider.createContext("/", handler::handle);
        provider.start();
        providerAllowed = guard.allow("127.0.0.1", provider.getAddress().getPort());
    }

    private String providerUrl() {
        return "http://127.0.0.1:" + provider.getAddress().getPort();
    }

    private static String loginAnswer(String instanceUrl) {
        return "{\"access_token\":\"00Dx!token\",\"instance_url\":\"" + instanceUrl + "\",\"id\":\"https://login.example.com/id/"
                + "00D000000000001AAA/005000000000001AAA\",\"token_type\":\"Bearer\",\"issued_at\":\"" + System.currentTimeMillis()
                + "\",\"signature\":\"c2lnbmF0dXJl\"}";
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** No exception text, connection dump, stack frame or internal port in what a tenant reads. */
    private void assertCleanText(String text, int... ports) {
        assertThat(text).doesNotContain("HttpClient@").doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at org.")
                .doesNotContain("nginx").doesNotContain("5432").doesNotContain(String.valueOf(trap.getLocalPort()))
                .doesNotContain(String.valueOf(port));
        for (int port : ports) {
            assertThat(text).doesNotContain(String.valueOf(port));
        }
    }

    /** Nothing connected to the socket: accepting finds no pending connection. */
    private static void assertNothingReached(ServerSocket socket) throws IOException {
        socket.setSoTimeout(200);
        assertThatThrownBy(socket::accept).as("a connection reached the refused port").isInstanceOf(SocketTimeoutException.class);
    }
}
