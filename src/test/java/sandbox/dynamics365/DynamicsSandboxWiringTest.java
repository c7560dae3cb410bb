package sandbox.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.EmbeddedHubTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The sandbox as the hub serves it: the default org answers the published credentials (tenant sandbox-tenant,
 * client sandbox-client / sandbox-secret) over HTTP, seeded with hub.sandbox.dynamics365.accounts accounts.
 */
class DynamicsSandboxWiringTest extends EmbeddedHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theDefaultOrgAnswersThePublishedCredentials() throws Exception {
        String root = "http://localhost:" + port;
        String orgUrl = root + "/sandbox/dynamics365";
        String form = "grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret&scope="
                + URLEncoder.encode(orgUrl + "/.default", StandardCharsets.UTF_8);
        HttpResponse<String> tokenResponse = HTTP.send(HttpRequest.newBuilder(URI.create(root
                + "/sandbox/entra/sandbox-tenant/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        String token = JSON.readTree(tokenResponse.body()).get("access_token").asText();

        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(orgUrl
                + "/api/data/v9.2/accounts?$select=name")).header("Authorization", "Bearer " + token)
                .header("Prefer", "odata.maxpagesize=100").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(page.headers().firstValue("Preference-Applied")).hasValue("odata.maxpagesize=100");
        JsonNode body = JSON.readTree(page.body());
        assertThat(body.get("value")).hasSize(100);
        assertThat(body.get("@odata.nextLink").asText()).startsWith(orgUrl + "/api/data/v9.2/accounts?$select=name&$skiptoken=");

        HttpResponse<String> truth = HTTP.send(HttpRequest.newBuilder(URI.create(orgUrl + "/setup/ground-truth"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(truth.body()).get("accounts")).hasSize(1000);

        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(orgUrl + "/api/data/v9.2/WhoAmI")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse("")).contains("resource_id=" + orgUrl + "/");
    }
}
