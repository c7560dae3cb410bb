package sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * The HubSpot sandbox's controllers on MockMvc (no application context), with a hand-moved clock for the portals,
 * tokens and limits. Changes go to the webhooks (on the real clock, which their timers run on) and are recorded.
 */
final class HubSpotSandboxFixture implements AutoCloseable {

    static final String BASE = "/sandbox/hubspot";
    static final String OBJECTS = BASE + "/crm/v3/objects";
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    final List<HubSpotPortal.Change> changes = new CopyOnWriteArrayList<>();
    final HubSpotSandboxProperties properties;
    final HubSpotWebhooks webhooks;
    final HubSpotPortals portals;
    final HubSpotTokens tokens;
    final MockMvc mvc;

    HubSpotSandboxFixture(int companies) {
        this(HubSpotSandboxProperties.defaults().withCompanies(companies));
    }

    HubSpotSandboxFixture(HubSpotSandboxProperties properties) {
        this(properties, Clock.systemUTC());
    }

    HubSpotSandboxFixture(HubSpotSandboxProperties properties, Clock webhookClock) {
        this.properties = properties;
        webhooks = new HubSpotWebhooks(properties, webhookClock);
        portals = new HubSpotPortals(properties, (portal, list) -> {
            changes.addAll(list);
            webhooks.changed(portal, list);
        }, clock);
        tokens = new HubSpotTokens(clock);
        mvc = MockMvcBuilders.standaloneSetup(
                new HubSpotObjectsController(portals, tokens, properties),
                new HubSpotSearchController(portals, tokens, properties),
                new HubSpotAssociationsController(portals, tokens, properties),
                new HubSpotPropertiesController(portals, tokens, properties),
                new HubSpotOAuthController(portals, tokens),
                new HubSpotSetupController(portals, tokens, properties, webhooks)).build();
    }

    MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    MockHttpServletResponse get(String pathAndQuery, String token) throws Exception {
        return perform(authorized(MockMvcRequestBuilders.get(URI.create("http://localhost" + pathAndQuery)), token));
    }

    MockHttpServletResponse send(HttpMethod method, String path, String token, String body) throws Exception {
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(method, URI.create("http://localhost" + path));
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body.getBytes(StandardCharsets.UTF_8));
        }
        return perform(authorized(request, token));
    }

    MockHttpServletResponse post(String path, String token, String body) throws Exception {
        return send(HttpMethod.POST, path, token, body);
    }

    /** An OAuth access token for the named portal ("" for the default), through authorize and the token endpoint. */
    JsonNode oauthLogin(String portal) throws Exception {
        String redirect = "http://localhost:9/callback";
        MockHttpServletResponse authorized = perform(MockMvcRequestBuilders.get(BASE + "/oauth/authorize")
                .param("client_id", HubSpotTokens.CLIENT_ID).param("redirect_uri", redirect)
                .param("scope", "crm.objects.companies.read").param("state", "s1").param("login_hint", portal));
        if (authorized.getStatus() != 302) {
            throw new AssertionError("authorize failed: " + authorized.getStatus() + " " + authorized.getContentAsString());
        }
        String location = authorized.getHeader("Location");
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
        MockHttpServletResponse token = perform(MockMvcRequestBuilders.post(BASE + "/oauth/v1/token")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).param("grant_type", "authorization_code")
                .param("code", code).param("redirect_uri", redirect).param("client_id", HubSpotTokens.CLIENT_ID)
                .param("client_secret", HubSpotTokens.CLIENT_SECRET));
        if (token.getStatus() != 200) {
            throw new AssertionError("token exchange failed: " + token.getContentAsString());
        }
        return json(token);
    }

    static MockHttpServletRequestBuilder authorized(MockHttpServletRequestBuilder request, String token) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    static JsonNode json(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsByteArray());
    }

    /** The private-app token of a portal of its own for one test. */
    static String portalToken(String name) {
        return "pat-sandbox-" + name;
    }

    @Override
    public void close() {
        webhooks.shutdown();
    }
}
