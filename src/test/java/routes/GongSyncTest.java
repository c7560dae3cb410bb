package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import security.CredentialVault;
import store.ConnectionStore;

/**
 * Gong end to end on H2 ({@link GongSyncScenario}), and what only one store needs to show: OAuth at the API base the token
 * answer names, with single-use refresh tokens; refused credentials.
 */
class GongSyncTest extends EmbeddedHubTest implements GongSyncScenario {

    @Autowired
    CredentialVault vault;
    @Autowired
    ConnectionStore connections;

    @Test
    void oauthCallsTheApiBaseTheTokenAnswerNamesAndRefreshesWithSingleUseTokens() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GongSandboxCompany gong = new GongSandboxCompany(hub, "oauth");
        gong.reset(5, 3);
        String integration = gong.integration(key, Map.of());
        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", key,
                Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "loginUrl", gong.baseUrl(), "loginHint", gong.name()));
        assertThat(start.get("authorizationUrl").asText()).startsWith(gong.baseUrl() + "/oauth2/authorize?");
        HubClient.Response callback = hub.call("GET", HubClient.authorizationRedirect(start.get("authorizationUrl").asText()), null, null);
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo("connected");
        gong.unlimited(key, integration);
        String secretName = connections.find(integration).orElseThrow().secretName();
        Map<String, String> issued = vault.get(secretName).orElseThrow();
        // the API base comes from the token answer, not from any setting
        assertThat(issued.get("instanceUrl")).isEqualTo(gong.baseUrl());
        assertThat(issued).doesNotContainKey("baseUrl");
        assertThat(issued.get("tokenUrl")).isEqualTo(gong.baseUrl() + "/oauth2/generate-customer-token");

        // the access token stops working: the hub refreshes (a new refresh token each time) and goes on
        gong.setup("POST", "/tokens/expire", null);
        JsonNode sync = hub.runAndWait(key, integration, hub.task(key, integration, "calls", "full"), TIMEOUT);
        GongSyncScenario.assertCompleted(sync, 5, 5, 0);
        Map<String, String> renewed = vault.get(secretName).orElseThrow();
        assertThat(renewed.get("accessToken")).isNotEqualTo(issued.get("accessToken"));
        assertThat(renewed.get("refreshToken")).isNotEqualTo(issued.get("refreshToken"));
        HubClient.Response reused = gong.call("POST", "/oauth2/generate-customer-token", null, "grant_type=refresh_token&refresh_token="
                + issued.get("refreshToken") + "&client_id=sandbox-client&client_secret=sandbox-secret");
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void refusedCredentialsAreAClearErrorAndARevokedKeyIsAuthFailed() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GongSandboxCompany gong = new GongSandboxCompany(hub, "creds");
        gong.reset(3, 2);
        String integration = gong.integration(key, Map.of());
        HubClient.Response wrong = hub.call("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                Map.of("type", "access_key", "credentials", Map.of("accessKey", gong.accessKey(), "accessKeySecret", "not-the-secret",
                        "baseUrl", gong.baseUrl())));
        assertThat(wrong.raw()).contains("HTTP 401").contains("Access denied").doesNotContain("not-the-secret");
        HubClient.Response missing = hub.call("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                Map.of("type", "access_key", "credentials", Map.of("accessKey", gong.accessKey())));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.raw()).contains("credentials.accessKeySecret");
        HubClient.Response withV2 = hub.call("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                Map.of("type", "access_key", "credentials", Map.of("accessKey", gong.accessKey(), "accessKeySecret", GongSandboxCompany.SECRET,
                        "baseUrl", gong.baseUrl() + "/v2")));
        assertThat(withV2.status()).isEqualTo(400);
        assertThat(withV2.raw()).contains("credentials.baseUrl").contains("without /v2");

        String connected = gong.connect(key, Map.of());
        gong.unlimited(key, connected);
        GongSyncScenario.assertCompleted(hub.runAndWait(key, connected, hub.task(key, connected, "calls", "full"), TIMEOUT), 3, 3, 0);
        gong.setup("POST", "/access-key", Map.of("revoked", true));
        JsonNode failed = hub.runAndWait(key, connected, hub.task(key, connected, "calls", "incremental"), TIMEOUT);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.toString()).contains("HTTP 401");
        Awaitility.await().atMost(TIMEOUT).until(() -> hub.ok("GET", "/api/tenant/integrations/" + connected, key, null)
                .get("status").asText().equals("auth_failed"));
    }

    @Test
    void aCallReadyInGongReachesItsNoteThroughTheAutomationRulesSignedWebhook() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        GongSandboxCompany gong = new GongSandboxCompany(hub, "push");
        gong.reset(3, 2);
        String integration = gong.connect(key, Map.of());
        gong.unlimited(key, integration);
        GongSyncScenario.assertCompleted(hub.runAndWait(key, integration, hub.task(key, integration, "calls", "full"), TIMEOUT), 3, 3, 0);
        // the rule's public key, as Gong shows it when the rule is made, is the registration's secret
        String publicKey = gong.setup("PUT", "/webhooks", Map.of("url", hub.baseUrl() + "/webhooks/not-yet")).get("publicKey").asText();
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "gong", "events", java.util.List.of("note.*"), "secret", publicKey));
        gong.setup("PUT", "/webhooks", Map.of("url", registration.get("url").asText()));

        String call = gong.setup("POST", "/calls", Map.of("accountIndex", 1, "title", "Pushed from Gong",
                "started", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())).get("id").asText();
        long sent = System.nanoTime();
        Awaitility.await().atMost(TIMEOUT).pollInterval(java.time.Duration.ofMillis(100)).until(() -> hub.allShards(key, "c_note").stream()
                .anyMatch(n -> n.at("/externalRelationships/0/externalId").asText().equals(call)
                        && n.at("/structuredData/title").asText().equals("Pushed from Gong")));
        System.out.printf("Gong push -> shard: %d ms%n", (System.nanoTime() - sent) / 1_000_000);
        assertThat(gong.setup("GET", "/webhooks", null).get("delivered").asLong()).isEqualTo(1);
        JsonNode deliveries = hub.ok("GET", "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText(), key, null);
        assertThat(deliveries.get("items")).anySatisfy(d -> assertThat(d.get("verification").asText()).isEqualTo("verified"));

        // a delivery without Gong's signature is refused and changes nothing
        HubClient.Response forged = hub.call("POST", registration.get("url").asText(), "not-a-jwt",
                "{\"callData\":{\"metaData\":{\"id\":\"1\"}},\"isTest\":false}");
        assertThat(forged.status()).isEqualTo(401);
    }
}
