package routes;

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

import hub.HubClient;

/**
 * A drive of the hub's Graph sandbox of its own ({@code <prefix>-<random>}, seeded with a Customers folder of files),
 * changed as its users would (the sandbox's setup API, standing in for OneDrive), and a tenant's OneDrive integration
 * connected to it over the sandbox's TLS port with the Entra sandbox's app registration, selecting this drive.
 */
public final class OneDriveSandboxDrive {

    public static final String TENANT = "sandbox-tenant";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HubClient hub;
    private final int tlsPort;
    private final String name;
    private final String id;
    private String token;

    public OneDriveSandboxDrive(HubClient hub, int tlsPort, String prefix, int files) {
        this.hub = hub;
        this.tlsPort = tlsPort;
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.id = setup("POST", "/drives", Map.of("name", name, "files", files)).get("id").asText();
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** App-only credentials for the sandbox over its TLS port. */
    public Map<String, Object> credentials() {
        return Map.of("authority", "https://localhost:" + tlsPort + "/sandbox/entra/" + TENANT, "clientId", "sandbox-client",
                "clientSecret", "sandbox-secret", "graphUrl", "https://localhost:" + tlsPort + "/v1.0");
    }

    /** An integration of the tenant selecting this drive (settings may say otherwise), connected, its limits lifted. */
    public String connect(String tenantKey, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("providerId", "onedrive");
        body.putIfAbsent("name", "OneDrive " + name);
        body.putIfAbsent("sources", Map.of("documents", List.of(id)));
        String integration = hub.ok("POST", "/api/tenant/integrations", tenantKey, body).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", tenantKey,
                Map.of("type", "oauth2_entra_client_credentials", "credentials", credentials()));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", tenantKey,
                Map.of("integration", Map.of("requests", 6000, "windowSeconds", 60)));
        return integration;
    }

    /** The drive's files (not folders), as Graph's full delta lists them. */
    public List<JsonNode> files() {
        return files(id);
    }

    /** The files of any drive of the sandbox. */
    public List<JsonNode> files(String driveId) {
        List<JsonNode> files = new ArrayList<>();
        String link = "/drives/" + driveId + "/root/delta";
        while (link != null) {
            JsonNode page = graph("GET", link);
            page.get("value").forEach(i -> {
                if (i.has("file")) {
                    files.add(i);
                }
            });
            link = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText().replaceFirst("^https?://[^/]+/[^?]*?/v1\\.0", "") : null;
        }
        return files;
    }

    public JsonNode addFile(String fileName, String content) {
        return setup("POST", "/drives/" + id + "/items", Map.of("name", fileName, "content", content));
    }

    public JsonNode change(String itemId, Map<String, Object> change) {
        return setup("PATCH", "/drives/" + id + "/items/" + itemId, change);
    }

    public void delete(String itemId) {
        HubClient.Response r = call("DELETE", hub.baseUrl() + "/sandbox/graph/setup/drives/" + id + "/items/" + itemId, null);
        assertThat(r.status()).as(r.raw()).isEqualTo(204);
    }

    /** Makes the drive's delta tokens stale: the next delta call is 410 Gone. */
    public void resync() {
        setup("POST", "/drives/" + id + "/resync", null);
    }

    /** A setup call (the sandbox's admin API) that must succeed. */
    public JsonNode setup(String method, String path, Object body) {
        HubClient.Response r = call(method, hub.baseUrl() + "/sandbox/graph/setup" + path, body);
        assertThat(r.status()).as(method + " setup" + path + " -> " + r.raw()).isBetween(200, 299);
        return r.body();
    }

    /** A Graph API call on the hub's main port that must succeed. */
    public JsonNode graph(String method, String path) {
        HubClient.Response r = call(method, hub.baseUrl() + "/sandbox/graph/v1.0" + path, null);
        assertThat(r.status()).as(method + " " + path + " -> " + r.raw()).isBetween(200, 299);
        return r.body();
    }

    /** The sandbox's subscriptions on this drive's root. */
    public List<JsonNode> subscriptions() {
        List<JsonNode> mine = new ArrayList<>();
        graph("GET", "/subscriptions").get("value").forEach(s -> {
            if (s.get("resource").asText().replaceFirst("^/", "").equals("drives/" + id + "/root")) {
                mine.add(s);
            }
        });
        return mine;
    }

    private String token() {
        if (token == null) {
            String form = "grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret&scope="
                    + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
            HubClient.Response r = send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/sandbox/entra/" + TENANT + "/oauth2/v2.0/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            token = r.body().get("access_token").asText();
        }
        return token;
    }

    private HubClient.Response call(String method, String url, Object body) {
        HubClient.Response r = once(method, url, body);
        if (r.status() == 401) {
            // setup tokens expire with the rest when a test expires every token
            token = null;
            r = once(method, url, body);
        }
        return r;
    }

    private HubClient.Response once(String method, String url, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token());
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(HubClient.JSON.writeValueAsString(body)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send(request);
    }

    private static HubClient.Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body() == null || response.body().isBlank() ? null : HubClient.JSON.readTree(response.body());
            return new HubClient.Response(response.statusCode(), json, response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
