package security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import com.sun.net.httpserver.HttpServer;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.PostgresHubTest;
import hub.TestProviderAdapter;
import store.Timestamps;

/**
 * Two hub instances (two application contexts, the second without a web server) on one PostgreSQL
 * database race to refresh the same connection's token at a provider that rotates refresh tokens:
 * the database row lock lets one refresh, the other finds the token fresh; nothing reuses a rotated token.
 */
class TokenRefreshAcrossInstancesTest extends PostgresHubTest {

    @Autowired
    TokenLifecycle first;
    @Autowired
    OutboundGuard guard;

    @Test
    void twoInstancesRacingRefreshOnce() throws Exception {
        Set<String> valid = ConcurrentHashMap.newKeySet();
        AtomicInteger refreshes = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        HttpServer server = tokenEndpoint(valid, refreshes, refused);
        try (ConfigurableApplicationContext second = secondInstance();
             // the token endpoint stand-in is on loopback: allowed on both instances, as an operator would list it
             OutboundGuard.Allowance allowed = guard.allow("localhost", server.getAddress().getPort());
             OutboundGuard.Allowance alsoAllowed = second.getBean(OutboundGuard.class).allow("localhost", server.getAddress().getPort())) {
            HubClient hub = hub();
            String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
            String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                    "name", "two-instances")).get("id").asText();
            valid.add("rt-shared");
            hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of("type", "oauth2_authorization_code",
                    "credentials", Map.of("clientId", "cid", "clientSecret", "client-secret-2", "accessToken", "initial-access",
                            "refreshToken", "rt-shared", "expiresAt", Timestamps.now().plusMinutes(5).toString(),
                            "tokenUrl", "http://localhost:" + server.getAddress().getPort() + "/token")));

            TokenLifecycle other = second.getBean(TokenLifecycle.class);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            List<Future<TokenLifecycle.Outcome>> outcomes = threads.invokeAll(List.<Callable<TokenLifecycle.Outcome>>of(
                    () -> first.refresh(integration), () -> other.refresh(integration)));
            threads.shutdown();
            assertThat(List.of(outcomes.get(0).get(), outcomes.get(1).get()))
                    .containsExactlyInAnyOrder(TokenLifecycle.Outcome.REFRESHED, TokenLifecycle.Outcome.STILL_FRESH);
            assertThat(refreshes.get()).isEqualTo(1);
            assertThat(refused.get()).isZero();
            assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null).get("status").asText())
                    .isEqualTo("connected");
        } finally {
            server.stop(0);
        }
    }

    private static HttpServer tokenEndpoint(Set<String> valid, AtomicInteger refreshes, AtomicInteger refused) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/token", exchange -> {
            Map<String, String> form = new HashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String body;
            int status;
            if (valid.remove(form.get("refresh_token"))) {
                String rotated = "rt-" + refreshes.incrementAndGet();
                valid.add(rotated);
                body = "{\"access_token\":\"at-new\",\"refresh_token\":\"" + rotated + "\",\"expires_in\":7200}";
                status = 200;
            } else {
                refused.incrementAndGet();
                body = "{\"error\":\"invalid_grant\",\"error_description\":\"expired access/refresh token\"}";
                status = 400;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }
}
