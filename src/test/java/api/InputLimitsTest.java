package api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubClient.Response;

/** Values are refused as sent, never coerced; every text fits where it is stored; bodies are capped; all with a 4xx naming the problem. */
class InputLimitsTest extends EmbeddedHubTest {

    private HubClient hub;
    private String key;

    @BeforeEach
    void tenant() {
        hub = hub();
        key = hub.newTenantKey(ADMIN_KEY);
    }

    @Test
    void scalarsOfTheWrongTypeAreRefusedNotCoerced() {
        assertField(hub.call("POST", "/api/admin/tenants", ADMIN_KEY, "{\"id\": 12345, \"name\": \"Numbers\"}"), "id", "expected text");
        assertField(hub.call("POST", "/api/admin/tenants", ADMIN_KEY, "{\"id\": \"coerced-name\", \"name\": true}"), "name", "expected text");
        assertThat(hub.call("GET", "/api/admin/audit?targetId=12345", ADMIN_KEY, null).body().get("items")).isEmpty();
        assertField(hub.call("POST", "/api/tenant/integrations", key, "{\"providerId\": \"salesforce\", \"name\": \"x\", \"maxRecordsPerSync\": 1.5}"),
                "maxRecordsPerSync", "expected a whole number");
        assertField(hub.call("POST", "/api/tenant/integrations", key, "{\"providerId\": \"salesforce\", \"name\": \"x\", \"syncEnabled\": \"yes\"}"),
                "syncEnabled", "expected true or false");
        assertThat(hub.ok("GET", "/api/tenant/integrations", key, null).get("items")).isEmpty();

        String integration = integration();
        Response patched = hub.call("PATCH", "/api/tenant/integrations/" + integration, key, "{\"maxRecordsPerSync\": 1.5}");
        assertField(patched, "maxRecordsPerSync", "expected a whole number");
        assertThat(patched.raw()).doesNotContain("java.").doesNotContain("Cannot coerce");
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration, key, null).path("maxRecordsPerSync").isNumber()).isFalse();
    }

    @Test
    void textsLongerThanTheirColumnsAreRefused() {
        String integration = integration();
        String webhooks = "/api/tenant/integrations/" + integration + "/webhooks";
        List<String> events = IntStream.range(0, 200).mapToObj(i -> "company.custom_event_" + i).collect(Collectors.toList());
        assertField(hub.call("POST", webhooks, key, Map.of("scheme", "standard_webhooks", "events", events)), "events", "4000");
        assertField(hub.call("POST", webhooks, key, Map.of("scheme", "google_pubsub", "events", List.of("*"), "settings",
                Map.of("audience", "a".repeat(1999), "serviceAccountEmail", "s".repeat(1980) + "@example.com", "issuer", "i".repeat(1999)))),
                "settings", "4000");
        assertThat(hub.ok("GET", webhooks, key, null).get("items")).isEmpty();

        // a valid cron with every minute listed: longer than the schedule columns
        String everyMinute = "0 " + IntStream.range(0, 60).mapToObj(Integer::toString).collect(Collectors.joining(",")) + " * * * ?";
        assertField(hub.call("PATCH", "/api/tenant/integrations/" + integration, key, Map.of("syncFrequency", everyMinute)),
                "syncFrequency", "at most 100");
        assertField(hub.call("POST", "/api/tenant/integrations/" + integration + "/tasks", key,
                Map.of("entity", "Account", "schedule", everyMinute)), "schedule", "at most 120");
        assertField(hub.call("POST", "/api/tenant/integrations/" + integration + "/tasks", key,
                Map.of("entity", "Account", "name", "n".repeat(201))), "name", "at most 200");
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration + "/tasks", key, null).get("items")).isEmpty();
    }

    @Test
    void webhookSecretsChosenByTheCallerNeedSixteenCharacters() {
        String webhooks = "/api/tenant/integrations/" + integration() + "/webhooks";
        assertField(hub.call("POST", webhooks, key, Map.of("scheme", "github", "events", List.of("*"), "secret", "s3cr3")), "secret", "16");
        assertThat(hub.ok("GET", webhooks, key, null).get("items")).isEmpty();
        assertThat(hub.call("POST", webhooks, key, Map.of("scheme", "github", "events", List.of("*"), "secret", "0123456789abcdef")).status())
                .isEqualTo(201);
    }

    @Test
    void oversizedBodiesAreRefusedWith413() throws Exception {
        String integration = integration();
        String connect = hub.baseUrl() + "/api/tenant/integrations/" + integration + "/connect/api-key";
        String oversized = "{\"credentials\": {\"clientId\": \"sandbox-client\", \"clientSecret\": \"sandbox-secret\", \"username\": \"u\","
                + " \"password\": \"" + "p".repeat(1_200_000) + "\"}}";

        HttpResponse<String> declared = send(HttpRequest.newBuilder(URI.create(connect)), HttpRequest.BodyPublishers.ofString(oversized));
        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(413);
        assertThat(HubClient.JSON.readTree(declared.body()).get("message").asText()).contains("larger than 1048576 bytes");

        byte[] bytes = oversized.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = send(HttpRequest.newBuilder(URI.create(connect)),
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);

        assertThat(hub.call("GET", "/api/tenant/integrations/" + integration + "/connection", key, null).status())
                .as("nothing was stored").isEqualTo(404);
        List<JsonNode> stillServing = new ArrayList<>();
        hub.ok("GET", "/api/tenant/integrations", key, null).get("items").forEach(stillServing::add);
        assertThat(stillServing).hasSize(1);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, HttpRequest.BodyPublisher body) throws Exception {
        return HttpClient.newHttpClient().send(request.header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String integration() {
        return hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", "limits")).get("id").asText();
    }

    private static void assertField(Response response, String field, String reason) {
        assertThat(response.status()).as(response.raw()).isEqualTo(400);
        assertThat(response.body().get("field").asText()).as(response.raw()).isEqualTo(field);
        assertThat(response.body().get("message").asText()).contains(reason);
    }
}
