package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import hub.HubClient;

/**
 * A domain of the hub's Google sandbox of its own ({@code <name>.sandbox.example}), changed as a Drive user would
 * (through the sandbox's setup API), and a tenant's Google Drive integration connected to it with the sandbox's
 * service account acting as one of the domain's users.
 */
final class GoogleDriveDomain {

    final HubClient hub;
    final String name;

    GoogleDriveDomain(HubClient hub, String prefix) {
        this.hub = hub;
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String base() {
        return hub.baseUrl() + "/sandbox/google";
    }

    String user() {
        return "maya.ortiz@" + name + ".sandbox.example";
    }

    JsonNode setup(String method, String path, Object body) {
        String separator = path.contains("?") ? "&" : "?";
        HubClient.Response r = hub.call(method, base() + "/setup/" + path + separator + "domain=" + name, null, body);
        assertThat(r.status()).as(method + " " + path + " -> " + r.raw()).isBetween(200, 299);
        return r.body();
    }

    String serviceAccountKey() {
        return hub.call("GET", base() + "/setup/service-account.json", null, null).raw();
    }

    String folder(String folderName) {
        return setup("GET", "containers", null).at("/folders/" + folderName).asText();
    }

    String drive(String driveName) {
        return setup("GET", "containers", null).at("/drives/" + driveName).asText();
    }

    /** Every file (not folders, not trashed) directly in one of these containers. */
    List<JsonNode> filesIn(List<String> containers) {
        List<JsonNode> files = new ArrayList<>();
        for (JsonNode file : setup("GET", "files", null).get("files")) {
            if (!file.get("mimeType").asText().endsWith(".folder") && !file.get("trashed").asBoolean()
                    && containers.contains(file.at("/parents/0").asText())) {
                files.add(file);
            }
        }
        return files;
    }

    /** A Google Drive integration of the tenant connected with the service account as the domain's user. */
    String connect(String tenantKey, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.remove("keepDefaultLimit");
        body.put("providerId", "google_drive");
        body.putIfAbsent("name", "Drive " + name);
        String integrationId = hub.ok("POST", "/api/tenant/integrations", tenantKey, body).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integrationId + "/connect/api-key", tenantKey,
                Map.of("type", "service_account", "credentials", Map.of("serviceAccountJson", serviceAccountKey(), "subject", user())));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        if (!settings.containsKey("keepDefaultLimit")) {
            limit(tenantKey, integrationId, 6000, 60);
        }
        return integrationId;
    }

    /** The hub's limit of calls for the integration. */
    void limit(String tenantKey, String integrationId, int requests, int windowSeconds) {
        hub.ok("PUT", "/api/tenant/integrations/" + integrationId + "/rate-limits", tenantKey,
                Map.of("integration", Map.of("requests", requests, "windowSeconds", windowSeconds)));
    }

    /**
     * A Google Drive integration of the tenant connected by OAuth as a user of the domain: the sandbox's static refresh
     * token {@code 1//sandbox-<domain>} and an access token it gave for it.
     */
    String connectOAuth(String tenantKey) {
        String refreshToken = "1//sandbox-" + name;
        String tokenUrl = base() + "/token";
        JsonNode granted = form(tokenUrl, "grant_type=refresh_token&client_id=sandbox-client&client_secret=sandbox-secret&refresh_token="
                + java.net.URLEncoder.encode(refreshToken, java.nio.charset.StandardCharsets.UTF_8));
        String integrationId = hub.ok("POST", "/api/tenant/integrations", tenantKey, Map.of("providerId", "google_drive",
                "name", "Drive OAuth " + name)).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integrationId + "/connect/api-key", tenantKey,
                Map.of("type", "oauth2_authorization_code", "credentials", Map.of("clientId", "sandbox-client", "clientSecret", "sandbox-secret",
                        "accessToken", granted.get("access_token").asText(), "refreshToken", refreshToken, "tokenUrl", tokenUrl,
                        "expiresAt", java.time.OffsetDateTime.now().plusHours(1).toString())));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        return integrationId;
    }

    static JsonNode form(String url, String body) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return HubClient.JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HubClient.Response select(String tenantKey, String integrationId, List<String> sources) {
        return hub.call("PATCH", "/api/tenant/integrations/" + integrationId, tenantKey, Map.of("sources", Map.of("files", sources)));
    }
}
