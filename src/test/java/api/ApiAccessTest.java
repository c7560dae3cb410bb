package api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubClient.Response;

/** Authentication, tenant isolation on every endpoint, and 404s for unknown ids. */
class ApiAccessTest extends EmbeddedHubTest {

    @Test
    void missingOrBadKeysAreRefused() {
        HubClient hub = hub();
        Response missing = hub.call("GET", "/api/tenant/integrations", null, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body().get("message").asText()).contains("Authorization: Bearer");
        assertThat(hub.call("GET", "/api/tenant/integrations", "chk_not-a-key", null).status()).isEqualTo(401);
        assertThat(hub.call("GET", "/api/integrations", "wrong", null).status()).isEqualTo(401);

        String tenantKey = hub.newTenantKey(ADMIN_KEY);
        assertThat(hub.call("POST", "/api/admin/tenants", tenantKey, Map.of("name", "x")).status()).isEqualTo(403);
        assertThat(hub.call("GET", "/api/tenant/integrations", ADMIN_KEY, null).status()).isEqualTo(403);
        assertThat(hub.call("GET", "/api/integrations", tenantKey, null).status()).isEqualTo(200);
        assertThat(hub.call("GET", "/api/integrations", ADMIN_KEY, null).status()).isEqualTo(200);
    }

    @Test
    void catalogListsSalesforceFromTheAdapterRegistry() {
        JsonNode catalog = hub().ok("GET", "/api/integrations", hub().newTenantKey(ADMIN_KEY), null);
        JsonNode salesforce = java.util.stream.StreamSupport.stream(catalog.get("items").spliterator(), false)
                .filter(p -> p.get("id").asText().equals("salesforce")).findFirst().orElseThrow();
        assertThat(salesforce.get("status").asText()).isEqualTo("active");
        assertThat(salesforce.get("entities").toString()).contains("Account", "Contact", "Opportunity");
        assertThat(catalog.has("nextCursor")).isTrue();
    }

    @Test
    void adminCreatesTenantsAndKeysShownOnce() {
        HubClient hub = hub();
        String id = "acme-" + UUID.randomUUID().toString().substring(0, 6);
        Response tenant = hub.call("POST", "/api/admin/tenants", ADMIN_KEY, Map.of("id", id, "name", "Acme"));
        assertThat(tenant.status()).isEqualTo(201);
        assertThat(hub.call("POST", "/api/admin/tenants", ADMIN_KEY, Map.of("id", id, "name", "Acme")).status()).isEqualTo(409);
        assertThat(hub.call("POST", "/api/admin/tenants", ADMIN_KEY, Map.of("id", "Bad Id!", "name", "x")).body().get("field").asText())
                .isEqualTo("id");
        Response key = hub.call("POST", "/api/admin/tenants/" + id + "/api-keys", ADMIN_KEY, Map.of());
        assertThat(key.status()).isEqualTo(201);
        assertThat(key.body().get("key").asText()).startsWith("chk_");
        assertThat(hub.call("GET", "/api/tenant/integrations", key.body().get("key").asText(), null).status()).isEqualTo(200);
        assertThat(hub.call("POST", "/api/admin/tenants/no-such-tenant/api-keys", ADMIN_KEY, Map.of()).status()).isEqualTo(404);
    }

    @Test
    void tenantsSeeOnlyTheirOwnRecordsOnEveryEndpoint() {
        HubClient hub = hub();
        String owner = hub.newTenantKey(ADMIN_KEY);
        String other = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.connectedSalesforce(owner, "iso-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        String task = hub.task(owner, integration, "Account", "full");
        JsonNode execution = hub.runAndWait(owner, integration, task, Duration.ofSeconds(60));
        String shard = hub.allShards(owner, "c_company").get(0).get("id").asText();
        String base = "/api/tenant/integrations/" + integration;

        List<String[]> endpoints = List.of(
                new String[] {"GET", base}, new String[] {"PATCH", base}, new String[] {"DELETE", base},
                new String[] {"POST", base + "/connect/api-key"}, new String[] {"POST", base + "/disconnect"},
                new String[] {"GET", base + "/connection"}, new String[] {"POST", base + "/connection/test"},
                new String[] {"GET", base + "/tasks"}, new String[] {"POST", base + "/tasks"},
                new String[] {"GET", base + "/tasks/" + task}, new String[] {"PATCH", base + "/tasks/" + task},
                new String[] {"DELETE", base + "/tasks/" + task}, new String[] {"POST", base + "/tasks/" + task + "/run"},
                new String[] {"GET", base + "/executions"}, new String[] {"GET", base + "/executions/" + execution.get("id").asText()},
                new String[] {"GET", "/api/tenant/shards/" + shard});
        for (String[] endpoint : endpoints) {
            Object body = endpoint[0].equals("GET") || endpoint[0].equals("DELETE") ? null
                    : endpoint[1].endsWith("connect/api-key") ? Map.of("credentials", hub.sandboxCredentials("x"))
                    : endpoint[1].endsWith("/tasks") ? Map.of("entity", "Account") : Map.of("name", "stolen");
            Response response = hub.call(endpoint[0], endpoint[1], other, body);
            assertThat(response.status()).as(endpoint[0] + " " + endpoint[1] + " -> " + response.raw()).isEqualTo(404);
        }
        assertThat(hub.ok("GET", "/api/tenant/integrations", other, null).get("items")).isEmpty();
        assertThat(hub.ok("GET", "/api/tenant/shards", other, null).get("items")).isEmpty();
        // and nothing the other tenant tried changed anything
        assertThat(hub.ok("GET", base, owner, null).get("name").asText()).isNotEqualTo("stolen");
        assertThat(hub.ok("GET", base + "/tasks/" + task, owner, null).get("id").asText()).isEqualTo(task);
        assertThat(hub.ok("GET", base + "/connection", owner, null).get("status").asText()).isEqualTo("connected");
    }

    @Test
    void unknownIdsAreNotFound() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", "x")).get("id").asText();
        String base = "/api/tenant/integrations/" + integration;
        assertThat(hub.call("GET", "/api/tenant/integrations/" + UUID.randomUUID(), key, null).status()).isEqualTo(404);
        assertThat(hub.call("GET", base + "/tasks/" + UUID.randomUUID(), key, null).status()).isEqualTo(404);
        assertThat(hub.call("GET", base + "/executions/" + UUID.randomUUID(), key, null).status()).isEqualTo(404);
        assertThat(hub.call("GET", "/api/tenant/shards/" + UUID.randomUUID(), key, null).status()).isEqualTo(404);
        assertThat(hub.call("GET", base + "/connection", key, null).status()).isEqualTo(404);
        assertThat(hub.call("GET", "/api/tenant/nothing-here", key, null).status()).isEqualTo(404);
    }
}
