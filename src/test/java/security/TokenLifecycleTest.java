package security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;
import store.SyncTaskStore;
import store.Timestamps;

/**
 * Tokens refreshed ahead of expiry, once, against a token endpoint that rotates refresh tokens (a
 * reused one is refused with invalid_grant, as Salesforce does with rotation on), and a refused
 * refresh pausing the integration until it is reconnected.
 */
class TokenLifecycleTest extends EmbeddedHubTest {

    @Autowired
    TokenLifecycle tokens;
    @Autowired
    CredentialVault vault;
    @Autowired
    SyncTaskStore tasks;
    @Autowired
    OutboundGuard guard;

    private HttpServer server;
    private OutboundGuard.Allowance allowance;
    private final Set<String> validRefreshTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicInteger invalidGrants = new AtomicInteger();
    private HubClient hub;
    private String key;

    @BeforeEach
    void tokenEndpoint() throws IOException {
        hub = hub();
        key = hub.newTenantKey(ADMIN_KEY);
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/token", exchange -> {
            Map<String, String> form = new HashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            String body;
            int status;
            sleep(200);
            if ("refresh_token".equals(form.get("grant_type")) && validRefreshTokens.remove(form.get("refresh_token"))) {
                int n = refreshes.incrementAndGet();
                String rotated = "rt-" + n + "-" + System.nanoTime();
                validRefreshTokens.add(rotated);
                body = "{\"access_token\":\"at-" + n + "\",\"refresh_token\":\"" + rotated + "\",\"expires_in\":7200,\"token_type\":\"Bearer\"}";
                status = 200;
            } else {
                invalidGrants.incrementAndGet();
                body = "{\"error\":\"invalid_grant\",\"error_description\":\"expired access/refresh token\"}";
                status = 400;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        // the token endpoint stand-in is on loopback: allowed as an operator would list it
        allowance = guard.allow("localhost", server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        allowance.close();
        server.stop(0);
    }

    @Test
    void twoRefreshersRacingOnOneConnectionRefreshOnceAndStoreTheRotatedToken() throws Exception {
        String integration = oauthIntegration("rt-initial", Timestamps.now().plusMinutes(5));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        Callable<TokenLifecycle.Outcome> refresh = () -> tokens.refresh(integration);
        List<Future<TokenLifecycle.Outcome>> outcomes = threads.invokeAll(List.of(refresh, refresh));
        threads.shutdown();
        assertThat(List.of(outcomes.get(0).get(), outcomes.get(1).get()))
                .containsExactlyInAnyOrder(TokenLifecycle.Outcome.REFRESHED, TokenLifecycle.Outcome.STILL_FRESH);
        assertThat(refreshes.get()).isEqualTo(1);
        assertThat(invalidGrants.get()).as("the rotated refresh token was never reused").isZero();

        JsonNode connection = hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null);
        assertThat(connection.get("status").asText()).isEqualTo("connected");
        assertThat(OffsetDateTime.parse(connection.get("expiresAt").asText())).isAfter(OffsetDateTime.now().plusMinutes(100));
        assertThat(connection.hasNonNull("lastRefreshedAt")).isTrue();
        Map<String, String> stored = vault.get(connection.get("secretName").asText()).orElseThrow();
        assertThat(stored.get("accessToken")).isEqualTo("at-1");
        assertThat(validRefreshTokens).containsExactly(stored.get("refreshToken"));

        // the next refresh uses the rotated token: accepted
        assertThat(tokens.refresh(integration)).isEqualTo(TokenLifecycle.Outcome.STILL_FRESH);
    }

    @Test
    void theSweepRefreshesOnlyWhatExpiresWithinTheWindow() {
        String soon = oauthIntegration("rt-soon", Timestamps.now().plusMinutes(30));
        String later = oauthIntegration("rt-later", Timestamps.now().plusHours(5));
        tokens.refreshExpiring();
        assertThat(vault.get(secretOf(soon)).orElseThrow().get("accessToken")).startsWith("at-");
        assertThat(vault.get(secretOf(later)).orElseThrow().get("accessToken")).isEqualTo("initial-access");
        assertThat(OffsetDateTime.parse(hub.ok("GET", "/api/tenant/integrations/" + later + "/connection", key, null).get("expiresAt").asText()))
                .as("expiry taken from the credentials").isAfter(OffsetDateTime.now().plusHours(4));
    }

    @Test
    void aRefusedRefreshPausesTheIntegrationUntilItIsReconnected() {
        String integration = oauthIntegration("rt-revoked-not-known-to-the-server", Timestamps.now().plusMinutes(1));
        validRefreshTokens.clear();
        String task = hub.ok("POST", "/api/tenant/integrations/" + integration + "/tasks", key,
                Map.of("entity", "Item", "mode", "incremental", "schedule", "1h")).get("id").asText();
        assertThat(tokens.refresh(integration)).isEqualTo(TokenLifecycle.Outcome.AUTH_FAILED);

        JsonNode connection = hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null);
        assertThat(connection.get("status").asText()).isEqualTo("auth_failed");
        assertThat(connection.get("lastError").asText()).contains("invalid_grant").doesNotContain("rt-revoked");
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration, key, null).get("status").asText()).isEqualTo("auth_failed");
        assertThat(hub.ok("GET", "/api/admin/audit?action=integration.auth_failed&targetId=" + integration, ADMIN_KEY, null)
                .get("items")).hasSize(1);
        OffsetDateTime farFuture = OffsetDateTime.now().plusYears(1);
        assertThat(tasks.due(farFuture, 10_000)).as("paused").noneMatch(t -> t.id().equals(task));

        validRefreshTokens.add("rt-reconnected");
        connect(integration, "rt-reconnected", Timestamps.now().plusHours(2));
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null).get("status").asText())
                .isEqualTo("connected");
        assertThat(tasks.due(farFuture, 10_000)).as("resumed").anyMatch(t -> t.id().equals(task));
    }

    private String oauthIntegration(String refreshToken, OffsetDateTime expiresAt) {
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                "name", "oauth")).get("id").asText();
        validRefreshTokens.add(refreshToken);
        connect(integration, refreshToken, expiresAt);
        return integration;
    }

    private void connect(String integration, String refreshToken, OffsetDateTime expiresAt) {
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of(
                "type", "oauth2_authorization_code", "credentials", Map.of("clientId", "cid", "clientSecret", "client-secret-1",
                        "accessToken", "initial-access", "refreshToken", refreshToken, "expiresAt", expiresAt.toString(),
                        "tokenUrl", "http://localhost:" + server.getAddress().getPort() + "/token")));
        assertThat(connected.get("ok").asBoolean()).isTrue();
    }

    private String secretOf(String integration) {
        return hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null).get("secretName").asText();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
