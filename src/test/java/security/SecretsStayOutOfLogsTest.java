package security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * Drives the flows that handle secrets (connect with good and bad credentials, sync, webhook
 * secrets, write-back, the audit trail) while capturing everything the hub logs, then fails if any
 * secret value appears in the logs or in an API response.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsStayOutOfLogsTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void noSecretValueIsLoggedOrAnswered(CapturedOutput output) {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String key = tenant.key();
        String org = "secrets-" + tenant.id();

        // a connection refused by the provider: its reason, never the password tried
        String integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", "secrets",
                "syncDirection", "bidirectional")).get("id").asText();
        Map<String, Object> wrong = new HashMap<>(hub.sandboxCredentials(org));
        wrong.put("password", "Wr0ng-Passw0rd-Never-Logged");
        JsonNode refused = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of("credentials", wrong));
        assertThat(refused.get("ok").asBoolean()).isFalse();
        assertThat(refused.toString()).doesNotContain("Wr0ng-Passw0rd-Never-Logged");

        // connected, synced, a webhook secret generated, a change written back
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                Map.of("credentials", hub.sandboxCredentials(org)));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "Account", "full"), TIMEOUT);
        assertThat(run.get("status").asText()).isEqualTo("completed");
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "standard_webhooks", "events", List.of("*")));
        String webhookSecret = registration.get("secret").asText();
        String sandboxToken = hub.sandboxToken(org);
        String shardId = hub.allShards(key, "c_company").get(0).get("id").asText();
        hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("phone", "+1 555 0000")));
        Awaitility.await().atMost(TIMEOUT).until(() -> hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null)
                .get("items").get(0).hasNonNull("finishedAt"));

        // what the API shows of them
        String views = hub.ok("GET", "/api/tenant/integrations/" + integration + "/connection", key, null).toString()
                + hub.ok("GET", "/api/tenant/integrations/" + integration, key, null)
                + hub.ok("GET", "/api/tenant/integrations/" + integration + "/webhooks", key, null)
                + hub.ok("GET", "/api/admin/audit?tenantId=" + tenant.id(), ADMIN_KEY, null);
        JsonNode audit = hub.ok("GET", "/api/admin/audit?tenantId=" + tenant.id() + "&action=secret.", ADMIN_KEY, null);
        assertThat(audit.get("items")).as("secret reads and writes are audited").isNotEmpty();
        assertThat(audit.get("items").findValuesAsText("action")).contains("secret.write", "secret.read");

        assertThat(output.getAll()).as("the capture sees the hub's log").contains("completed Account", "Connection test of integration");
        List<String> secrets = List.of("sandbox-secret", "Wr0ng-Passw0rd-Never-Logged", webhookSecret, key, ADMIN_KEY, sandboxToken);
        for (String secret : secrets) {
            assertThat(output.getAll()).as("logs").doesNotContain(secret);
            assertThat(views).as("API responses").doesNotContain(secret);
        }
    }
}
