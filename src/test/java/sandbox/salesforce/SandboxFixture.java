package sandbox.salesforce;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import hub.MutableClock;

/** The sandbox's controllers on MockMvc (no application context), with a hand-moved clock. */
final class SandboxFixture {

    static final String BASE = "http://localhost/sandbox/salesforce";
    static final String DATA = "/sandbox/salesforce/services/data/v59.0";
    static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded {@link SalesforceChangeListener} call. */
    record Change(String orgId, String type, String changeType, Map<String, Object> record) {
    }

    final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
    final List<Change> changes = new CopyOnWriteArrayList<>();
    final SalesforceSandboxProperties properties;
    final SandboxOrgs orgs;
    final SandboxTokens tokens;
    final MockMvc mvc;

    SandboxFixture(int accounts, int pageSize) {
        this(SalesforceSandboxProperties.defaults().withAccounts(accounts).withPageSize(pageSize));
    }

    SandboxFixture(SalesforceSandboxProperties properties) {
        this.properties = properties;
        orgs = new SandboxOrgs(properties, (o, t, c, r) -> changes.add(new Change(o, t, c, r)), clock);
        tokens = new SandboxTokens(properties.tokenTtl(), clock);
        mvc = MockMvcBuilders.standaloneSetup(
                new SalesforceOAuthController(orgs, tokens),
                new SalesforceRestController(orgs, tokens, properties),
                new SalesforceSObjectController(orgs, tokens, properties),
                new SalesforceCompositeController(orgs, tokens, properties),
                new SalesforceLimitsSetupController(orgs, tokens, properties),
                new SalesforceOutageSetupController(orgs, tokens, properties),
                new SalesforceGroundTruthSetupController(orgs, tokens, properties)).build();
    }

    MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    MockHttpServletResponse passwordLogin(String username, String password) throws Exception {
        return perform(post("/sandbox/salesforce/services/oauth2/token")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("client_id", SalesforceOAuthController.CLIENT_ID)
                .param("format", "json")
                .param("client_secret", SalesforceOAuthController.CLIENT_SECRET)
                .param("grant_type", "password")
                .param("username", username)
                .param("password", password));
    }

    /** An access token for the user, failing the test when login fails. */
    String login(String username) throws Exception {
        MockHttpServletResponse response = passwordLogin(username, SandboxOrgs.PASSWORD);
        if (response.getStatus() != 200) {
            throw new AssertionError("login failed: " + response.getContentAsString());
        }
        return json(response).get("access_token").asText();
    }

    MockHttpServletResponse get(String pathAndQuery, String token) throws Exception {
        return perform(authorized(getRequest(pathAndQuery), token));
    }

    /** Encodes SOQL as camel does: URLEncoder with + turned into %20. */
    MockHttpServletResponse query(String resource, String soql, String token) throws Exception {
        return get(DATA + "/" + resource + "/?q=" + encode(soql), token);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static MockHttpServletRequestBuilder authorized(MockHttpServletRequestBuilder request, String token) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    static JsonNode json(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsByteArray());
    }

    private static MockHttpServletRequestBuilder getRequest(String pathAndQuery) {
        return MockMvcRequestBuilders.get(URI.create("http://localhost" + pathAndQuery));
    }
}
