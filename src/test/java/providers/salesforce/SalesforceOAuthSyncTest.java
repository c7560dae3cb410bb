package providers.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.util.UriComponentsBuilder;

import api.HubTokenEndpoint;
import hub.EmbeddedHubTest;
import hub.HubClient;
import sandbox.salesforce.SandboxOrgs;
import sandbox.salesforce.SandboxTokens;
import security.CredentialVault;
import store.Connection;
import store.ConnectionStore;

/**
 * A Salesforce integration connected by the authorization-code flow syncs through camel-salesforce,
 * which logs in at the hub (never at Salesforce with the real refresh token): when Salesforce ends
 * the access token, camel logs in again, the hub refreshes the token, and the sync goes on.
 */
@ExtendWith(OutputCaptureExtension.class)
class SalesforceOAuthSyncTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    CredentialVault vault;
    @Autowired
    ConnectionStore connections;
    @Autowired
    SandboxTokens sandboxTokens;
    @Autowired
    SandboxOrgs sandboxOrgs;
    @Autowired
    HubTokenEndpoint endpoint;

    @Test
    void connectsByOAuthSyncsAndSurvivesAnExpiredAccessToken(CapturedOutput output) {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String org = "oauthsync-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(), Map.of("providerId", "salesforce", "name", "sf oauth"))
                .get("id").asText();

        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", tenant.key(),
                Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "loginUrl", hub.sandboxUrl(),
                        "scope", "api refresh_token", "loginHint", HubClient.sandboxUser(org)));
        HubClient.Response callback = hub.call("GET", authorize(start.get("authorizationUrl").asText()), null, null);
        assertThat(callback.status()).as(callback.raw()).isEqualTo(200);
        assertThat(callback.body().get("status").asText()).as(callback.raw()).isEqualTo("connected");

        Connection connection = connections.find(integration).orElseThrow();
        assertThat(connection.status()).isEqualTo(Connection.Status.CONNECTED);
        Map<String, String> first = vault.get(connection.secretName()).orElseThrow();
        assertThat(first.get("identityUrl")).as("the identity URL is kept").contains("/id/");

        String task = hub.task(tenant.key(), integration, "Account", "full");
        JsonNode sync = hub.runAndWait(tenant.key(), integration, task, TIMEOUT);
        assertThat(sync.get("status").asText()).as(sync.toString()).isEqualTo("completed");
        assertThat(sync.get("recordsProcessed").asLong()).isEqualTo(1000);
        assertThat(sync.get("recordsCreated").asLong()).isEqualTo(1000);

        // Salesforce ends the session: camel's next call gets 401 INVALID_SESSION_ID and logs in again at the hub
        sandboxTokens.expireAccessTokens(sandboxOrgs.forUsername(HubClient.sandboxUser(org)).orElseThrow());
        assertThat(hub.sandbox("GET", first.get("accessToken"), "/limits", null).status()).isEqualTo(401);

        JsonNode again = hub.runAndWait(tenant.key(), integration, task, TIMEOUT);
        assertThat(again.get("status").asText()).as(again.toString()).isEqualTo("completed");
        assertThat(again.get("recordsProcessed").asLong()).isEqualTo(1000);
        assertThat(again.get("recordsUnchanged").asLong()).isEqualTo(1000);

        Map<String, String> renewed = vault.get(connection.secretName()).orElseThrow();
        assertThat(renewed.get("accessToken")).as("the hub refreshed the token").isNotEqualTo(first.get("accessToken"));
        assertThat(hub.sandbox("GET", renewed.get("accessToken"), "/limits", null).status()).isEqualTo(200);
        assertThat(connections.find(integration).orElseThrow().status()).isEqualTo(Connection.Status.CONNECTED);

        for (String secret : new String[] {first.get("refreshToken"), renewed.get("refreshToken")}) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
    }

    @Test
    void aTokenAboutToExpireIsRefreshedBeforeItIsUsed() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String org = "oauthsoon-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(), Map.of("providerId", "salesforce", "name", "sf soon"))
                .get("id").asText();
        JsonNode start = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/oauth", tenant.key(),
                Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "loginUrl", hub.sandboxUrl(),
                        "scope", "api refresh_token", "loginHint", HubClient.sandboxUser(org)));
        assertThat(hub.call("GET", authorize(start.get("authorizationUrl").asText()), null, null).status()).isEqualTo(200);
        String task = hub.task(tenant.key(), integration, "Account", "full");
        assertThat(hub.runAndWait(tenant.key(), integration, task, TIMEOUT).get("status").asText()).isEqualTo("completed");

        // the token now expires in two minutes (Salesforce has not ended it): without a refresh on use, the
        // session would go on with it and nothing would be refreshed
        Connection connection = connections.find(integration).orElseThrow();
        Map<String, String> before = new java.util.HashMap<>(vault.get(connection.secretName()).orElseThrow());
        java.time.OffsetDateTime soon = java.time.OffsetDateTime.now().plusMinutes(2);
        before.put("expiresAt", soon.toString());
        vault.put(connection.secretName(), tenant.id(), before);
        connections.recordExpiry(integration, soon);

        JsonNode again = hub.runAndWait(tenant.key(), integration, task, TIMEOUT);
        assertThat(again.get("status").asText()).as(again.toString()).isEqualTo("completed");
        Map<String, String> after = vault.get(connection.secretName()).orElseThrow();
        assertThat(after.get("accessToken")).as("refreshed before use").isNotEqualTo(before.get("accessToken"));
        assertThat(connections.find(integration).orElseThrow().expiresAt()).isAfter(java.time.OffsetDateTime.now().plusMinutes(30));
    }

    @Test
    void theTokenEndpointRefusesAWrongHandle() throws Exception {
        HubClient hub = hub();
        // no API key: the endpoint is outside /api, the handle is what authenticates
        HttpResponse<String> refused = postForm(hub.baseUrl() + "/internal/salesforce-token/some-integration/services/oauth2/token",
                Map.of("grant_type", "refresh_token", "refresh_token", "not-the-handle", "client_id", "sandbox-client",
                        "client_secret", "sandbox-secret"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode body = HubClient.JSON.readTree(refused.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_grant");
        assertThat(body.get("error_description").asText()).isEqualTo("authentication failure");
        assertThat(refused.body()).doesNotContain("sandbox-secret");
    }

    @Test
    void theTokenEndpointRefusesCallersOffLoopback() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/internal/salesforce-token/x/services/oauth2/token");
        request.setRemoteAddr("203.0.113.7");
        ResponseEntity<Map<String, Object>> answer = endpoint.token("x", Map.of("grant_type", "refresh_token", "refresh_token", "h"), request);
        assertThat(answer.getStatusCode().value()).isEqualTo(403);
        assertThat(answer.getBody()).doesNotContainKey("access_token");
        assertThat(endpoint.revoke("x", request).getStatusCode().value()).isEqualTo(403);

        request.setRemoteAddr("127.0.0.1");
        assertThat(HubTokenEndpoint.loopback(request)).isTrue();
        request.setRemoteAddr("::1");
        assertThat(HubTokenEndpoint.loopback(request)).isTrue();
        request.setRemoteAddr("localhost.attacker.example");
        assertThat(HubTokenEndpoint.loopback(request)).isFalse();
    }

    private static HttpResponse<String> postForm(String url, Map<String, String> form) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Plays the browser at the sandbox's authorization endpoint; returns the callback URL it redirects to. */
    private static String authorize(String authorizationUrl) {
        String location = HubClient.authorizationRedirect(authorizationUrl);
        assertThat(UriComponentsBuilder.fromUriString(location).build().getQueryParams().getFirst("code")).isNotNull();
        return location;
    }
}
