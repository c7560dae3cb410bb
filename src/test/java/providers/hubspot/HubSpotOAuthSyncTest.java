package providers.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubSpotPortal;
import security.CredentialVault;
import store.Connection;
import store.ConnectionStore;

/**
 * A HubSpot integration connected by the authorization-code flow against the sandbox's OAuth server: the user is sent
 * to its authorization page, the hub redeems the code at /oauth/v1/token, and syncs with the token. HubSpot's tokens
 * are short-lived and a 401 is not the signal to refresh: one about to expire is refreshed before it is used.
 */
@ExtendWith(OutputCaptureExtension.class)
class HubSpotOAuthSyncTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Autowired
    CredentialVault vault;
    @Autowired
    ConnectionStore connections;

    @Test
    void connectsByOAuthAndATokenAboutToExpireIsRefreshedBeforeItIsUsed(CapturedOutput output) {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        HubSpotPortal portal = new HubSpotPortal(hub, "oauth");
        // the portal's access tokens live two minutes: always within the five minutes before expiry the hub refreshes in
        portal.ok("POST", "/setup/tokens", Map.of("accessTokenTtlSeconds", 120));
        String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(), Map.of("providerId", "hubspot", "name", "hs oauth"))
                .get("id").asText();

        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", tenant.key(),
                Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "loginUrl", portal.baseUrl(),
                        "scope", "crm.objects.companies.read crm.objects.companies.write", "loginHint", portal.name()));
        String authorizationUrl = start.get("authorizationUrl").asText();
        assertThat(authorizationUrl).startsWith(portal.baseUrl() + "/oauth/authorize?response_type=code&client_id=sandbox-client");
        HubClient.Response callback = hub.call("GET", HubClient.authorizationRedirect(authorizationUrl), null, null);
        assertThat(callback.status()).as(callback.raw()).isEqualTo(200);
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo("connected");

        Connection connection = connections.find(integration).orElseThrow();
        Map<String, String> issued = vault.get(connection.secretName()).orElseThrow();
        assertThat(issued.get("tokenUrl")).isEqualTo(portal.baseUrl() + "/oauth/v1/token");
        assertThat(OffsetDateTime.parse(issued.get("expiresAt"))).isBefore(OffsetDateTime.now().plusMinutes(3));
        hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", tenant.key(),
                Map.of("integration", Map.of("requests", 6000, "windowSeconds", 60)));

        JsonNode sync = hub.runAndWait(tenant.key(), integration, hub.task(tenant.key(), integration, "companies", "full"), TIMEOUT);

        assertThat(sync.get("status").asText()).as(sync.toString()).isEqualTo("completed");
        assertThat(sync.get("recordsCreated").asLong()).isEqualTo(1000);
        Map<String, String> renewed = vault.get(connection.secretName()).orElseThrow();
        assertThat(renewed.get("accessToken")).as("refreshed before it was used").isNotEqualTo(issued.get("accessToken"));
        assertThat(connections.find(integration).orElseThrow().lastRefreshedAt()).isNotNull();
        // the token the hub holds now is one HubSpot takes
        assertThat(hub.call("GET", portal.baseUrl() + "/crm/v3/objects/companies?limit=1", renewed.get("accessToken"), null).status())
                .isEqualTo(200);
        for (String secret : new String[] {issued.get("accessToken"), issued.get("refreshToken"), renewed.get("accessToken")}) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
    }

    @Test
    void hubSpotsOwnConsentPageIsOnItsAppHost() {
        HubSpotOAuthServer server = new HubSpotOAuthServer("https://api.hubapi.com");
        assertThat(server.authorizeUrl("https://api.hubapi.com")).isEqualTo("https://app.hubspot.com/oauth/authorize");
        assertThat(server.authorizeUrl("http://localhost:8080/sandbox/hubspot")).isEqualTo("http://localhost:8080/sandbox/hubspot/oauth/authorize");
        assertThat(server.defaultLoginUrl() + server.tokenPath()).isEqualTo("https://api.hubapi.com/oauth/v1/token");
    }
}
