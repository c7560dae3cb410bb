package connections.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import hub.InvalidInputException;
import hub.UpstreamFailureException;
import providers.ProviderDescriptor;
import providers.salesforce.SalesforceOAuthServer;
import security.OAuthServer;

/** The flow's pure parts: which providers may start it, PKCE, and how a token answer becomes credentials. */
class AuthorizationCodeFlowTest {

    private static final OAuthServer SALESFORCE = new SalesforceOAuthServer("https://login.salesforce.com");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> CLIENT = Map.of("clientId", "the-client", "clientSecret", "the-secret", "codeVerifier", "v");

    @Test
    void aProviderWithoutAuthorizationCodeCredentialsIsRefused() {
        ProviderDescriptor apiKeyOnly = new ProviderDescriptor("keyed", "Keyed", "crm", "active", "tenant", List.of("api_key"),
                List.of("Item"), List.of(), 60);
        assertThatThrownBy(() -> AuthorizationCodeFlow.requireOAuthCapable(apiKeyOnly))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("providerId");
                    assertThat(e.getMessage()).contains("Keyed does not take oauth2_authorization_code");
                });
        ProviderDescriptor oauth = new ProviderDescriptor("sf", "SF", "crm", "active", "tenant",
                List.of("oauth2_password", "oauth2_authorization_code"), List.of("Item"), List.of(), 60);
        AuthorizationCodeFlow.requireOAuthCapable(oauth);
    }

    @Test
    void verifiersAndStatesAreRandomAndChallengesAreS256() {
        String verifier = Pkce.randomToken();
        assertThat(verifier).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(Pkce.randomToken());
        assertThat(Pkce.challenge(verifier)).hasSize(43).isEqualTo(Pkce.challenge(verifier)).isNotEqualTo(verifier);
        // base64url(SHA-256("abc")), unpadded
        assertThat(Pkce.challenge("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }

    @Test
    void salesforceAnswersLeaveTheExpiryOpen() throws Exception {
        JsonNode answer = JSON.readTree("""
                {"access_token":"00D!AQ.token","refresh_token":"5Aep.refresh","instance_url":"https://na1.example.com",
                 "id":"https://login.example.com/id/00D/005","token_type":"Bearer","issued_at":"1704067200000",
                 "signature":"sig","scope":"api refresh_token"}""");
        Map<String, String> credentials = AuthorizationCodeFlow.credentials(answer, CLIENT, "https://login.example.com/services/oauth2/token",
                SALESFORCE.tokenAnswerFields());
        assertThat(credentials).containsEntry("clientId", "the-client").containsEntry("clientSecret", "the-secret")
                .containsEntry("accessToken", "00D!AQ.token").containsEntry("refreshToken", "5Aep.refresh")
                .containsEntry("instanceUrl", "https://na1.example.com").containsEntry("scope", "api refresh_token")
                .containsEntry("tokenUrl", "https://login.example.com/services/oauth2/token")
                .doesNotContainKeys("expiresAt", "codeVerifier");
    }

    @Test
    void expiresInCountsFromIssuedAt() throws Exception {
        JsonNode answer = JSON.readTree("""
                {"access_token":"t","issued_at":"1704067200000","expires_in":300}""");
        assertThat(AuthorizationCodeFlow.expiresAt(answer)).isEqualTo("2024-01-01T00:05:00Z");
        assertThat(AuthorizationCodeFlow.credentials(answer, CLIENT, "https://x.example/token", Map.of())).containsEntry("expiresAt",
                "2024-01-01T00:05:00Z");
    }

    @Test
    void anAnswerWithoutAnAccessTokenIsTheProvidersFault() throws Exception {
        JsonNode answer = JSON.readTree("{\"token_type\":\"Bearer\"}");
        assertThatThrownBy(() -> AuthorizationCodeFlow.credentials(answer, CLIENT, "https://x.example/token", Map.of()))
                .isInstanceOfSatisfying(UpstreamFailureException.class, e -> {
                    assertThat(e.getMessage()).contains("accessToken").doesNotContain("the-secret");
                });
    }

    @Test
    void theRequestDoesNotPrintItsSecret() {
        assertThat(new OAuthConnectRequest("id", "s3cret-value", null, null, null, null).toString()).doesNotContain("s3cret-value");
    }
}
