package providers.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import hub.EmbeddedHubTest;
import hub.HubClient;
import security.CredentialVault;
import store.Connection;
import store.ConnectionStore;

/**
 * A Slack integration connected by OAuth v2 against the sandbox: the user consents at {@code /oauth/v2/authorize}, the hub
 * redeems the code at {@code /api/oauth.v2.access}, and syncs with the bot token it got. With token rotation the token
 * expires; one about to expire is refreshed (single-use refresh token) before it is used.
 */
@ExtendWith(OutputCaptureExtension.class)
class SlackOAuthSyncTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Autowired
    CredentialVault vault;
    @Autowired
    ConnectionStore connections;

    @Test
    void connectsByOAuthV2AndARotatingTokenAboutToExpireIsRefreshedBeforeItIsUsed(CapturedOutput output) {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String name = "oauth-" + UUID.randomUUID().toString().substring(0, 8);
        String staticToken = "xoxb-sandbox-" + name;
        String base = hub.baseUrl() + "/sandbox/slack";
        // the workspace's access tokens live two minutes: always within the five minutes before expiry the adapter refreshes in
        hub.ok("POST", base + "/setup/tokens", staticToken, Map.of("accessTokenTtlSeconds", 120));
        List<String> channels = new ArrayList<>();
        hub.ok("GET", base + "/setup/workspace", staticToken, null).get("channels").forEach(c -> channels.add(c.get("id").asText()));
        String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(), Map.of("providerId", "slack", "name", "slack oauth",
                "sources", Map.of("messages", channels.subList(0, 1)))).get("id").asText();

        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", tenant.key(),
                Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "loginUrl", base,
                        "scope", "channels:history channels:read users:read", "loginHint", name));
        String authorizationUrl = start.get("authorizationUrl").asText();
        assertThat(authorizationUrl).startsWith(base + "/oauth/v2/authorize?");
        HubClient.Response callback = hub.call("GET", HubClient.authorizationRedirect(authorizationUrl), null, null);
        assertThat(callback.status()).as(callback.raw()).isEqualTo(200);
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo("connected");

        Connection connection = connections.find(integration).orElseThrow();
        Map<String, String> issued = vault.get(connection.secretName()).orElseThrow();
        assertThat(issued.get("tokenUrl")).isEqualTo(base + "/api/oauth.v2.access");
        assertThat(issued.get("accessToken")).startsWith("xoxb-");
        assertThat(OffsetDateTime.parse(issued.get("expiresAt"))).isBefore(OffsetDateTime.now().plusMinutes(3));

        JsonNode sync = hub.runAndWait(tenant.key(), integration, hub.task(tenant.key(), integration, "messages", "full"), TIMEOUT);
        assertThat(sync.get("status").asText()).as(sync.toString()).isEqualTo("completed");
        assertThat(sync.get("recordsCreated").asLong()).isEqualTo(30 + 12);
        Map<String, String> renewed = vault.get(connection.secretName()).orElseThrow();
        assertThat(renewed.get("accessToken")).as("refreshed before it was used").isNotEqualTo(issued.get("accessToken"));
        assertThat(renewed.get("refreshToken")).as("Slack rotates the refresh token").isNotEqualTo(issued.get("refreshToken"));
        // the token the hub holds now is one Slack takes, in the workspace the user chose
        HubClient.Response auth = hub.call("POST", base + "/api/auth.test", renewed.get("accessToken"), null);
        assertThat(auth.body().get("ok").asBoolean()).as(auth.raw()).isTrue();
        assertThat(auth.body().get("url").asText()).contains(name);
        for (String secret : new String[] {issued.get("accessToken"), issued.get("refreshToken"), renewed.get("accessToken")}) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
    }
}
