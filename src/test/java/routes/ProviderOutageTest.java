package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * A provider outage in the middle of a sync (the sandbox answers 503 to every API call for a while, as Salesforce
 * does): the run spends its quick retries, waits on its queue for the provider (and its circuit), and goes on from
 * its checkpoint when the provider is back, ending complete without anyone running it again. The outage lasts
 * {@code -Dhub.test.outage-seconds} (6 by default; the 60 works too, slowly).
 */
class ProviderOutageTest extends EmbeddedHubTest {

    private static final long OUTAGE_SECONDS = Long.getLong("hub.test.outage-seconds", 6);

    @Test
    void anOutageMidSyncEndsCompletedWithEveryRecordOnceAndNoRerun() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.connectedSalesforce(key, org, Map.of());
        // about a page a second, so the outage lands mid-pass
        hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", key,
                Map.of("integration", Map.of("requests", 2, "windowSeconds", 1)));
        String token = hub.sandboxToken(org);
        String task = hub.task(key, integration, "Contact", "full");
        String executionId = hub.ok("POST", "/api/tenant/integrations/" + integration + "/tasks/" + task + "/run", key, null)
                .get("executionId").asText();
        String path = "/api/tenant/integrations/" + integration + "/executions/" + executionId;
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> hub.ok("GET", path, key, null).get("recordsProcessed").asLong() >= 400);

        java.time.Instant outageStart = java.time.Instant.now();
        hub.ok("POST", hub.sandboxUrl() + "/setup/outage", token, Map.of("seconds", OUTAGE_SECONDS));
        assertThat(hub.ok("GET", path, key, null).get("recordsProcessed").asLong()).as("mid-pass").isLessThan(2000);

        JsonNode run = hub.awaitExecution(key, integration, executionId, Duration.ofSeconds(OUTAGE_SECONDS * 2 + 90));
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsCreated").asLong()).as(run.toString()).isEqualTo(2000);
        assertThat(run.get("recordsFailed").asLong()).isZero();
        assertThat(run.get("error").isNull()).as(run.toString()).isTrue();
        assertThat(java.time.Instant.parse(run.get("finishedAt").asText())).as("it lived through the outage")
                .isAfter(outageStart.plusSeconds(OUTAGE_SECONDS));
        List<JsonNode> contacts = hub.allShards(key, "c_contact");
        Set<String> externalIds = contacts.stream().map(s -> s.at("/externalRelationships/0/externalId").asText()).collect(Collectors.toSet());
        assertThat(contacts).hasSize(2000);
        assertThat(externalIds).hasSize(2000);
        JsonNode executions = hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions", key, null).get("items");
        assertThat(executions).as("nobody ran it again").hasSize(1);
    }
}
