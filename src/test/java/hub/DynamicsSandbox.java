package hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The hub's Dynamics 365 sandbox as tests use it over HTTP: a fresh org per test ({@code /sandbox/dynamics365/<org>}),
 * a Dynamics 365 integration connected to it with the Entra sandbox's app registration, and the Web API and setup
 * calls that stand in for changes "made in Dynamics" and for the admin center.
 */
public final class DynamicsSandbox {

    public static final String TENANT = "sandbox-tenant";
    public static final String CLIENT_ID = "sandbox-client";
    public static final String CLIENT_SECRET = "sandbox-secret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HubClient hub;
    private final String org;
    private String token;

    public DynamicsSandbox(HubClient hub, String orgPrefix) {
        this.hub = hub;
        this.org = orgPrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String org() {
        return org;
    }

    /** The org's URL: the resource its tokens are for. */
    public String orgUrl() {
        return hub.baseUrl() + "/sandbox/dynamics365/" + org;
    }

    public String api() {
        return orgUrl() + "/api/data/v9.2/";
    }

    public String authority() {
        return hub.baseUrl() + "/sandbox/entra/" + TENANT;
    }

    /** App-only credentials for the org. */
    public Map<String, Object> credentials() {
        return Map.of("orgUrl", orgUrl(), "authority", authority(), "clientId", CLIENT_ID, "clientSecret", CLIENT_SECRET);
    }

    /** A Dynamics 365 integration of the tenant with these settings, connected to the org. */
    public String connect(String tenantKey, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("providerId", "dynamics365");
        body.putIfAbsent("name", "Dynamics " + org);
        String integration = hub.ok("POST", "/api/tenant/integrations", tenantKey, body).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", tenantKey,
                Map.of("type", "oauth2_entra_client_credentials", "credentials", credentials()));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        return integration;
    }

    /** A client-credentials token for the org from the Entra sandbox (kept). */
    public String token() {
        if (token == null) {
            String form = "grant_type=client_credentials&client_id=" + CLIENT_ID + "&client_secret=" + CLIENT_SECRET + "&scope="
                    + URLEncoder.encode(orgUrl() + "/.default", StandardCharsets.UTF_8);
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(authority() + "/oauth2/v2.0/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                token = HubClient.JSON.readTree(response.body()).get("access_token").asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return token;
    }

    /** A Web API call ({@code path} below the API root, or an absolute link). */
    public HubClient.Response web(String method, String path, Object body) {
        return hub.call(method, path.startsWith("http") ? path : api() + path, token(), body);
    }

    /** A call to the org's setup endpoints (the sandbox's stand-in for the admin center). */
    public HubClient.Response setup(String method, String path, Object body) {
        return hub.call(method, orgUrl() + "/setup/" + path, token(), body);
    }

    /** Every row of an entity set with these columns, following next links. */
    public List<JsonNode> rows(String entitySet, String select) {
        List<JsonNode> rows = new ArrayList<>();
        String next = entitySet + "?$select=" + select;
        while (next != null) {
            HubClient.Response page = web("GET", next, null);
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            page.body().get("value").forEach(rows::add);
            next = page.body().hasNonNull("@odata.nextLink") ? page.body().get("@odata.nextLink").asText() : null;
        }
        return rows;
    }

    /** One row as Dataverse holds it now. */
    public JsonNode row(String entitySet, String id) {
        HubClient.Response r = web("GET", entitySet + "(" + id + ")", null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    /** A change "made in Dynamics". */
    public void update(String entitySet, String id, Map<String, Object> fields) {
        HubClient.Response r = web("PATCH", entitySet + "(" + id + ")", fields);
        assertThat(r.status()).as(r.raw()).isIn(200, 204);
    }

    /** The service-protection state: {@code rateLimit}, {@code windowSeconds}, {@code used}, {@code violations}. */
    public JsonNode limits() {
        HubClient.Response r = setup("GET", "limits", null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }
}
