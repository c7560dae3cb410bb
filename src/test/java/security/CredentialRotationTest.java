package security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;

/** Rotation policies per credential: shown on the connection, validated, warned about when due and when overdue. */
class CredentialRotationTest extends EmbeddedHubTest {

    @Autowired
    CredentialMonitor monitor;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aPolicyIsShownAndWarnedAboutWhenDueThenOverdue() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                "name", "rotation")).get("id").asText();
        String connect = "/api/tenant/integrations/" + integration + "/connect/api-key";
        Map<String, Object> credentials = Map.of("apiKey", "k-rotation-0001");
        JsonNode connected = hub.ok("POST", connect, key, Map.of("type", "api_key", "credentials", credentials,
                "rotation", Map.of("maxAgeDays", 30, "warnBeforeDays", 7)));
        assertThat(connected.get("ok").asBoolean()).isTrue();

        JsonNode connection = connection(hub, key, integration);
        assertThat(connection.get("rotationMaxAgeDays").asInt()).isEqualTo(30);
        assertThat(connection.get("credentialState").asText()).isEqualTo("ok");
        assertThat(OffsetDateTime.parse(connection.get("rotateBy").asText()))
                .isBetween(OffsetDateTime.now().plusDays(29), OffsetDateTime.now().plusDays(31));
        monitor.warnRotationDue();
        assertThat(warnings(hub, integration)).isZero();

        age(integration, 25);
        assertThat(connection(hub, key, integration).get("credentialState").asText()).isEqualTo("rotation_due");
        monitor.warnRotationDue();
        monitor.warnRotationDue();
        assertThat(warnings(hub, integration)).as("once a day at most").isEqualTo(1);

        age(integration, 31);
        jdbc.sql("UPDATE integration_connections SET rotation_warned_at = NULL WHERE integration_id = ?").param(integration).update();
        assertThat(connection(hub, key, integration).get("credentialState").asText()).isEqualTo("rotation_overdue");
        monitor.warnRotationDue();
        assertThat(hub.ok("GET", "/api/admin/audit?action=credential.rotation_overdue&targetId=" + integration, ADMIN_KEY, null)
                .get("items")).hasSize(1);

        // new credentials start the clock again
        hub.ok("POST", connect, key, Map.of("type", "api_key", "credentials", Map.of("apiKey", "k-rotation-0002"),
                "rotation", Map.of("maxAgeDays", 30, "warnBeforeDays", 7)));
        assertThat(connection(hub, key, integration).get("credentialState").asText()).isEqualTo("ok");

        HubClient.Response zero = hub.call("POST", connect, key, Map.of("type", "api_key", "credentials", credentials,
                "rotation", Map.of("maxAgeDays", 0)));
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.body().get("field").asText()).isEqualTo("rotation.maxAgeDays");
        HubClient.Response warnTooLong = hub.call("POST", connect, key, Map.of("type", "api_key", "credentials", credentials,
                "rotation", Map.of("maxAgeDays", 10, "warnBeforeDays", 11)));
        assertThat(warnTooLong.body().get("field").asText()).isEqualTo("rotation.warnBeforeDays");
    }

    private JsonNode connection(HubClient hub, String key, String integration) {
        return hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null);
    }

    private void age(String integration, int days) {
        jdbc.sql("UPDATE integration_connections SET credentials_set_at = ? WHERE integration_id = ?")
                .params(OffsetDateTime.now().minusDays(days), integration).update();
    }

    private long warnings(HubClient hub, String integration) {
        return hub.ok("GET", "/api/admin/audit?action=credential.&targetId=" + integration, ADMIN_KEY, null).get("items").size();
    }
}
