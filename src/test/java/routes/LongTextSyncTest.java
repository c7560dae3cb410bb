package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import processors.sync.ContentLimit;

/**
 * A note whose body is longer than {@code hub.content.max-text-chars} (20,000 in the shared test context, under Salesforce's
 * 32,000 so a sandbox task can pass it) syncs cut with the marker and its length, and its page does not fail.
 */
class LongTextSyncTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void anOverLongBodyIsCutWithTheMarkerAndItsLengthAndThePageSyncs() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = "long-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.connectedSalesforce(key, org, Map.of());
        String token = hub.sandboxToken(org);
        String description = "All about the renewal. ".repeat(1_300);
        HubClient.Response created = hub.sandbox("POST", token, "/sobjects/Task",
                Map.of("Subject", "Long call notes", "Description", description));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String longTask = created.body().get("id").asText();
        HubClient.Response shortCreated = hub.sandbox("POST", token, "/sobjects/Task",
                Map.of("Subject", "Short call notes", "Description", "Short."));
        assertThat(shortCreated.status()).as(shortCreated.raw()).isEqualTo(201);

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "Task", "full"), TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsFailed").asLong()).isZero();
        Map<String, JsonNode> notes = SalesforceSyncScenario.byExternalId(hub.allShards(key, "c_note"));
        assertThat(notes).hasSize((int) run.get("recordsProcessed").asLong());
        JsonNode cut = notes.get(longTask).get("structuredData");
        assertThat(cut.get("body").asText()).isEqualTo(description.substring(0, 20_000) + ContentLimit.MARKER);
        assertThat(cut.get("bodyLength").asInt()).isEqualTo(description.length());
        assertThat(cut.get("truncated").asBoolean()).isTrue();
        JsonNode whole = notes.get(shortCreated.body().get("id").asText()).get("structuredData");
        assertThat(whole.get("body").asText()).isEqualTo("Short.");
        assertThat(whole.has("bodyLength")).isFalse();
        assertThat(whole.has("truncated")).isFalse();
    }
}
