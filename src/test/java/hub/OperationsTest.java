package hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;

import hub.HubClient.Response;

/** What operators rely on: health with Camel checks, Hawtio and Jolokia, the OpenAPI document, secrets kept sealed. */
class OperationsTest extends EmbeddedHubTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void healthReportsCamelTheStoreAndTheBroker() {
        JsonNode health = hub().call("GET", "/actuator/health", ADMIN_KEY, null).body();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/camelHealth/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/broker/status").asText()).isEqualTo("UP");
        assertThat(hub().call("GET", "/actuator/health/readiness", null, null).status()).isEqualTo(200);
    }

    @Test
    void hawtioAndJolokiaServeTheCamelRoutesWithTheAdminKey() {
        assertThat(hub().call("GET", "/actuator/hawtio/", ADMIN_KEY, null).status()).isEqualTo(200);
        JsonNode routes = hub().call("GET", "/actuator/jolokia/search/org.apache.camel:type=routes,*", ADMIN_KEY, null).body();
        String syncInbound = null;
        for (JsonNode name : routes.get("value")) {
            if (name.asText().endsWith("name=\"sync-inbound\"")) {
                syncInbound = name.asText();
            }
        }
        assertThat(syncInbound).as(routes.toString()).isNotNull();
        Response state = hub().call("GET", "/actuator/jolokia/read/" + syncInbound.replace("\"", "%22") + "/State", ADMIN_KEY, null);
        assertThat(state.body().get("value").asText()).as(state.raw()).isEqualTo("Started");
    }

    @Test
    void openApiDocumentDescribesTheApiWithBearerKeys() {
        JsonNode doc = hub().call("GET", "/api/openapi", null, null).body();
        assertThat(doc.at("/info/title").asText()).isEqualTo("Castiel Integration Hub API");
        assertThat(doc.get("paths").has("/api/tenant/integrations/{integrationId}/tasks/{taskId}/run")).isTrue();
        assertThat(doc.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.toString()).doesNotContain("\"name\":\"caller\"");
    }

    @Test
    void credentialsAreSealedAtRestAndNeverReturned() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.connectedSalesforce(key, "sealed-" + UUID.randomUUID().toString().substring(0, 6), Map.of());
        JsonNode connection = hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null);
        String secretName = connection.get("secretName").asText();
        assertThat(secretName).matches("tenant-t-[0-9a-f]{8}-salesforce-" + integration + "-oauth");
        assertThat(connection.toString()).doesNotContain("sandbox-secret").doesNotContain("\"password\"");
        String sealed = jdbc.sql("SELECT ciphertext FROM vault_secrets WHERE name = ?").param(secretName).query(String.class).single();
        assertThat(sealed).doesNotContain("sandbox-secret");
        assertThat(new String(java.util.Base64.getDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("sandbox-secret").doesNotContain("sandbox-client");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'secret.write' AND target_id = ?").param(secretName)
                .query(Integer.class).single()).isEqualTo(1);
    }
}
