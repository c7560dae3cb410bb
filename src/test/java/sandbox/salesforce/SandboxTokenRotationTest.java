package sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static sandbox.salesforce.SandboxFixture.DATA;
import static sandbox.salesforce.SandboxFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The sandbox's configurable token behaviour: rotating refresh tokens and short-lived access tokens
 * (with expires_in), on the fixture's orgs, tokens and clock with an OAuth controller built from
 * settings that differ from the defaults.
 */
class SandboxTokenRotationTest {

    private static final String REDIRECT = "http://localhost:3000/callback";
    private final SandboxFixture sandbox = new SandboxFixture(10, 2000);

    @Test
    void rotationIssuesANewRefreshTokenAndRefusesTheUsedOne() throws Exception {
        MockMvc mvc = sandboxWith(sandbox.properties.withRotateRefreshTokens(true));
        String first = authorizationCodeTokens(mvc).get("refresh_token").asText();

        MockHttpServletResponse refreshed = refresh(mvc, first);
        assertThat(refreshed.getStatus()).isEqualTo(200);
        JsonNode body = json(refreshed);
        String second = body.get("refresh_token").asText();
        assertThat(second).isNotBlank().isNotEqualTo(first);
        assertThat(body.has("expires_in")).as("no expires_in without a configured access-token-ttl").isFalse();
        assertThat(sandbox.get(DATA + "/limits/", body.get("access_token").asText()).getStatus()).isEqualTo(200);

        MockHttpServletResponse reused = refresh(mvc, first);
        assertThat(reused.getStatus()).isEqualTo(400);
        assertThat(json(reused).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(json(reused).get("error_description").asText()).isEqualTo("expired access/refresh token");

        MockHttpServletResponse next = refresh(mvc, second);
        assertThat(next.getStatus()).as("the rotated token works once").isEqualTo(200);
        assertThat(sandbox.get(DATA + "/limits/", json(next).get("access_token").asText()).getStatus()).isEqualTo(200);
    }

    @Test
    void withoutRotationARefreshTokenIsReusableAndNoNewOneIsIssued() throws Exception {
        MockMvc mvc = sandboxWith(sandbox.properties);
        String refreshToken = authorizationCodeTokens(mvc).get("refresh_token").asText();
        MockHttpServletResponse once = refresh(mvc, refreshToken);
        MockHttpServletResponse twice = refresh(mvc, refreshToken);
        assertThat(once.getStatus()).isEqualTo(200);
        assertThat(twice.getStatus()).isEqualTo(200);
        assertThat(json(twice).has("refresh_token")).isFalse();
    }

    @Test
    void shortLivedAccessTokensExpireAfterTheTtlAndSayExpiresIn() throws Exception {
        MockMvc mvc = sandboxWith(sandbox.properties.withAccessTokenTtl(Duration.ofSeconds(30)));
        JsonNode tokens = authorizationCodeTokens(mvc);
        assertThat(tokens.get("expires_in").asLong()).isEqualTo(30);
        String accessToken = tokens.get("access_token").asText();
        assertThat(sandbox.get(DATA + "/limits/", accessToken).getStatus()).isEqualTo(200);

        sandbox.clock.advance(Duration.ofSeconds(30));
        MockHttpServletResponse expired = sandbox.get(DATA + "/limits/", accessToken);
        assertThat(expired.getStatus()).isEqualTo(401);
        assertThat(expired.getContentAsString()).contains("INVALID_SESSION_ID");

        MockHttpServletResponse refreshed = refresh(mvc, tokens.get("refresh_token").asText());
        assertThat(json(refreshed).get("expires_in").asLong()).isEqualTo(30);
        assertThat(sandbox.get(DATA + "/limits/", json(refreshed).get("access_token").asText()).getStatus()).isEqualTo(200);
    }

    @Test
    void theSettingsAreBoundFromProperties() {
        new WebApplicationContextRunner().withUserConfiguration(HubLikeScan.class)
                .withPropertyValues("hub.sandbox.enabled=true", "hub.sandbox.salesforce.accounts=5",
                        "hub.sandbox.salesforce.access-token-ttl=45s", "hub.sandbox.salesforce.rotate-refresh-tokens=true")
                .run(context -> {
                    SalesforceSandboxProperties properties = context.getBean(SalesforceSandboxProperties.class);
                    assertThat(properties.accessTokenTtl()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(properties.rotateRefreshTokens()).isTrue();
                    MockMvc mvc = MockMvcBuilders.standaloneSetup(context.getBean(SalesforceOAuthController.class)).build();
                    JsonNode tokens = authorizationCodeTokens(mvc);
                    assertThat(tokens.get("expires_in").asLong()).isEqualTo(45);
                    String first = tokens.get("refresh_token").asText();
                    assertThat(refresh(mvc, first).getStatus()).isEqualTo(200);
                    assertThat(refresh(mvc, first).getStatus()).isEqualTo(400);
                });
        new WebApplicationContextRunner().withUserConfiguration(HubLikeScan.class)
                .withPropertyValues("hub.sandbox.enabled=true", "hub.sandbox.salesforce.accounts=5",
                        "hub.sandbox.salesforce.access-token-ttl=")
                .run(context -> {
                    SalesforceSandboxProperties properties = context.getBean(SalesforceSandboxProperties.class);
                    assertThat(properties.accessTokenTtl()).as("empty: Salesforce's behaviour").isNull();
                    assertThat(properties.rotateRefreshTokens()).isFalse();
                });
    }

    /** Scans like hub.CastielHubApplication does; not a stereotype, so no other scan picks it up. */
    @ComponentScan("sandbox.salesforce")
    @ConfigurationPropertiesScan("sandbox.salesforce")
    static class HubLikeScan {
    }

    private MockMvc sandboxWith(SalesforceSandboxProperties properties) {
        return MockMvcBuilders.standaloneSetup(new SalesforceOAuthController(sandbox.orgs, sandbox.tokens, properties)).build();
    }

    private static JsonNode authorizationCodeTokens(MockMvc mvc) throws Exception {
        String location = mvc.perform(get("/sandbox/salesforce/services/oauth2/authorize").param("response_type", "code")
                .param("client_id", SalesforceOAuthController.CLIENT_ID).param("redirect_uri", REDIRECT).param("state", "s"))
                .andReturn().getResponse().getHeader("Location");
        String code = URLDecoder.decode(UriComponentsBuilder.fromUriString(location).build().getQueryParams().getFirst("code"),
                StandardCharsets.UTF_8);
        MockHttpServletResponse response = token(mvc, Map.of("grant_type", "authorization_code", "code", code,
                "client_id", SalesforceOAuthController.CLIENT_ID, "client_secret", SalesforceOAuthController.CLIENT_SECRET,
                "redirect_uri", REDIRECT));
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        return json(response);
    }

    private static MockHttpServletResponse refresh(MockMvc mvc, String refreshToken) throws Exception {
        return token(mvc, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", SalesforceOAuthController.CLIENT_ID, "client_secret", SalesforceOAuthController.CLIENT_SECRET));
    }

    private static MockHttpServletResponse token(MockMvc mvc, Map<String, String> form) throws Exception {
        var request = post("/sandbox/salesforce/services/oauth2/token").contentType(MediaType.APPLICATION_FORM_URLENCODED);
        form.forEach(request::param);
        return mvc.perform(request).andReturn().getResponse();
    }
}
