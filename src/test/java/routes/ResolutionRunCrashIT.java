package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubProcess;

/**
 * The packaged hub, killed with SIGKILL in the middle of a batch resolution run and started again on the same data
 * directory: the run's message is delivered again, the run resumes after its last committed page, and every source
 * record ends up on exactly one shard, with the counts those shards add up to. Two sandbox orgs seeded alike give two
 * Salesforce integrations whose contacts are the same people.
 */
class ResolutionRunCrashIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Test
    void aRunKilledMidwayResumesAfterRestartAndMergesEachPairOnce() throws Exception {
        Path dataDir = Files.createTempDirectory("hub-resolution-crash-it");
        // small pages, so the kill lands with much of the run still to go (the second org's contacts, past the first 600, merge)
        List<String> args = List.of("--hub.sandbox.salesforce.accounts=300", "--hub.resolution.page-size=3");
        int port = HubProcess.freePort();
        String key;
        String runId;
        String east;
        String west;
        try (HubProcess first = new HubProcess(dataDir, port, args).start().awaitUp(Duration.ofSeconds(120))) {
            HubClient hub = first.client();
            key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
            hub.ok("PUT", "/api/tenant/match-rules/c_contact", key, Map.of("enabled", false));
            east = hub.connectedSalesforce(key, "east", Map.of());
            west = hub.connectedSalesforce(key, "west", Map.of());
            for (String integration : List.of(east, west)) {
                JsonNode sync = hub.runAndWait(key, integration, hub.task(key, integration, "Contact", "full"), TIMEOUT);
                assertThat(sync.get("status").asText()).as(sync.toString()).isEqualTo("completed");
            }
            assertThat(hub.allShards(key, "c_contact")).hasSize(1200);

            assertThat(hub.call("DELETE", "/api/tenant/match-rules/c_contact", key, null).status()).isEqualTo(204);
            runId = hub.ok("POST", "/api/tenant/resolution-runs", key, Map.of("shardType", "c_contact")).get("id").asText();
            String path = "/api/tenant/resolution-runs/" + runId;
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
                JsonNode run = hub.ok("GET", path, key, null);
                return run.at("/progress/shardsMatched").asLong() >= 750 || !run.get("status").asText().equals("running")
                        && !run.get("status").asText().equals("queued");
            });
            JsonNode beforeKill = hub.ok("GET", path, key, null);
            assertThat(beforeKill.get("status").asText()).as("the run must still be going when the hub dies: " + beforeKill).isEqualTo("running");
            assertThat(beforeKill.at("/counts/merged").asLong()).isPositive();
            HubClient.Response second = hub.call("POST", "/api/tenant/resolution-runs", key, Map.of("shardType", "c_contact"));
            assertThat(second.status()).as("one run per shard type at a time").isEqualTo(409);
            assertThat(second.raw()).contains(runId);
            first.kill();
        }

        try (HubProcess restarted = new HubProcess(dataDir, port, args).start().awaitUp(Duration.ofSeconds(120))) {
            HubClient hub = restarted.client();
            String path = "/api/tenant/resolution-runs/" + runId;
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> !List.of("queued", "running").contains(hub.ok("GET", path, key, null).get("status").asText()));
            JsonNode run = hub.ok("GET", path, key, null);
            assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
            assertThat(run.get("attempts").asInt()).as("taken up again after the restart").isEqualTo(2);
            assertThat(run.at("/progress/shardsTotal").asLong()).isEqualTo(1200);
            assertThat(run.at("/progress/shardsIndexed").asLong()).isEqualTo(1200);
            assertThat(restarted.output()).contains("Resolution run " + runId + " of c_contact resumes in phase matching");

            // every record on exactly one live shard, never two of one integration on a shard, and as many shards as the
            // run's counted merges leave: no page was lost or applied twice
            List<JsonNode> live = hub.allShards(key, "c_contact").stream().filter(s -> !s.get("deleted").asBoolean()).toList();
            Map<String, Integer> shardsOfRecord = new HashMap<>();
            for (JsonNode shard : live) {
                Set<String> integrations = new HashSet<>();
                for (JsonNode link : shard.get("externalRelationships")) {
                    assertThat(integrations.add(link.get("integrationId").asText())).as("one record per integration on " + shard).isTrue();
                    shardsOfRecord.merge(link.get("integrationId").asText() + "/" + link.get("externalId").asText(), 1, Integer::sum);
                }
            }
            assertThat(shardsOfRecord).hasSize(1200).allSatisfy((record, shards) -> assertThat(shards).as(record).isEqualTo(1));
            assertThat(live).hasSize(1200 - (int) run.at("/counts/merged").asLong());
            // the two orgs hold the same people: nearly all of them are one shard now
            assertThat(run.at("/counts/merged").asLong()).isGreaterThanOrEqualTo(570);
        }
    }
}
