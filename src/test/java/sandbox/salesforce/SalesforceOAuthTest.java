package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static sandbox.salesforce.SandboxFixture.DATA;
import static sandbox.salesforce.SandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.util.UriComponentsBuilder;

class SalesforceOAuthTest {

    private static final String REDIRECT = "http://localhost:3000/callback";
    private final SandboxFixture sandbox = new SandboxFixture(210, 2000);

    @Test
    void passwordGrantReturnsExactlyTheSixFields() throws Exception {
        MockHttpServletResponse response = sandbox.passwordLogin("admin@sandbox.example", "sandbox");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo("application/json;charset=UTF-8");
        JsonNode body = json(response);
        assertThat(fieldNames(body)).containsExactly("access_token", "instance_url", "id", "token_type", "issued_at",
                "signature");
        SandboxOrg org = sandbox.orgs.defaultOrg();
        assertThat(body.get("instance_url").asText()).isEqualTo(SandboxFixture.BASE);
        assertThat(body.get("id").asText()).isEqualTo(SandboxFixture.BASE + "/id/" + org.orgId() + "/" + org.userId());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("issued_at").asText()).isEqualTo(Long.toString(sandbox.clock.millis()));
        assertThat(body.get("signature").asText())
                .isEqualTo(SalesforceOAuthController.signature(body.get("id").asText() + body.get("issued_at").asText()));
        // camel's org id parse: 18 chars after the first "id/"
        String id = body.get("id").asText();
        assertThat(id.substring(id.indexOf("id/") + 3, id.indexOf("id/") + 21)).isEqualTo(org.orgId());
        assertThat(body.get("access_token").asText()).startsWith(org.orgId().substring(0, 15) + "!");
    }

    @Test
    void passwordGrantRejectsBadCredentialsAndClients() throws Exception {
        assertOAuthError(sandbox.passwordLogin("admin@sandbox.example", "wrong"), "invalid_grant", "authentication failure");
        assertOAuthError(sandbox.passwordLogin("someone@sandbox.example", "sandbox"), "invalid_grant",
                "authentication failure");
        assertOAuthError(sandbox.passwordLogin("admin+Bad_Name@sandbox.example", "sandbox"), "invalid_grant",
                "authentication failure");
        assertOAuthError(token(Map.of("grant_type", "password", "client_id", "other", "client_secret", "x",
                "username", "admin@sandbox.example", "password", "sandbox")), "invalid_client_id",
                "client identifier invalid");
        assertOAuthError(token(Map.of("grant_type", "password", "client_id", "sandbox-client", "client_secret", "x",
                "username", "admin@sandbox.example", "password", "sandbox")), "invalid_client",
                "invalid client credentials");
        assertOAuthError(token(Map.of("grant_type", "magic", "client_id", "sandbox-client")), "unsupported_grant_type",
                "grant type not supported");
    }

    @Test
    void authorizationCodeWithPkceIssuesRefreshTokensThatWork() throws Exception {
        String verifier = "a-verifier-with-enough-entropy-0123456789-abcdefghijkl";
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        MockHttpServletResponse redirect = sandbox.perform(get("/sandbox/salesforce/services/oauth2/authorize")
                .param("response_type", "code").param("client_id", "sandbox-client").param("redirect_uri", REDIRECT)
                .param("state", "s 1").param("code_challenge", challenge)
                .param("login_hint", "admin+web@sandbox.example"));
        assertThat(redirect.getStatus()).isEqualTo(302);
        Map<String, String> query = redirectQuery(redirect.getHeader("Location"));
        assertThat(query.get("state")).isEqualTo("s 1");

        MockHttpServletResponse tokens = token(Map.of("grant_type", "authorization_code", "code", query.get("code"),
                "client_id", "sandbox-client", "client_secret", "sandbox-secret", "redirect_uri", REDIRECT,
                "code_verifier", verifier));
        assertThat(tokens.getStatus()).isEqualTo(200);
        JsonNode body = json(tokens);
        assertThat(body.get("scope").asText()).isEqualTo("api refresh_token");
        assertThat(body.get("id").asText()).contains(sandbox.orgs.forUsername("admin+web@sandbox.example")
                .orElseThrow().orgId());
        String refreshToken = body.get("refresh_token").asText();

        // single use
        assertOAuthError(token(Map.of("grant_type", "authorization_code", "code", query.get("code"),
                "client_id", "sandbox-client", "redirect_uri", REDIRECT, "code_verifier", verifier)),
                "invalid_grant", "invalid authorization code");

        MockHttpServletResponse refreshed = token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", "sandbox-client", "client_secret", "sandbox-secret"));
        assertThat(refreshed.getStatus()).isEqualTo(200);
        JsonNode refreshedBody = json(refreshed);
        assertThat(fieldNames(refreshedBody)).containsExactlyInAnyOrder("access_token", "instance_url", "id",
                "token_type", "issued_at", "signature", "scope");
        String accessToken = refreshedBody.get("access_token").asText();
        assertThat(sandbox.get(DATA + "/limits/", accessToken).getStatus()).isEqualTo(200);

        // revoking the refresh token takes the access tokens it issued with it
        assertThat(sandbox.perform(post("/sandbox/salesforce/services/oauth2/revoke")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).param("token", refreshToken)).getStatus())
                .isEqualTo(200);
        assertThat(sandbox.get(DATA + "/limits/", accessToken).getStatus()).isEqualTo(401);
        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", "sandbox-client")), "invalid_grant", "expired access/refresh token");
    }

    @Test
    void pkceFailuresAndRedirectMismatch() throws Exception {
        String challenge = "plain-challenge-value";
        assertOAuthError(exchange(code(challenge, "plain"), REDIRECT, null), "invalid_grant", "invalid code verifier");
        assertOAuthError(exchange(code(challenge, "plain"), REDIRECT, "other"), "invalid_request",
                "invalid code verifier");
        assertThat(exchange(code(challenge, "plain"), REDIRECT, challenge).getStatus()).isEqualTo(200);
        assertOAuthError(exchange(code(challenge, null), REDIRECT, "wrong"), "invalid_request", "invalid code verifier");
        assertOAuthError(exchange(code(null, null), "http://elsewhere/cb", null), "redirect_uri_mismatch",
                "redirect_uri must match configuration");
        assertThat(exchange(code(null, null), REDIRECT, null).getStatus()).isEqualTo(200);
    }

    @Test
    void authorizationCodesExpireAfterTenMinutes() throws Exception {
        String code = code(null, null);
        sandbox.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertOAuthError(exchange(code, REDIRECT, null), "invalid_grant", "invalid authorization code");
    }

    @Test
    void authorizeRejectsUnknownClientAndRedirectsDenials() throws Exception {
        MockHttpServletResponse unknown = sandbox.perform(get("/sandbox/salesforce/services/oauth2/authorize")
                .param("response_type", "code").param("client_id", "nope").param("redirect_uri", REDIRECT));
        assertOAuthError(unknown, "invalid_client_id", "client identifier invalid");
        MockHttpServletResponse denied = sandbox.perform(get("/sandbox/salesforce/services/oauth2/authorize")
                .param("response_type", "code").param("client_id", "sandbox-client").param("redirect_uri", REDIRECT)
                .param("login_hint", "mallory@example.com").param("state", "x"));
        assertThat(denied.getStatus()).isEqualTo(302);
        assertThat(redirectQuery(denied.getHeader("Location"))).containsEntry("error", "access_denied")
                .containsEntry("state", "x");
    }

    @Test
    void expiredOrRevokedTokensGetInvalidSessionId() throws Exception {
        String token = sandbox.login("admin@sandbox.example");
        assertThat(sandbox.get(DATA + "/limits", token).getStatus()).isEqualTo(200);

        sandbox.clock.advance(sandbox.properties.tokenTtl());
        assertInvalidSession(sandbox.get(DATA + "/limits", token));

        String second = sandbox.login("admin@sandbox.example");
        sandbox.tokens.expireAccessTokens(sandbox.orgs.defaultOrg());
        assertInvalidSession(sandbox.get(DATA + "/limits", second));

        sandbox.tokens.setTokenTtl(Duration.ofMinutes(1));
        String third = sandbox.login("admin@sandbox.example");
        sandbox.clock.advance(Duration.ofSeconds(59));
        assertThat(sandbox.get(DATA + "/limits", third).getStatus()).isEqualTo(200);
        sandbox.clock.advance(Duration.ofSeconds(1));
        assertInvalidSession(sandbox.get(DATA + "/limits", third));

        String fourth = sandbox.login("admin@sandbox.example");
        assertThat(sandbox.perform(get("/sandbox/salesforce/services/oauth2/revoke").param("token", fourth)).getStatus())
                .isEqualTo(200);
        assertInvalidSession(sandbox.get(DATA + "/limits", fourth));
        assertThat(sandbox.perform(get("/sandbox/salesforce/services/oauth2/revoke").param("token", "unknown"))
                .getStatus()).isEqualTo(200);

        assertInvalidSession(sandbox.get(DATA + "/limits", null));
        assertInvalidSession(sandbox.get(DATA + "/limits", "garbage"));
    }

    @Test
    void acceptsOAuthSchemeAndServesIdentity() throws Exception {
        String token = sandbox.login("admin@sandbox.example");
        MockHttpServletResponse response = sandbox.perform(get(DATA + "/limits").header("Authorization", "OAuth " + token));
        assertThat(response.getStatus()).isEqualTo(200);
        SandboxOrg org = sandbox.orgs.defaultOrg();
        MockHttpServletResponse identity = sandbox.perform(get("/sandbox/salesforce/id/" + org.orgId() + "/"
                + org.userId()).param("format", "json").param("oauth_token", token));
        assertThat(json(identity).get("organization_id").asText()).isEqualTo(org.orgId());
        assertThat(json(identity).get("user_id").asText()).isEqualTo(org.userId());
    }

    private void assertInvalidSession(MockHttpServletResponse response) throws Exception {
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getContentType()).isEqualTo("application/json;charset=UTF-8");
        assertThat(response.getContentAsString())
                .isEqualTo("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
    }

    private String code(String challenge, String method) throws Exception {
        var request = get("/sandbox/salesforce/services/oauth2/authorize").param("response_type", "code")
                .param("client_id", "sandbox-client").param("redirect_uri", REDIRECT);
        if (challenge != null) {
            request.param("code_challenge", challenge);
        }
        if (method != null) {
            request.param("code_challenge_method", method);
        }
        return redirectQuery(sandbox.perform(request).getHeader("Location")).get("code");
    }

    private MockHttpServletResponse exchange(String code, String redirectUri, String verifier) throws Exception {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "code", code,
                "client_id", "sandbox-client", "redirect_uri", redirectUri));
        if (verifier != null) {
            form.put("code_verifier", verifier);
        }
        return token(form);
    }

    private MockHttpServletResponse token(Map<String, String> form) throws Exception {
        var request = post("/sandbox/salesforce/services/oauth2/token").contentType(MediaType.APPLICATION_FORM_URLENCODED);
        form.forEach(request::param);
        return sandbox.perform(request);
    }

    private static void assertOAuthError(MockHttpServletResponse response, String error, String description)
            throws Exception {
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentType()).isEqualTo("application/json;charset=UTF-8");
        JsonNode body = json(response);
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isEqualTo(description);
    }

    private static Map<String, String> redirectQuery(String location) {
        assertThat(location).startsWith(REDIRECT + "?");
        Map<String, String> out = new LinkedHashMap<>();
        UriComponentsBuilder.fromUriString(location).build().getQueryParams().forEach((k, v) ->
                out.put(k, URLDecoder.decode(v.get(0), StandardCharsets.UTF_8)));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
