package security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;

/** A re-connect with credentials that fail their test (a typo) changes nothing: the working credentials stay in use. */
class ReconnectKeepsWorkingCredentialsTest extends EmbeddedHubTest {

    @Test
    void aTypoedPasswordKeepsTheWorkingConnection() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = "reconnect-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.connectedSalesforce(key, org, Map.of());
        String base = "/api/tenant/integrations/" + integration;
        JsonNode before = hub.ok("GET", base + "/connection", key, null);

        Map<String, Object> typo = new HashMap<>(hub.sandboxCredentials(org));
        typo.put("password", "sandbx");
        JsonNode result = hub.ok("POST", base + "/connect/api-key", key, Map.of("credentials", typo));

        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("message").asText()).isNotBlank().contains("keeps its working credentials").doesNotContain("sandbx");
        assertThat(result.at("/connection/status").asText()).isEqualTo("connected");
        JsonNode after = hub.ok("GET", base + "/connection", key, null);
        assertThat(after.get("status").asText()).isEqualTo("connected");
        assertThat(after.get("updatedAt")).isEqualTo(before.get("updatedAt"));
        assertThat(hub.ok("GET", base, key, null).get("status").asText()).isEqualTo("connected");

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "Account", "full"), Duration.ofSeconds(60));
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(1000);

        JsonNode fixed = hub.ok("POST", base + "/connect/api-key", key, Map.of("credentials", hub.sandboxCredentials(org)));
        assertThat(fixed.get("ok").asBoolean()).as(fixed.toString()).isTrue();
    }
}
