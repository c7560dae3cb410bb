package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import hub.HubClient;

/**
 * A company of the hub's Gong sandbox of its own (access key {@code sandbox-key-<name>}, secret {@code sandbox-secret}),
 * set up through its setup API as calls happen in Gong; and a tenant's Gong integration connected to it.
 */
public final class GongSandboxCompany {

    public static final String SECRET = "sandbox-secret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HubClient hub;
    private final String name;

    public GongSandboxCompany(HubClient hub, String prefix) {
        this.hub = hub;
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String name() {
        return name;
    }

    public String accessKey() {
        return "sandbox-key-" + name;
    }

    /** The company's API base URL (and the OAuth app's login URL). */
    public String baseUrl() {
        return hub.baseUrl() + "/sandbox/gong";
    }

    public HubClient.Response call(String method, String path, String authorization, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(60));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else if (body instanceof String form) {
                request.header("Content-Type", "application/x-www-form-urlencoded").method(method, HttpRequest.BodyPublishers.ofString(form));
            } else {
                request.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofString(HubClient.JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body() == null || response.body().isBlank() ? null : HubClient.JSON.readTree(response.body());
            return new HubClient.Response(response.statusCode(), json, response.body() + " " + response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((accessKey() + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    }

    public JsonNode setup(String method, String path, Object body) {
        HubClient.Response r = call(method, "/setup" + path, basic(), body);
        assertThat(r.status()).as(method + " /setup" + path + " -> " + r.raw()).isBetween(200, 299);
        return r.body();
    }

    /** The company seeded anew: this many calls with the first {@code accounts} companies of the shared population. */
    public void reset(int calls, int accounts) {
        setup("POST", "/reset", Map.of("calls", calls, "accounts", accounts));
    }

    /** An access-key integration of the tenant on this company, with these settings. */
    public String connect(String tenantKey, Map<String, Object> settings) {
        String integrationId = integration(tenantKey, settings);
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integrationId + "/connect/api-key", tenantKey,
                Map.of("type", "access_key", "credentials", Map.of("accessKey", accessKey(), "accessKeySecret", SECRET, "baseUrl", baseUrl())));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        return integrationId;
    }

    public String integration(String tenantKey, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("providerId", "gong");
        body.putIfAbsent("name", "Gong " + name);
        return hub.ok("POST", "/api/tenant/integrations", tenantKey, body).get("id").asText();
    }

    /** Both sandbox and hub limits out of the way (a test about limits leaves them). */
    public void unlimited(String tenantKey, String integrationId) {
        setup("PUT", "/limits/second", Map.of("rateLimit", 0));
        hub.ok("PUT", "/api/tenant/integrations/" + integrationId + "/rate-limits", tenantKey,
                Map.of("integration", Map.of("requests", 6000, "windowSeconds", 60)));
    }
}
