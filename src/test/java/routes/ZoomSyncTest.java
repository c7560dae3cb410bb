package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.PacedByProviderLimits;
import security.CredentialVault;
import store.ConnectionStore;

/**
 * Zoom end to end on H2 ({@link ZoomSyncScenario}), and what needs no second store: the tokens (a Server-to-Server
 * token taken again when it expires, an authorization-code grant refreshed with rotation), the default limit against
 * the sandbox's per-second windows, and the bad input a user can give.
 */
@PacedByProviderLimits
class ZoomSyncTest extends EmbeddedHubTest implements ZoomSyncScenario {

    @Autowired
    CredentialVault vault;
    @Autowired
    ConnectionStore connections;

    @Test
    void anExpiredServerToServerTokenIsTakenAgainAndAWrongSecretIsAuthFailed() {
        Session s = ZoomSyncScenario.session(hub(), 3, true);
        ZoomSyncScenario.assertCompleted(s.sync("full"));
        s.zoom().setup("POST", "/tokens/expire", null);
        JsonNode again = s.sync("full");
        ZoomSyncScenario.assertCompleted(again);
        assertThat(again.get("recordsProcessed").asLong()).isEqualTo(3);

        // credentials Zoom refuses: the connection test says why, without the secret
        String integration = s.hub().ok("POST", "/api/tenant/integrations", s.key(), Map.of("providerId", "zoom", "name", "wrong secret"))
                .get("id").asText();
        JsonNode refused = s.hub().ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", s.key(),
                Map.of("type", "server_to_server_oauth", "credentials", Map.of("accountId", s.zoom().accountId(), "clientId", "sandbox-client",
                        "clientSecret", "not-the-secret", "baseUrl", s.zoom().baseUrl())));
        assertThat(refused.get("ok").asBoolean()).isFalse();
        assertThat(refused.toString()).contains("HTTP 401").contains("invalid_client").doesNotContain("not-the-secret");
    }

    @Test
    void authorizationCodeTokensAreRefreshedWithRotation() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        ZoomSandboxAccount zoom = new ZoomSandboxAccount(hub, "oauth");
        zoom.setup("POST", "/reset", Map.of("meetings", 3));
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "zoom", "name", "zoom oauth")).get("id").asText();
        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", key,
                Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "loginUrl", zoom.baseUrl(), "loginHint", zoom.name()));
        assertThat(start.get("authorizationUrl").asText()).startsWith(zoom.baseUrl() + "/oauth/authorize?response_type=code");
        HubClient.Response callback = hub.call("GET", HubClient.authorizationRedirect(start.get("authorizationUrl").asText()), null, null);
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo("connected");
        zoom.unlimited(key, integration);
        String secretName = connections.find(integration).orElseThrow().secretName();
        Map<String, String> issued = vault.get(secretName).orElseThrow();
        assertThat(issued.get("instanceUrl")).as("Zoom's api_url").isEqualTo(zoom.baseUrl());
        assertThat(issued.get("refreshToken")).isNotBlank();

        // the access token stops working: the hub refreshes (Zoom rotates the refresh token) and goes on
        zoom.setup("POST", "/tokens/expire", null);
        JsonNode synced = hub.runAndWait(key, integration, hub.task(key, integration, "recordings", "full"), TIMEOUT);
        ZoomSyncScenario.assertCompleted(synced);
        assertThat(synced.get("recordsProcessed").asLong()).isEqualTo(3);
        Map<String, String> renewed = vault.get(secretName).orElseThrow();
        assertThat(renewed.get("accessToken")).isNotEqualTo(issued.get("accessToken"));
        assertThat(renewed.get("refreshToken")).isNotEqualTo(issued.get("refreshToken"));
        HubClient.Response reused = zoom.refresh(issued.get("refreshToken"));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body().get("error").asText()).isEqualTo("invalid_grant");

        // the grant is gone (the rotated token used elsewhere): the refresh is refused, the integration is auth_failed
        assertThat(zoom.refresh(renewed.get("refreshToken")).status()).isEqualTo(200);
        zoom.setup("POST", "/tokens/expire", null);
        JsonNode failed = hub.runAndWait(key, integration, hub.task(key, integration, "recordings", "incremental"), TIMEOUT);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        Awaitility.await().atMost(TIMEOUT).until(() -> hub.ok("GET", "/api/tenant/integrations/" + integration, key, null)
                .get("status").asText().equals("auth_failed"));
    }

    @Test
    void theDefaultLimitKeepsTheSandboxFromRefusingAnyCall() {
        // Zoom Pro's 20 Medium calls a second on both sides: three hosts, a year of monthly windows each, about forty list
        // calls, more than two seconds' worth; the hub paces itself below the sandbox's sliding second
        Session s = ZoomSyncScenario.session(hub(), 30, false);
        JsonNode full = s.sync("full");
        ZoomSyncScenario.assertCompleted(full);
        assertThat(full.get("recordsProcessed").asLong()).isEqualTo(30);
        JsonNode limits = s.zoom().setup("GET", "/limits", null);
        assertThat(limits.at("/medium/rateLimit").asInt()).isEqualTo(20);
        assertThat(limits.get("violations").asLong()).isZero();
    }

    @Test
    void anUnknownUserIsRefusedWhenSavedAndFailsTheExecutionNamingIt() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        ZoomSandboxAccount zoom = new ZoomSandboxAccount(hub, "users");
        zoom.setup("POST", "/reset", Map.of("meetings", 6));
        String integration = zoom.connect(key, Map.of("sources", Map.of("recordings", List.of("nobody@nowhere.example"))));
        zoom.unlimited(key, integration);
        JsonNode failed = hub.runAndWait(key, integration, hub.task(key, integration, "recordings", "full"), TIMEOUT);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.toString()).contains("unknown user 'nobody@nowhere.example'").contains("sources.recordings");

        HubClient.Response refused = hub.call("PATCH", "/api/tenant/integrations/" + integration, key,
                Map.of("sources", Map.of("recordings", List.of("jordan.lee@castiel-sandbox.example", "nobody@nowhere.example"))));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.raw()).contains("sources.recordings").contains("unknown user 'nobody@nowhere.example'");

        // one host's recordings only: meetings 0 and 3 of six
        hub.ok("PATCH", "/api/tenant/integrations/" + integration, key,
                Map.of("sources", Map.of("recordings", List.of("jordan.lee@castiel-sandbox.example"))));
        JsonNode one = hub.runAndWait(key, integration, hub.task(key, integration, "recordings", "full"), TIMEOUT);
        ZoomSyncScenario.assertCompleted(one);
        assertThat(one.get("recordsProcessed").asLong()).isEqualTo(2);
    }
}
