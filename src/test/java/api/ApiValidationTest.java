package api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubClient.Response;

/** Bad input gets a 400 that names the field, and changes nothing. */
class ApiValidationTest extends EmbeddedHubTest {

    private HubClient hub;
    private String key;

    @BeforeEach
    void tenant() {
        hub = hub();
        key = hub.newTenantKey(ADMIN_KEY);
    }

    @Test
    void malformedJsonAndUnknownFieldsAreRefused() {
        Response malformed = hub.call("POST", "/api/tenant/integrations", key, "{\"providerId\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("message").asText()).contains("malformed JSON");
        assertField(hub.call("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", "x", "colour", "red")), "colour");
        assertField(hub.call("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", "x", "maxRecordsPerSync", "lots")),
                "maxRecordsPerSync");
        assertThat(hub.ok("GET", "/api/tenant/integrations", key, null).get("items")).isEmpty();
    }

    @Test
    void invalidIntegrationSettingsNameTheField() {
        assertField(create(Map.of("name", "x")), "providerId");
        assertField(create(Map.of("providerId", "myspace", "name", "x")), "providerId");
        assertField(create(Map.of("providerId", "salesforce")), "name");
        assertField(create(Map.of("providerId", "salesforce", "name", "x", "syncDirection", "sideways")), "syncDirection");
        assertField(create(Map.of("providerId", "salesforce", "name", "x", "conflictResolution", "coin_toss")), "conflictResolution");
        assertField(create(Map.of("providerId", "salesforce", "name", "x", "syncFrequency", "every tuesday")), "syncFrequency");
        assertField(create(Map.of("providerId", "salesforce", "name", "x", "syncFrequency", "0 61 * * * ?")), "syncFrequency");
        assertField(create(Map.of("providerId", "salesforce", "name", "x", "maxRecordsPerSync", 0)), "maxRecordsPerSync");
        assertField(create(Map.of("providerId", "salesforce", "name", "x", "pullFilters",
                Map.of("Account", List.of(Map.of("field", "Industry", "op", "LIKE", "value", "x"))))), "pullFilters.Account[0].op");
        assertField(create(Map.of("providerId", "salesforce", "name", "x", "pullFilters",
                Map.of("Account", List.of(Map.of("field", "Industry'--", "op", "=", "value", "x"))))), "pullFilters.Account[0].field");
        assertField(create(Map.of("providerId", "salesforce", "name", "x", "entityMappings", List.of(Map.of("entity", "Case")))),
                "entityMappings[0].entity");
        assertField(create(Map.of("providerId", "salesforce", "name", "x", "sources", Map.of("Case", List.of("a")))), "sources.Case");
        assertField(create(Map.of("providerId", "salesforce", "name", "x", "sources", Map.of("*", List.of("a", " ")))), "sources.*[1]");
        Response badMapping = create(Map.of("providerId", "salesforce", "name", "x", "fieldMappings",
                Map.of("Account", List.of(Map.of("target", "name", "source", "Name", "transform", List.of("lowercaes"))))));
        assertField(badMapping, "fieldMappings.Account");
        assertThat(badMapping.body().get("message").asText()).contains("lowercaes");
        assertThat(hub.ok("GET", "/api/tenant/integrations", key, null).get("items")).isEmpty();
    }

    @Test
    void patchValidatesTheWholeResultAndKeepsTheRest() {
        JsonNode created = hub.ok("POST", "/api/tenant/integrations", key,
                Map.of("providerId", "salesforce", "name", "Sales", "syncFrequency", "1h", "maxRecordsPerSync", 500));
        String path = "/api/tenant/integrations/" + created.get("id").asText();
        assertField(hub.call("PATCH", path, key, Map.of("syncDirection", "sideways")), "syncDirection");
        assertField(hub.call("PATCH", path, key, Map.of("nonsense", 1)), "nonsense");
        assertField(hub.call("PATCH", path, key, Map.of("providerId", "hubspot")), "providerId");
        JsonNode selected = hub.ok("PATCH", path, key, Map.of("sources", Map.of("Account", List.of("east", "east", "west"))));
        assertThat(selected.at("/sources/Account").toString()).isEqualTo("[\"east\",\"west\"]");
        JsonNode patched = hub.ok("PATCH", path, key, Map.of("name", "Sales EMEA", "syncDirection", "bidirectional"));
        assertThat(patched.get("name").asText()).isEqualTo("Sales EMEA");
        assertThat(patched.get("syncDirection").asText()).isEqualTo("bidirectional");
        assertThat(patched.get("syncFrequency").asText()).isEqualTo("1h");
        assertThat(patched.get("maxRecordsPerSync").asInt()).isEqualTo(500);
        Map<String, Object> clear = new java.util.HashMap<>();
        clear.put("maxRecordsPerSync", null);
        assertThat(hub.ok("PATCH", path, key, clear).get("maxRecordsPerSync").isNull()).isTrue();
    }

    @Test
    void invalidTasksAndCredentialsNameTheField() {
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", "x")).get("id").asText();
        String base = "/api/tenant/integrations/" + integration;
        assertField(hub.call("POST", base + "/tasks", key, Map.of("mode", "full")), "entity");
        assertField(hub.call("POST", base + "/tasks", key, Map.of("entity", "Case")), "entity");
        assertField(hub.call("POST", base + "/tasks", key, Map.of("entity", "Account", "mode", "sometimes")), "mode");
        assertField(hub.call("POST", base + "/tasks", key, Map.of("entity", "Account", "schedule", "61 * * * *")), "schedule");
        assertThat(hub.ok("GET", base + "/tasks", key, null).get("items")).isEmpty();

        assertField(hub.call("POST", base + "/connect/api-key", key, Map.of("credentials", Map.of())), "credentials");
        assertField(hub.call("POST", base + "/connect/api-key", key, Map.of("credentials",
                Map.of("clientId", "a", "clientSecret", "b", "username", "c"))), "credentials.password");
        assertField(hub.call("POST", base + "/connect/api-key", key, Map.of("credentials",
                Map.of("clientId", "a", "clientSecret", "b", "username", "c", "password", "d", "apiToken", "e"))), "credentials.apiToken");
        assertField(hub.call("POST", base + "/connect/api-key", key, Map.of("credentials",
                Map.of("clientId", "a", "clientSecret", "b", "username", "c", "password", "d", "loginUrl", "ftp://x"))), "credentials.loginUrl");
        assertThat(hub.call("GET", base + "/connection", key, null).status()).isEqualTo(404);

        String task = hub.task(key, integration, "Account", "full");
        Response notConnected = hub.call("POST", base + "/tasks/" + task + "/run", key, null);
        assertThat(notConnected.status()).isEqualTo(409);
        assertThat(notConnected.body().get("message").asText()).contains("not connected");
    }

    @Test
    void badPagingParametersAreRefused() {
        assertField(hub.call("GET", "/api/tenant/shards?limit=0", key, null), "limit");
        assertField(hub.call("GET", "/api/tenant/shards?limit=abc", key, null), "limit");
        assertField(hub.call("GET", "/api/tenant/shards?cursor=not-a-cursor", key, null), "cursor");
        assertField(hub.call("GET", "/api/tenant/shards?type=c_planet", key, null), "type");
    }

    @Test
    void unknownStatusFiltersAreRefusedNamingTheAllowedOnes() {
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", "x")).get("id").asText();
        Response executions = hub.call("GET", "/api/tenant/integrations/" + integration + "/executions?status=done", key, null);
        assertField(executions, "status");
        assertThat(executions.body().get("message").asText()).isEqualTo("status: must be one of cancelled, completed, failed, partial, pending, running");
        Response conflicts = hub.call("GET", "/api/tenant/conflicts?status=OPEN", key, null);
        assertField(conflicts, "status");
        assertThat(conflicts.body().get("message").asText()).isEqualTo("status: must be one of open, resolved");
        Response deliveries = hub.call("GET", "/api/webhooks/deliveries?status=verified", key, null);
        assertField(deliveries, "status");
        assertThat(deliveries.body().get("message").asText())
                .isEqualTo("status: must be one of accepted, duplicate, processed, processing_failed, rejected");
        assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions?status=running", key, null).get("items")).isEmpty();
        assertThat(hub.ok("GET", "/api/tenant/conflicts?status=open", key, null).get("items")).isEmpty();
    }

    private Response create(Map<String, Object> body) {
        return hub.call("POST", "/api/tenant/integrations", key, body);
    }

    private static void assertField(Response response, String field) {
        assertThat(response.status()).as(response.raw()).isEqualTo(400);
        assertThat(response.body().get("field").asText()).as(response.raw()).isEqualTo(field);
    }
}
