package sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static sandbox.hubspot.HubSpotSandboxFixture.BASE;
import static sandbox.hubspot.HubSpotSandboxFixture.OBJECTS;
import static sandbox.hubspot.HubSpotSandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/** Private-app tokens, the OAuth flow and its errors, access-token expiry, and portals isolated from each other. */
class HubSpotAuthTest {

    private static final String REDIRECT = "http://localhost:9/callback";

    private final HubSpotSandboxFixture sandbox = new HubSpotSandboxFixture(HubSpotSandboxProperties.defaults()
            .withCompanies(5).withPortalLimits(3, 2, Duration.ofMinutes(15)));

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void callsWithoutAValidTokenGetHubSpots401() throws Exception {
        for (String token : new String[] {null, "pat-na1-11111111-2222-3333-4444-555555555555", "nonsense",
                "pat-sandbox-Upper_Case"}) {
            MockHttpServletResponse response = sandbox.get(OBJECTS + "/companies", token);
            assertThat(response.getStatus()).as(token).isEqualTo(401);
            JsonNode error = json(response);
            assertThat(error.get("status").asText()).isEqualTo("error");
            assertThat(error.get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
            assertThat(error.get("message").asText()).startsWith("Authentication credentials not found.");
        }
        assertThat(sandbox.get(OBJECTS + "/companies", "pat-sandbox").getStatus()).isEqualTo(200);
        assertThat(sandbox.portals.namedPortals()).isZero();
    }

    @Test
    void portalsAreIsolatedAndSeededAlike() throws Exception {
        String a = HubSpotSandboxFixture.portalToken("alpha");
        String b = HubSpotSandboxFixture.portalToken("beta");
        JsonNode first = json(sandbox.get(OBJECTS + "/companies?limit=1&properties=name", a));
        String id = first.at("/results/0/id").asText();
        assertThat(json(sandbox.get(OBJECTS + "/companies/" + id + "?properties=name", b)).at("/properties/name"))
                .isEqualTo(first.at("/results/0/properties/name"));

        sandbox.send(org.springframework.http.HttpMethod.PATCH, OBJECTS + "/companies/" + id, a,
                "{\"properties\":{\"name\":\"Only In Alpha\"}}");
        String created = json(sandbox.post(OBJECTS + "/companies", a, "{\"properties\":{\"name\":\"New In Alpha\"}}"))
                .get("id").asText();
        assertThat(json(sandbox.get(OBJECTS + "/companies/" + id + "?properties=name", b)).at("/properties/name").asText())
                .isNotEqualTo("Only In Alpha");
        assertThat(sandbox.get(OBJECTS + "/companies/" + created, b).getStatus()).isEqualTo(404);
        assertThat(sandbox.portals.find("alpha").portalId()).isNotEqualTo(sandbox.portals.find("beta").portalId());
        assertThat(json(sandbox.get(BASE + "/setup/portal", a)).get("records").get("companies").asInt()).isEqualTo(6);

        // a reset drops alpha's changes
        JsonNode reset = json(sandbox.post(BASE + "/setup/reset", a, "{\"companies\":3}"));
        assertThat(reset.get("records").get("companies").asInt()).isEqualTo(3);
        assertThat(sandbox.get(OBJECTS + "/companies/" + created, a).getStatus()).isEqualTo(404);
        assertThat(json(sandbox.get(OBJECTS + "/companies/" + id + "?properties=name", a)).at("/properties/name").asText())
                .isNotEqualTo("Only In Alpha");
    }

    @Test
    void namedPortalsAreBoundedPerClient() throws Exception {
        assertThat(sandbox.get(OBJECTS + "/companies", HubSpotSandboxFixture.portalToken("one")).getStatus()).isEqualTo(200);
        assertThat(sandbox.get(OBJECTS + "/companies", HubSpotSandboxFixture.portalToken("two")).getStatus()).isEqualTo(200);
        MockHttpServletResponse third = sandbox.get(OBJECTS + "/companies", HubSpotSandboxFixture.portalToken("three"));
        assertThat(third.getStatus()).isEqualTo(401);
        assertThat(json(third).get("message").asText()).contains("max-portals-per-client");
        // portals in use stay reachable; once one is idle long enough, it makes room
        assertThat(sandbox.get(OBJECTS + "/companies", HubSpotSandboxFixture.portalToken("one")).getStatus()).isEqualTo(200);
        sandbox.clock.advance(Duration.ofMinutes(16));
        assertThat(sandbox.get(OBJECTS + "/companies", HubSpotSandboxFixture.portalToken("one")).getStatus()).isEqualTo(200);
        assertThat(sandbox.get(OBJECTS + "/companies", HubSpotSandboxFixture.portalToken("three")).getStatus()).isEqualTo(200);
        assertThat(sandbox.portals.find("two")).isNull();
    }

    @Test
    void authorizationCodeAndRefreshGrantsIssueTokensForTheChosenPortal() throws Exception {
        JsonNode login = sandbox.oauthLogin("admin+oauthed@sandbox.example");
        assertThat(login.get("token_type").asText()).isEqualTo("bearer");
        assertThat(login.get("expires_in").asLong()).isEqualTo(1800);
        String access = login.get("access_token").asText();
        String refresh = login.get("refresh_token").asText();
        MockHttpServletResponse call = sandbox.get(OBJECTS + "/contacts?limit=1", access);
        assertThat(call.getStatus()).isEqualTo(200);
        assertThat(json(sandbox.get(BASE + "/setup/portal", access)).get("name").asText()).isEqualTo("oauthed");

        JsonNode info = json(sandbox.get(BASE + "/oauth/v1/access-tokens/" + access, null));
        assertThat(info.get("hub_id").asLong()).isEqualTo(sandbox.portals.find("oauthed").portalId());
        assertThat(info.get("expires_in").asLong()).isEqualTo(1800);

        MockHttpServletResponse refreshed = token("grant_type", "refresh_token", "refresh_token", refresh,
                "client_id", HubSpotTokens.CLIENT_ID, "client_secret", HubSpotTokens.CLIENT_SECRET);
        assertThat(refreshed.getStatus()).isEqualTo(200);
        JsonNode again = json(refreshed);
        assertThat(again.get("refresh_token").asText()).as("not rotated").isEqualTo(refresh);
        assertThat(again.get("access_token").asText()).isNotEqualTo(access);
        assertThat(sandbox.get(OBJECTS + "/contacts?limit=1", again.get("access_token").asText()).getStatus()).isEqualTo(200);

        MockHttpServletResponse revoked = sandbox.perform(MockMvcRequestBuilders.delete(BASE + "/oauth/v1/refresh-tokens/" + refresh));
        assertThat(revoked.getStatus()).isEqualTo(204);
        assertOAuthError(token("grant_type", "refresh_token", "refresh_token", refresh, "client_id",
                HubSpotTokens.CLIENT_ID, "client_secret", HubSpotTokens.CLIENT_SECRET), "invalid_grant", "BAD_REFRESH_TOKEN");
    }

    @Test
    void tokenEndpointErrorsHaveHubSpotsStatusCodes() throws Exception {
        assertOAuthError(token("grant_type", "password"), "unsupported_grant_type", "BAD_GRANT_TYPE");
        assertOAuthError(token("grant_type", "refresh_token", "client_id", "other", "client_secret", "x",
                "refresh_token", "y"), "invalid_client", "BAD_CLIENT_ID");
        assertOAuthError(token("grant_type", "refresh_token", "client_id", HubSpotTokens.CLIENT_ID, "client_secret", "x",
                "refresh_token", "y"), "invalid_client", "BAD_CLIENT_SECRET");
        assertOAuthError(token("grant_type", "authorization_code", "client_id", HubSpotTokens.CLIENT_ID, "client_secret",
                HubSpotTokens.CLIENT_SECRET, "code", "made-up", "redirect_uri", REDIRECT), "invalid_grant", "BAD_AUTH_CODE");

        // a code is used once, and only with the redirect URI it was issued for
        String code = code("");
        assertOAuthError(token("grant_type", "authorization_code", "client_id", HubSpotTokens.CLIENT_ID, "client_secret",
                HubSpotTokens.CLIENT_SECRET, "code", code, "redirect_uri", "http://localhost:9/other"), "invalid_grant",
                "BAD_REDIRECT_URI");
        assertOAuthError(token("grant_type", "authorization_code", "client_id", HubSpotTokens.CLIENT_ID, "client_secret",
                HubSpotTokens.CLIENT_SECRET, "code", code, "redirect_uri", REDIRECT), "invalid_grant", "BAD_AUTH_CODE");
    }

    @Test
    void authorizeRedirectsToThisMachineOnly() throws Exception {
        MockHttpServletResponse elsewhere = sandbox.perform(MockMvcRequestBuilders.get(BASE + "/oauth/authorize")
                .param("client_id", HubSpotTokens.CLIENT_ID).param("redirect_uri", "https://evil.example/cb"));
        assertThat(elsewhere.getStatus()).isEqualTo(400);
        assertThat(elsewhere.getHeader("Location")).isNull();
        MockHttpServletResponse unknownClient = sandbox.perform(MockMvcRequestBuilders.get(BASE + "/oauth/authorize")
                .param("client_id", "someone").param("redirect_uri", REDIRECT));
        assertThat(unknownClient.getStatus()).isEqualTo(400);
        MockHttpServletResponse badHint = sandbox.perform(MockMvcRequestBuilders.get(BASE + "/oauth/authorize")
                .param("client_id", HubSpotTokens.CLIENT_ID).param("redirect_uri", REDIRECT).param("state", "st")
                .param("login_hint", "Not A Portal!"));
        assertThat(badHint.getStatus()).isEqualTo(302);
        assertThat(badHint.getHeader("Location")).startsWith(REDIRECT + "?error=invalid_request").endsWith("&state=st");
    }

    @Test
    void accessTokensExpireWithHubSpots401AndTheirLifetimeIsSetPerPortal() throws Exception {
        JsonNode login = sandbox.oauthLogin("expiring");
        String access = login.get("access_token").asText();
        sandbox.clock.advance(Duration.ofMinutes(30).plusSeconds(75));
        MockHttpServletResponse expired = sandbox.get(OBJECTS + "/companies", access);
        assertThat(expired.getStatus()).isEqualTo(401);
        JsonNode error = json(expired);
        assertThat(error.get("category").asText()).isEqualTo("EXPIRED_AUTHENTICATION");
        assertThat(error.get("message").asText()).isEqualTo("The OAuth token used to make this call expired 75 second(s) ago.");
        assertThat(error.at("/context/expire time/0").asText()).isEqualTo("2026-06-01T12:30:00.000Z");
        assertThat(sandbox.get(BASE + "/oauth/v1/access-tokens/" + access, null).getStatus()).isEqualTo(404);

        // the portal's own token lifetime, set through setup (private-app tokens never expire)
        String pat = HubSpotSandboxFixture.portalToken("expiring");
        assertThat(json(sandbox.post(BASE + "/setup/tokens", pat, "{\"accessTokenTtlSeconds\":60}"))
                .get("accessTokenTtlSeconds").asLong()).isEqualTo(60);
        JsonNode shortLived = json(token("grant_type", "refresh_token", "refresh_token", login.get("refresh_token").asText(),
                "client_id", HubSpotTokens.CLIENT_ID, "client_secret", HubSpotTokens.CLIENT_SECRET));
        assertThat(shortLived.get("expires_in").asLong()).isEqualTo(60);
        String fresh = shortLived.get("access_token").asText();
        assertThat(sandbox.get(OBJECTS + "/companies", fresh).getStatus()).isEqualTo(200);
        sandbox.clock.advance(Duration.ofSeconds(61));
        assertThat(json(sandbox.get(OBJECTS + "/companies", fresh)).get("category").asText()).isEqualTo("EXPIRED_AUTHENTICATION");
        assertThat(sandbox.get(OBJECTS + "/companies", pat).getStatus()).isEqualTo(200);

        // expire on demand
        String another = json(token("grant_type", "refresh_token", "refresh_token", login.get("refresh_token").asText(),
                "client_id", HubSpotTokens.CLIENT_ID, "client_secret", HubSpotTokens.CLIENT_SECRET)).get("access_token").asText();
        assertThat(json(sandbox.post(BASE + "/setup/tokens/expire", pat, null)).get("expired").asInt()).isEqualTo(1);
        assertThat(json(sandbox.get(OBJECTS + "/companies", another)).get("message").asText())
                .isEqualTo("The OAuth token used to make this call expired 0 second(s) ago.");
        assertThat(sandbox.post(BASE + "/setup/tokens", pat, "{\"accessTokenTtlSeconds\":0}").getStatus()).isEqualTo(400);
    }

    private String code(String portal) throws Exception {
        MockHttpServletResponse authorized = sandbox.perform(MockMvcRequestBuilders.get(BASE + "/oauth/authorize")
                .param("client_id", HubSpotTokens.CLIENT_ID).param("redirect_uri", REDIRECT).param("login_hint", portal));
        return authorized.getHeader("Location").replaceAll(".*[?&]code=([^&]+).*", "$1");
    }

    private MockHttpServletResponse token(String... form) throws Exception {
        var request = MockMvcRequestBuilders.post(BASE + "/oauth/v1/token").contentType(MediaType.APPLICATION_FORM_URLENCODED);
        for (int i = 0; i < form.length; i += 2) {
            request.param(form[i], form[i + 1]);
        }
        return sandbox.perform(request);
    }

    private static void assertOAuthError(MockHttpServletResponse response, String error, String status) throws Exception {
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentType()).startsWith("application/json");
        JsonNode body = json(response);
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("status").asText()).isEqualTo(status);
        assertThat(body.get("message").asText()).isEqualTo(body.get("error_description").asText()).isNotBlank();
    }
}
