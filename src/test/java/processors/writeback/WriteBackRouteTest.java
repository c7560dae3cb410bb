package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.builder.Builder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;

/**
 * The sync-outbound route seen by its steps, on the shared hub context: NotifyBuilder waits for the
 * route's exchanges of one shard, and the route statistics (what Hawtio shows) say which step ran or
 * failed. The provider's failures are staged with the in-memory test provider, so the shared context
 * is not advised.
 */
class WriteBackRouteTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    TestProviderAdapter provider;

    @Autowired
    CamelContext camel;

    private HubClient hub;
    private HubClient.Tenant tenant;
    private String key;
    private String integration;
    private String item;
    private String shardId;

    @BeforeEach
    void newTenant() {
        hub = hub();
        tenant = hub.newTenant(ADMIN_KEY);
        key = tenant.key();
    }

    /** An integration of the test provider with one Item synced into a shard. */
    private void itemSynced(Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(Map.of("providerId", TestProviderAdapter.PROVIDER_ID, "name", "items",
                "syncDirection", "bidirectional"));
        body.putAll(settings);
        integration = hub.ok("POST", "/api/tenant/integrations", key, body).get("id").asText();
        hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key, Map.of("credentials", Map.of("ttlMinutes", "60")));
        item = provider.seedItem(tenant.id(), "Item Ltd", "+1 000");
        JsonNode full = hub.runAndWait(key, integration, hub.task(key, integration, "Item", "full"), TIMEOUT);
        assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
        shardId = hub.allShards(key, "c_company").stream()
                .filter(s -> s.at("/externalRelationships/0/externalId").asText().equals(item)).findFirst().orElseThrow().get("id").asText();
    }

    /** Exchanges of sync-outbound that carry this shard's requests, done (completed or failed). */
    private NotifyBuilder doneFor(String shard, int exchanges) {
        return new NotifyBuilder(camel).fromRoute("sync-outbound").filter(Builder.body().contains(shard)).whenDone(exchanges).create();
    }

    private long completed(String stepId) {
        return managed().getManagedProcessor(stepId).getExchangesCompleted();
    }

    /** Exchanges the step failed, handled by the error policy or not. */
    private long failed(String stepId) {
        var processor = managed().getManagedProcessor(stepId);
        return processor.getExchangesFailed() + processor.getFailuresHandled();
    }

    private ManagedCamelContext managed() {
        return camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
    }

    private JsonNode write(int index) {
        return hub.ok("GET", "/api/tenant/shards/" + shardId + "/writes", key, null).get("items").get(index);
    }

    @Test
    void theRouteShowsEachStepInOrder() {
        RouteDefinition route = ((ModelCamelContext) camel).getRouteDefinition("sync-outbound");
        List<String> ids = new ArrayList<>();
        for (ProcessorDefinition<?> node : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ProcessorDefinition.class)) {
            if (node.hasCustomIdAssigned()) {
                ids.add(node.getId());
            }
        }
        assertThat(ids).containsSubsequence("load-request", "check-still-wanted", "connect-integration", "reserve-calls", "operation",
                "create-record", "reread-created", "link-created", "delete-record",
                "compare-rounds", "fetch-record", "merge-fields", "write-record", "reread-record", "settle-record");
        assertThat(route.getRouteConfigurationId()).isEqualTo("write-back-error-policy");
    }

    @Test
    void anUpdatePassesEveryStepOfTheRoute() {
        itemSynced(Map.of());
        List<String> steps = List.of("load-request", "check-still-wanted", "connect-integration", "reserve-calls", "fetch-record",
                "merge-fields", "write-record", "reread-record", "settle-record");
        Map<String, Long> before = new HashMap<>();
        steps.forEach(s -> before.put(s, completed(s)));
        NotifyBuilder done = doneFor(shardId, 1);

        hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("phone", "+1 via the steps")));

        assertThat(done.matches(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("sync-outbound took the request").isTrue();
        assertThat(write(0).get("status").asText()).isEqualTo("done");
        assertThat(provider.item(tenant.id(), item).get("Phone")).isEqualTo("+1 via the steps");
        for (String step : steps) {
            assertThat(completed(step)).as(step).isGreaterThan(before.get(step));
        }
    }

    @Test
    void aTransientWriteErrorIsRetriedOnTheQueueThenDeadLetteredWithTheFailedStep() {
        itemSynced(Map.of("writeBack", Map.of("retry", Map.of("maxAttempts", 2, "backoffMs", 100, "backoffMultiplier", 1))));
        provider.failUpdates(item, 10);
        long writeFailures = failed("write-record");
        long requeued = completed("requeue-write-back");
        long settledFailed = completed("settle-failed");
        NotifyBuilder done = doneFor(shardId, 2);

        hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("phone", "+1 never")));

        // taken twice: the first delivery, re-queued after the backoff, and the retry, given up
        assertThat(done.matches(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Awaitility.await().atMost(TIMEOUT).until(() -> write(0).hasNonNull("finishedAt"));
        assertThat(write(0).get("status").asText()).isEqualTo("failed");
        assertThat(write(0).get("attempts").asInt()).isEqualTo(2);
        assertThat(failed("write-record") - writeFailures).as("write-record failed on each delivery").isGreaterThanOrEqualTo(2);
        assertThat(completed("requeue-write-back") - requeued).isGreaterThanOrEqualTo(1);
        assertThat(completed("settle-failed") - settledFailed).isGreaterThanOrEqualTo(1);

        JsonNode letter = awaitDeadLetter();
        assertThat(letter.get("failedStep").asText()).isEqualTo("update");
        assertThat(letter.get("reason").asText()).contains("503").endsWith("(at step write-record)");
        assertThat(letter.get("attempts").asInt()).isEqualTo(2);
        assertThat(letter.get("sourceQueue").asText()).isEqualTo("sync-outbound");
        assertThat(letter.get("messageType").asText()).isEqualTo(WriteBackRequest.EVENT_TYPE);
        assertThat(letter.get("messageGroup").asText()).isEqualTo(integration + ":" + shardId);
        assertThat(provider.item(tenant.id(), item).get("Phone")).isEqualTo("+1 000");
    }

    @Test
    void aRecordChangedUnderTheWriteIsComparedAgainAndTheConflictRecordedBySettle() {
        itemSynced(Map.of("conflictResolution", "manual"));
        long fetched = completed("fetch-record");
        NotifyBuilder done = doneFor(shardId, 1);
        provider.raceNextUpdate(item, Map.of("Phone", "+1 theirs"));

        hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("phone", "+1 ours")));

        assertThat(done.matches(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(completed("fetch-record") - fetched).as("a second round after the 412").isGreaterThanOrEqualTo(2);
        assertThat(write(0).get("status").asText()).isEqualTo("held");
        JsonNode conflict = hub.ok("GET", "/api/tenant/conflicts?shardId=" + shardId, key, null).get("items").get(0);
        assertThat(conflict.get("status").asText()).isEqualTo("open");
        assertThat(conflict.at("/fields/0/field").asText()).isEqualTo("phone");
        assertThat(conflict.at("/fields/0/ours").asText()).isEqualTo("+1 ours");
        assertThat(conflict.at("/fields/0/theirs").asText()).isEqualTo("+1 theirs");
        assertThat(provider.item(tenant.id(), item).get("Phone")).as("held: neither side changes").isEqualTo("+1 theirs");
    }

    @Test
    void aThrottledRequestWaitsOnItsQueueWithoutCountingAnAttempt() {
        itemSynced(Map.of());
        long waits = completed("wait-throttled");
        // one update every 5 s: the first write takes it, the second waits on the queue for the next
        hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", key,
                Map.of("operations", Map.of("update", Map.of("requests", 1, "windowSeconds", 5))));
        hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("phone", "+1 first")));
        hub.ok("PATCH", "/api/tenant/shards/" + shardId, key, Map.of("structuredData", Map.of("phone", "+1 second")));

        Awaitility.await().atMost(TIMEOUT).until(() -> write(1).hasNonNull("finishedAt"));
        assertThat(write(0).get("status").asText()).isEqualTo("done");
        assertThat(write(1).get("status").asText()).isEqualTo("done");
        assertThat(write(1).get("attempts").asInt()).as("waiting is not an attempt").isZero();
        assertThat(completed("wait-throttled") - waits).as("re-queued while throttled").isGreaterThanOrEqualTo(1);
        assertThat(provider.item(tenant.id(), item).get("Phone")).isEqualTo("+1 second");
        hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", key, Map.of());
    }

    private JsonNode awaitDeadLetter() {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await().atMost(TIMEOUT).until(() -> {
            for (JsonNode d : hub.ok("GET", "/api/admin/deadletters?limit=500", ADMIN_KEY, null).get("items")) {
                if (d.get("body").asText().contains(shardId)) {
                    found[0] = d;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
