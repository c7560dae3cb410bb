package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import hub.HubClient;

/**
 * An account of the hub's Zoom sandbox of its own ({@code sandbox-account-<name>}), changed as its hosts would change it
 * (the sandbox's setup API, standing in for Zoom's web portal) and through the API with a Server-to-Server token; and a
 * tenant's Zoom integration connected to it.
 */
public final class ZoomSandboxAccount {

    public static final String CLIENT = "Basic " + Base64.getEncoder().encodeToString("sandbox-client:sandbox-secret"
            .getBytes(StandardCharsets.UTF_8));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HubClient hub;
    private final String name;

    public ZoomSandboxAccount(HubClient hub, String prefix) {
        this.hub = hub;
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String name() {
        return name;
    }

    public String accountId() {
        return "sandbox-account-" + name;
    }

    public String baseUrl() {
        return hub.baseUrl() + "/sandbox/zoom";
    }

    /** A request to the sandbox with these headers and a body (a String as is, else JSON). */
    public HubClient.Response call(String method, String url, Map<String, String> headers, Object body) {
        return HubClient.send(HTTP, method, url.startsWith("http") ? url : baseUrl() + url, headers, body);
    }

    public JsonNode setup(String method, String path, Object body) {
        HubClient.Response r = call(method, "/setup/accounts/" + accountId() + path, Map.of("Authorization", CLIENT), body);
        assertThat(r.status()).as(method + " setup" + path + " -> " + r.raw()).isBetween(200, 299);
        return r.body();
    }

    /** A Server-to-Server access token of the account. */
    public String token() {
        HubClient.Response r = call("POST", "/oauth/token", Map.of("Authorization", CLIENT, "Content-Type",
                "application/x-www-form-urlencoded"), "grant_type=account_credentials&account_id=" + accountId());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().get("access_token").asText();
    }

    /** The token endpoint's answer to a refresh with this refresh token (each works once). */
    public HubClient.Response refresh(String refreshToken) {
        return call("POST", "/oauth/token", Map.of("Authorization", CLIENT, "Content-Type", "application/x-www-form-urlencoded"),
                "grant_type=refresh_token&refresh_token=" + refreshToken);
    }

    public HubClient.Response api(String method, String path) {
        return call(method, "/v2" + path, Map.of("Authorization", "Bearer " + token()), null);
    }

    /** Every recording of the account (trashed ones too), in the order they were made. */
    public List<JsonNode> recordings() {
        List<JsonNode> all = new ArrayList<>();
        setup("GET", "/recordings", null).get("recordings").forEach(all::add);
        return all;
    }

    public JsonNode record(String topic) {
        return setup("POST", "/recordings", Map.of("topic", topic));
    }

    /** A recording to the trash through the API, as a host's app would. */
    public void trash(String uuid) {
        HubClient.Response r = api("DELETE", "/meetings/" + uuid.replace("+", "%2B").replace("=", "%3D") + "/recordings?action=trash");
        assertThat(r.status()).as(r.raw()).isEqualTo(204);
    }

    /** An integration of the tenant on this account (Server-to-Server OAuth), with these settings. */
    public String connect(String tenantKey, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("providerId", "zoom");
        body.putIfAbsent("name", "Zoom " + name);
        String integrationId = hub.ok("POST", "/api/tenant/integrations", tenantKey, body).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integrationId + "/connect/api-key", tenantKey,
                Map.of("type", "server_to_server_oauth", "credentials", Map.of("accountId", accountId(), "clientId", "sandbox-client",
                        "clientSecret", "sandbox-secret", "baseUrl", baseUrl())));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        return integrationId;
    }

    /** Both sandbox and hub limits raised out of the way (a test about limits leaves them). */
    public void unlimited(String tenantKey, String integrationId) {
        setup("POST", "/limits", Map.of("rateLimit", 0));
        hub.ok("PUT", "/api/tenant/integrations/" + integrationId + "/rate-limits", tenantKey,
                Map.of("integration", Map.of("requests", 6000, "windowSeconds", 60)));
    }
}
