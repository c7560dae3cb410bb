package sandbox.dynamics365;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import sandbox.entra.EntraTokenController;
import sandbox.entra.EntraTokens;
import sandbox.kit.Population;

/**
 * The Dynamics 365 sandbox and the Entra ID sandbox on MockMvc (no application context), with one hand-moved clock:
 * tokens come from the Entra token endpoint with client credentials, as a client gets them.
 */
final class DynamicsFixture {

    static final String HOST = "http://localhost";
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
    final DynamicsSandboxProperties properties;
    final EntraTokens tokens;
    final DataverseOrgs orgs;
    final MockMvc mvc;

    DynamicsFixture(int accounts) {
        this(DynamicsSandboxProperties.defaults().withAccounts(accounts));
    }

    DynamicsFixture(DynamicsSandboxProperties properties) {
        this.properties = properties;
        tokens = new EntraTokens(Duration.ofSeconds(3599), clock);
        orgs = new DataverseOrgs(properties, new Population(), clock);
        mvc = MockMvcBuilders.standaloneSetup(new EntraTokenController(tokens),
                new DynamicsWebApiController(orgs, tokens, properties),
                new DynamicsSetupController(orgs, tokens, properties)).build();
    }

    /** An org's URL, the resource its tokens are for: {@code http://localhost/sandbox/dynamics365[/<org>]}. */
    static String orgUrl(String org) {
        return HOST + "/sandbox/dynamics365" + (org.isEmpty() ? "" : "/" + org);
    }

    /** The Web API root of an org, as links echo it. */
    static String api(String org) {
        return orgUrl(org) + "/api/data/v9.2/";
    }

    /** A client-credentials token for the org from the Entra sandbox. */
    String token(String org) throws Exception {
        MockHttpServletResponse response = mvc.perform(MockMvcRequestBuilders.post("/sandbox/entra/sandbox-tenant/oauth2/v2.0/token")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("grant_type", "client_credentials")
                .param("client_id", EntraTokens.CLIENT_ID)
                .param("client_secret", EntraTokens.CLIENT_SECRET)
                .param("scope", orgUrl(org) + "/.default")).andReturn().getResponse();
        if (response.getStatus() != 200) {
            throw new AssertionError("token request failed: " + response.getContentAsString());
        }
        return json(response).get("access_token").asText();
    }

    /** A request to a URL under the org's Web API root (or an absolute link it gave). */
    MockHttpServletRequestBuilder request(HttpMethod method, String org, String pathOrLink, String token) {
        String url = pathOrLink.startsWith("http") ? pathOrLink : api(org) + pathOrLink;
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(method, URI.create(url))
                .header("Accept", "application/json").header("OData-MaxVersion", "4.0").header("OData-Version", "4.0");
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    MockHttpServletResponse get(String org, String pathOrLink, String token) throws Exception {
        return perform(request(HttpMethod.GET, org, pathOrLink, token));
    }

    MockHttpServletResponse send(HttpMethod method, String org, String path, String token, String body) throws Exception {
        MockHttpServletRequestBuilder request = request(method, org, path, token);
        if (body != null) {
            request.contentType("application/json; charset=utf-8").content(body);
        }
        return perform(request);
    }

    MockHttpServletResponse setup(HttpMethod method, String org, String path, String token, String body) throws Exception {
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(method,
                URI.create(orgUrl(org) + "/setup/" + path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return perform(request);
    }

    MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    static JsonNode json(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsByteArray());
    }

    /** {@code path} with its query string percent-encoded as dynamics-web-api encodes $filter. */
    static String filtered(String path, String filter) {
        return path + (path.contains("?") ? "&" : "?") + "$filter=" + java.net.URLEncoder.encode(filter,
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
