package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import hub.HubClient;

/**
 * A workspace of the hub's Notion sandbox of its own (internal integration token {@code secret_sandbox-<name>}), changed
 * as a Notion user would change it (the API, with {@code Notion-Version}) and set up through its setup API; and a
 * tenant's Notion integration connected to it.
 */
public final class NotionSandboxWorkspace {

    public static final String VERSION = "2025-09-03";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HubClient hub;
    private final String name;

    public NotionSandboxWorkspace(HubClient hub, String prefix) {
        this.hub = hub;
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String name() {
        return name;
    }

    public String token() {
        return "secret_sandbox-" + name;
    }

    public String baseUrl() {
        return hub.baseUrl() + "/sandbox/notion";
    }

    /** A call to the API ({@code /v1/...}) with the token and a Notion-Version, or to setup (no version). */
    public HubClient.Response call(String method, String path, String token, String version, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(60));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (version != null) {
                request.header("Notion-Version", version);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : HubClient.JSON.writeValueAsString(body)));
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

    public HubClient.Response api(String method, String path, Object body) {
        return call(method, "/v1" + path, token(), VERSION, body);
    }

    public JsonNode ok(String method, String path, Object body) {
        HubClient.Response r = api(method, path, body);
        assertThat(r.status()).as(method + " " + path + " -> " + r.raw()).isBetween(200, 299);
        return r.body();
    }

    public JsonNode setup(String method, String path, Object body) {
        HubClient.Response r = call(method, "/setup" + path, token(), null, body);
        assertThat(r.status()).as(method + " /setup" + path + " -> " + r.raw()).isBetween(200, 299);
        return r.body();
    }

    public JsonNode describe() {
        return setup("GET", "/workspace", null);
    }

    public String databaseId(String entity) {
        return describe().at("/" + entity + "/databaseId").asText();
    }

    public String dataSourceId(String entity) {
        return describe().at("/" + entity + "/dataSourceId").asText();
    }

    /** The database's live pages in order of their last edit, at most {@code n}. */
    public List<JsonNode> pages(String entity, int n) {
        JsonNode page = ok("POST", "/data_sources/" + dataSourceId(entity) + "/query", Map.of("page_size", Math.min(100, n),
                "sorts", List.of(Map.of("timestamp", "last_edited_time", "direction", "ascending"))));
        List<JsonNode> pages = new ArrayList<>();
        page.path("results").forEach(pages::add);
        return pages.subList(0, Math.min(n, pages.size()));
    }

    public JsonNode page(String id) {
        return ok("GET", "/pages/" + id, null);
    }

    public JsonNode update(String id, Map<String, Object> properties) {
        return ok("PATCH", "/pages/" + id, Map.of("properties", properties));
    }

    public void trash(String id) {
        ok("PATCH", "/pages/" + id, Map.of("in_trash", true));
    }

    public static Map<String, Object> title(String text) {
        return Map.of("title", List.of(Map.of("text", Map.of("content", text))));
    }

    /** An integration of the tenant on this workspace (internal integration token), with these settings. */
    public String connect(String tenantKey, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("providerId", "notion");
        body.putIfAbsent("name", "Notion " + name);
        String integrationId = hub.ok("POST", "/api/tenant/integrations", tenantKey, body).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integrationId + "/connect/api-key", tenantKey,
                Map.of("type", "internal_integration_token", "credentials", Map.of("accessToken", token(), "baseUrl", baseUrl())));
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
