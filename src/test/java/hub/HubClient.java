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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Talks to a running hub over HTTP the way users do: its REST API with bearer keys, and the
 * Salesforce sandbox's OAuth and sObject endpoints for changes "made in Salesforce".
 */
public final class HubClient {

    public record Response(int status, JsonNode body, String raw) {
    }

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;

    public HubClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String sandboxUrl() {
        return baseUrl + "/sandbox/salesforce";
    }

    public Response call(String method, String path, String key, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path))
                    .timeout(Duration.ofSeconds(60));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                String text = body instanceof String s ? s : JSON.writeValueAsString(body);
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (response.body() != null && !response.body().isBlank() && response.body().trim().matches("(?s)^[\\[{].*")) {
                json = JSON.readTree(response.body());
            }
            return new Response(response.statusCode(), json, response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request through this HTTP client with these headers and a body (a String as is, else JSON); the answer's body as
     * JSON when it is an object or array, and as raw text with the response headers.
     */
    public static Response send(HttpClient http, String method, String url, Map<String, String> headers, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
            headers.forEach(request::header);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                if (!headers.containsKey("Content-Type")) {
                    request.header("Content-Type", "application/json");
                }
                request.method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode json = text == null || text.isBlank() || !text.trim().matches("(?s)^[\\[{].*") ? null : JSON.readTree(text);
            return new Response(response.statusCode(), json, text + " " + response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode ok(String method, String path, String key, Object body) {
        Response r = call(method, path, key, body);
        assertThat(r.status()).as(method + " " + path + " -> " + r.raw()).isBetween(200, 299);
        return r.body();
    }

    // ------------------------------------------------------------------ scenarios users run

    /** A new tenant and one of its API keys. */
    public String newTenantKey(String adminKey) {
        return newTenant(adminKey).key();
    }

    public record Tenant(String id, String key) {
    }

    public Tenant newTenant(String adminKey) {
        String tenantId = "t-" + UUID.randomUUID().toString().substring(0, 8);
        ok("POST", "/api/admin/tenants", adminKey, Map.of("id", tenantId, "name", "Tenant " + tenantId));
        return new Tenant(tenantId, ok("POST", "/api/admin/tenants/" + tenantId + "/api-keys", adminKey, Map.of("name", "test")).get("key").asText());
    }

    /** A Salesforce integration connected to its own sandbox org (isolated from other tests' changes). */
    public String connectedSalesforce(String tenantKey, String org, Map<String, Object> settings) {
        Map<String, Object> body = new java.util.HashMap<>(settings);
        body.put("providerId", "salesforce");
        body.putIfAbsent("name", "Salesforce " + org);
        String integrationId = ok("POST", "/api/tenant/integrations", tenantKey, body).get("id").asText();
        JsonNode connected = ok("POST", "/api/tenant/integrations/" + integrationId + "/connect/api-key", tenantKey,
                Map.of("credentials", sandboxCredentials(org)));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        return integrationId;
    }

    public Map<String, Object> sandboxCredentials(String org) {
        return Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret", "username", sandboxUser(org),
                "password", "sandbox", "loginUrl", sandboxUrl());
    }

    public static String sandboxUser(String org) {
        return "admin+" + org + "@sandbox.example";
    }

    public String task(String tenantKey, String integrationId, String entity, String mode) {
        return ok("POST", "/api/tenant/integrations/" + integrationId + "/tasks", tenantKey, Map.of("entity", entity, "mode", mode))
                .get("id").asText();
    }

    /** An integration of the in-memory test provider ({@link TestProviderAdapter}), connected; returns its id. */
    public String connectedTestProvider(String tenantKey, String name) {
        String integration = ok("POST", "/api/tenant/integrations", tenantKey, Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                "name", name)).get("id").asText();
        JsonNode connected = ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", tenantKey,
                Map.of("credentials", Map.of("ttlMinutes", "60")));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        return integration;
    }

    /** Runs the task and waits until its execution has processed at least {@code records}; returns the execution id. */
    public String runUntilProcessed(String tenantKey, String integrationId, String taskId, long records, Duration timeout) {
        String executionId = ok("POST", "/api/tenant/integrations/" + integrationId + "/tasks/" + taskId + "/run", tenantKey, null)
                .get("executionId").asText();
        String path = "/api/tenant/integrations/" + integrationId + "/executions/" + executionId;
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> ok("GET", path, tenantKey, null).get("recordsProcessed").asLong() >= records);
        return executionId;
    }

    /** Runs the task and waits for its execution to finish; returns the execution. */
    public JsonNode runAndWait(String tenantKey, String integrationId, String taskId, Duration timeout) {
        Response accepted = call("POST", "/api/tenant/integrations/" + integrationId + "/tasks/" + taskId + "/run", tenantKey, null);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        return awaitExecution(tenantKey, integrationId, accepted.body().get("executionId").asText(), timeout);
    }

    public JsonNode awaitExecution(String tenantKey, String integrationId, String executionId, Duration timeout) {
        String path = "/api/tenant/integrations/" + integrationId + "/executions/" + executionId;
        JsonNode[] last = new JsonNode[1];
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = ok("GET", path, tenantKey, null);
            String status = last[0].get("status").asText();
            return !status.equals("pending") && !status.equals("running");
        });
        return last[0];
    }

    /** Every shard of a type, following cursors. */
    public List<JsonNode> allShards(String tenantKey, String type) {
        List<JsonNode> shards = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/api/tenant/shards?limit=1000&type=" + type + (cursor == null ? "" : "&cursor=" + cursor);
            JsonNode page = ok("GET", path, tenantKey, null);
            page.get("items").forEach(shards::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return shards;
    }

    /** Plays the browser at an OAuth authorization server: one GET, the redirect not followed; returns where it points. */
    public static String authorizationRedirect(String authorizationUrl) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(authorizationUrl)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
            return response.headers().firstValue("Location").orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the sandbox, as a Salesforce user would change it

    public String sandboxToken(String org) {
        String form = "grant_type=password&client_id=sandbox-client&client_secret=sandbox-secret&username="
                + URLEncoder.encode(sandboxUser(org), StandardCharsets.UTF_8) + "&password=sandbox";
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(sandboxUrl() + "/services/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response sandbox(String method, String token, String path, Object body) {
        return call(method, sandboxUrl() + "/services/data/v59.0" + path, token, body);
    }

    /** The first {@code n} records of an sObject type in SystemModstamp order. */
    public List<JsonNode> sandboxRecords(String token, String type, String fields, int n) {
        String soql = "SELECT " + fields + " FROM " + type + " ORDER BY SystemModstamp ASC LIMIT " + n;
        Response r = sandbox("GET", token, "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8).replace("+", "%20"), null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<JsonNode> records = new ArrayList<>();
        r.body().get("records").forEach(records::add);
        return records;
    }
}
