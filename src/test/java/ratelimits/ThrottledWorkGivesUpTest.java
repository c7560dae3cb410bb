package ratelimits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.PostgresHubTest;
import hub.TestProviderAdapter;

/**
 * Work the limits would hold longer than the maximum wait (5 s in this context) is not queued for a
 * day: it fails to the dead letter with the reason, and a replay runs it once the limit allows.
 */
class ThrottledWorkGivesUpTest extends PostgresHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, Object> ONE_A_DAY = Map.of("integration", Map.of("requests", 1, "windowSeconds", 86400));

    @Autowired
    TestProviderAdapter provider;

    @Test
    void aSyncAndAWriteBackThatWouldWaitTooLongAreDeadLetteredAndASyncCanBeReplayed() throws Exception {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(EmbeddedHubTest.ADMIN_KEY);
        String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(), Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                "name", "one-a-day", "syncDirection", "bidirectional")).get("id").asText();
        hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", tenant.key(),
                Map.of("credentials", Map.of("ttlMinutes", "60")));
        String item = provider.seedItem(tenant.id(), "Patient Ltd", "+1 000");
        String limits = "/api/tenant/integrations/" + integration + "/rate-limits";
        hub.ok("PUT", limits, tenant.key(), ONE_A_DAY);
        // the day's only call
        hub.ok("POST", "/api/tenant/integrations/" + integration + "/connection/test", tenant.key(), null);

        JsonNode run = hub.runAndWait(tenant.key(), integration, hub.task(tenant.key(), integration, "Item", "full"), TIMEOUT);
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("error").asText()).contains("maximum wait").contains("integration limit of 1/86400s");
        JsonNode letter = awaitDeadLetter(hub, run.get("id").asText());
        assertThat(letter.get("failedStep").asText()).isEqualTo("rate-limit");
        assertThat(letter.get("sourceQueue").asText()).isEqualTo("sync-inbound-scheduled");
        assertThat(letter.get("integrationId").asText()).isEqualTo(integration);

        // the limit lifted, the dead letter replayed: the same run completes
        hub.ok("PUT", limits, tenant.key(), Map.of());
        // replayed twice: the run runs once
        for (int i = 0; i < 2; i++) {
            assertThat(hub.call("POST", "/api/admin/deadletters/" + letter.get("id").asText() + "/replay", EmbeddedHubTest.ADMIN_KEY, null)
                    .status()).isEqualTo(202);
        }
        String execution = "/api/tenant/integrations/" + integration + "/executions/" + run.get("id").asText();
        Awaitility.await().atMost(TIMEOUT).until(() -> "completed".equals(hub.ok("GET", execution, tenant.key(), null).get("status").asText()));
        // the second replay starts nothing more: the run stays completed with its one record
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(TIMEOUT).until(() -> {
            JsonNode now = hub.ok("GET", execution, tenant.key(), null);
            return now.get("recordsProcessed").asLong() == 1 && "completed".equals(now.get("status").asText());
        });
        assertThat(hub.ok("GET", execution, tenant.key(), null).get("recordsProcessed").asLong()).isEqualTo(1);
        assertThat(hub.ok("GET", execution, tenant.key(), null).get("status").asText()).isEqualTo("completed");
        JsonNode shard = hub.allShards(tenant.key(), "c_company").get(0);

        // back to one call a day, already spent: a write-back gives up the same way
        hub.ok("PUT", limits, tenant.key(), ONE_A_DAY);
        hub.ok("PATCH", "/api/tenant/shards/" + shard.get("id").asText(), tenant.key(), Map.of("structuredData", Map.of("phone", "+1 999")));
        JsonNode writeLetter = awaitDeadLetter(hub, shard.get("id").asText());
        assertThat(writeLetter.get("reason").asText()).contains("maximum wait");
        assertThat(writeLetter.get("sourceQueue").asText()).isEqualTo("sync-outbound");
        assertThat(provider.item(tenant.id(), item).get("Phone")).isEqualTo("+1 000");
    }

    @Test
    void aSyncWhoseProviderStaysDownWaitsAndEndsFailedWithTheReasonOnlyAfterTheMaximumWait() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(EmbeddedHubTest.ADMIN_KEY);
        String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(), Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                "name", "down")).get("id").asText();
        hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", tenant.key(),
                Map.of("credentials", Map.of("ttlMinutes", "60")));
        provider.seedItem(tenant.id(), "Down Ltd", "+1 000");
        provider.failFetches(tenant.id(), 1_000_000);

        JsonNode run = hub.runAndWait(tenant.key(), integration, hub.task(tenant.key(), integration, "Item", "full"), TIMEOUT);
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("error").asText()).contains("the provider was unavailable for longer than the maximum wait")
                .contains("503");
        // it waited on its queue until its next wait would pass the maximum wait (5 s here), not just its quick retries
        assertThat(run.get("durationMs").asLong()).isGreaterThanOrEqualTo(3000);
        assertThat(awaitDeadLetter(hub, run.get("id").asText()).get("failedStep").asText()).isEqualTo("provider-unavailable");
        provider.failFetches(tenant.id(), 0);
    }

    private static JsonNode awaitDeadLetter(HubClient hub, String text) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await().atMost(TIMEOUT).until(() -> {
            for (JsonNode d : hub.ok("GET", "/api/admin/deadletters?limit=500", EmbeddedHubTest.ADMIN_KEY, null).get("items")) {
                if (d.get("body").asText().contains(text)) {
                    found[0] = d;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
