package connections.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.util.UriComponentsBuilder;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;
import security.CredentialVault;
import store.Connection;
import store.ConnectionStore;

/**
 * The authorization-code connect against the Salesforce sandbox over real HTTP: the hub hands out
 * the authorization URL, the test plays the browser (the sandbox approves at once and redirects),
 * and the callback stores the tokens; wrong, reused, expired and refused states are 400s.
 */
@ExtendWith(OutputCaptureExtension.class)
class OAuthConnectTest extends EmbeddedHubTest {


    @Autowired
    CredentialVault vault;
    @Autowired
    ConnectionStore connections;
    @Autowired
    JdbcClient jdbc;

    /** The browser's way back: code and state from the authorize redirect's Location. */
    record Redirect(String location, Map<String, String> query) {
    }

    @Test
    void fullDanceStoresTokensAndConnectsTheIntegration(CapturedOutput output) {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = integration(hub, tenant.key(), TestProviderAdapter.PROVIDER_ID);

        JsonNode start = connectOAuth(hub, tenant.key(), integration, "oauth-" + tenant.id());
        String authorizationUrl = start.get("authorizationUrl").asText();
        Map<String, String> asked = query(authorizationUrl);
        assertThat(authorizationUrl).startsWith(hub.sandboxUrl() + "/services/oauth2/authorize?");
        assertThat(asked).containsEntry("response_type", "code").containsEntry("client_id", "sandbox-client")
                .containsEntry("redirect_uri", hub.baseUrl() + "/api/oauth/callback").containsEntry("code_challenge_method", "S256")
                .containsEntry("state", start.get("state").asText()).containsEntry("scope", "api refresh_token")
                .containsEntry("login_hint", HubClient.sandboxUser("oauth-" + tenant.id()));
        assertThat(asked.get("code_challenge")).hasSize(43);
        assertThat(asked.get("state")).hasSize(43);
        assertThat(OffsetDateTime.parse(start.get("expiresAt").asText())).isAfter(OffsetDateTime.now().plusMinutes(9));
        assertThat(start.toString()).doesNotContain("sandbox-secret");
        String verifier = stateSecret(asked.get("state")).get("codeVerifier");
        assertThat(Pkce.challenge(verifier)).isEqualTo(asked.get("code_challenge"));
        assertThat(authorizationUrl).doesNotContain(verifier);

        Redirect redirect = authorize(authorizationUrl);
        assertThat(redirect.location()).startsWith(hub.baseUrl() + "/api/oauth/callback?");
        HubClient.Response callback = hub.call("GET", redirect.location(), null, null);
        assertThat(callback.status()).as(callback.raw()).isEqualTo(200);
        assertThat(callback.body().get("status").asText()).isEqualTo("connected");
        assertThat(callback.body().get("authType").asText()).isEqualTo("oauth2_authorization_code");

        Connection connection = connections.find(integration).orElseThrow();
        assertThat(connection.status()).isEqualTo(Connection.Status.CONNECTED);
        assertThat(connection.authType()).isEqualTo("oauth2_authorization_code");
        Map<String, String> stored = vault.get(connection.secretName()).orElseThrow();
        assertThat(stored).containsEntry("clientId", "sandbox-client").containsEntry("clientSecret", "sandbox-secret")
                .containsEntry("tokenUrl", hub.sandboxUrl() + "/services/oauth2/token")
                .containsEntry("instanceUrl", hub.sandboxUrl()).containsEntry("scope", "api refresh_token")
                .containsKeys("accessToken", "refreshToken").doesNotContainKey("expiresAt");
        assertThat(hub.sandbox("GET", stored.get("accessToken"), "/limits", null).status())
                .as("the stored access token works at the provider").isEqualTo(200);
        assertThat(vault.get(secretNameOf(asked.get("state")))).as("the state's verifier is gone once used").isEmpty();
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration, tenant.key(), null).get("status").asText())
                .isEqualTo("connected");

        String code = redirect.query().get("code");
        for (String secret : new String[] {stored.get("accessToken"), stored.get("refreshToken"), code, verifier}) {
            assertThat(output.getAll()).doesNotContain(secret);
            assertThat(callback.raw()).doesNotContain(secret);
        }
        assertThat(callback.raw()).doesNotContain("sandbox-secret");
    }

    @Test
    void salesforceConnectsWithTheTokens() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = integration(hub, tenant.key(), "salesforce");

        JsonNode start = connectOAuth(hub, tenant.key(), integration, "oauth-sf-" + tenant.id());
        HubClient.Response callback = hub.call("GET", authorize(start.get("authorizationUrl").asText()).location(), null, null);

        assertThat(callback.status()).as(callback.raw()).isEqualTo(200);
        Connection connection = connections.find(integration).orElseThrow();
        assertThat(connection.authType()).isEqualTo("oauth2_authorization_code");
        assertThat(vault.get(connection.secretName()).orElseThrow()).containsKeys("accessToken", "refreshToken");
        // camel-salesforce logs in at the hub, which hands it the stored access token: the connection test passes
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo(connection.status().value()).isEqualTo("connected");
        assertThat(callback.raw()).doesNotContain("sandbox-secret");
    }

    @Test
    void unknownStateIsRefused() {
        HubClient.Response response = hub().call("GET", "/api/oauth/callback?code=some-code&state=not-a-state-we-issued", null, null);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("field").asText()).isEqualTo("state");
        assertThat(hub().call("GET", "/api/oauth/callback?code=some-code", null, null).status()).isEqualTo(400);
    }

    @Test
    void aStateIsRedeemedOnce() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = integration(hub, tenant.key(), TestProviderAdapter.PROVIDER_ID);
        Redirect redirect = authorize(connectOAuth(hub, tenant.key(), integration, "oauth-" + tenant.id()).get("authorizationUrl").asText());

        assertThat(hub.call("GET", redirect.location(), null, null).status()).isEqualTo(200);
        HubClient.Response replay = hub.call("GET", redirect.location(), null, null);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.raw()).contains("already used");
    }

    @Test
    void concurrentCallbacksWithOneStateConnectOnce() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = integration(hub, tenant.key(), TestProviderAdapter.PROVIDER_ID);
        Redirect redirect = authorize(connectOAuth(hub, tenant.key(), integration, "oauth-" + tenant.id()).get("authorizationUrl").asText());

        List<CompletableFuture<HubClient.Response>> calls = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> hub.call("GET", redirect.location(), null, null))).toList();
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(HubClient.Response::status).toList();
        assertThat(statuses).containsOnlyOnce(200).containsOnly(200, 400);
    }

    @Test
    void anExpiredStateIsRefused() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = integration(hub, tenant.key(), TestProviderAdapter.PROVIDER_ID);
        JsonNode start = connectOAuth(hub, tenant.key(), integration, "oauth-" + tenant.id());
        Redirect redirect = authorize(start.get("authorizationUrl").asText());
        jdbc.sql("UPDATE oauth_states SET expires_at = ? WHERE state = ?")
                .params(OffsetDateTime.now().minusSeconds(1), start.get("state").asText()).update();

        HubClient.Response expired = hub.call("GET", redirect.location(), null, null);
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.raw()).contains("expired");
        assertThat(connections.find(integration)).isEmpty();
    }

    @Test
    void aProviderRefusalIsA400AndUsesTheStateUp() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = integration(hub, tenant.key(), TestProviderAdapter.PROVIDER_ID);
        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", tenant.key(),
                Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "loginUrl", hub.sandboxUrl(),
                        "loginHint", "mallory@example.com"));
        Redirect redirect = authorize(start.get("authorizationUrl").asText());
        assertThat(redirect.query()).containsEntry("error", "access_denied");

        HubClient.Response refused = hub.call("GET", redirect.location(), null, null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw()).contains("access_denied");
        assertThat(hub.call("GET", redirect.location(), null, null).raw()).contains("already used");
        assertThat(vault.get(secretNameOf(start.get("state").asText()))).isEmpty();
    }

    @Test
    void aTokenEndpointRefusalIsA502WithItsErrorCodeOnly() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = integration(hub, tenant.key(), TestProviderAdapter.PROVIDER_ID);
        JsonNode start = connectOAuth(hub, tenant.key(), integration, "oauth-" + tenant.id());

        HubClient.Response failed = hub.call("GET", "/api/oauth/callback?code=forged-code&state=" + start.get("state").asText(), null, null);
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.raw()).contains("invalid_grant").doesNotContain("sandbox-secret").doesNotContain("forged-code");
        assertThat(connections.find(integration)).isEmpty();
    }

    @Test
    void theStartIsScopedAndValidated() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        HubClient.Tenant other = hub.newTenant(ADMIN_KEY);
        String integration = integration(hub, tenant.key(), TestProviderAdapter.PROVIDER_ID);
        String path = "/api/tenant/integrations/" + integration + "/connect/oauth";

        assertThat(hub.call("POST", path, other.key(), Map.of("clientId", "a", "clientSecret", "b")).status()).isEqualTo(404);
        assertThat(hub.call("POST", path, null, Map.of("clientId", "a", "clientSecret", "b")).status()).isEqualTo(401);
        HubClient.Response noSecret = hub.call("POST", path, tenant.key(), Map.of("clientId", "a"));
        assertThat(noSecret.status()).isEqualTo(400);
        assertThat(noSecret.body().get("field").asText()).isEqualTo("clientSecret");
        HubClient.Response badUrl = hub.call("POST", path, tenant.key(), Map.of("clientId", "a", "clientSecret", "b", "loginUrl", "ftp://x"));
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.body().get("field").asText()).isEqualTo("loginUrl");
    }

    private static String integration(HubClient hub, String key, String providerId) {
        return hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", providerId, "name", "oauth " + providerId))
                .get("id").asText();
    }

    private static JsonNode connectOAuth(HubClient hub, String key, String integration, String org) {
        return hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", key,
                Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "loginUrl", hub.sandboxUrl(),
                        "scope", "api refresh_token", "loginHint", HubClient.sandboxUser(org)));
    }

    /** Plays the browser at the authorization server: one GET, the redirect not followed. */
    private static Redirect authorize(String authorizationUrl) {
        String location = HubClient.authorizationRedirect(authorizationUrl);
        return new Redirect(location, query(location));
    }

    private Map<String, String> stateSecret(String state) {
        return vault.get(secretNameOf(state)).orElseThrow();
    }

    private String secretNameOf(String state) {
        return jdbc.sql("SELECT secret_name FROM oauth_states WHERE state = ?").param(state).query(String.class).single();
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        UriComponentsBuilder.fromUriString(url).build().getQueryParams()
                .forEach((k, v) -> out.put(k, URLDecoder.decode(v.get(0), StandardCharsets.UTF_8)));
        return out;
    }
}
