package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubProcess;

/**
 * The packaged hub, killed with SIGKILL in the middle of a sync and started again on the same
 * data directory: the queued run is redelivered, resumes from its checkpoint, and every record
 * ends up as exactly one shard.
 */
class SyncCrashRecoveryIT {

    @Test
    void syncKilledMidwayResumesAfterRestartWithoutDuplicates() throws Exception {
        Path dataDir = Files.createTempDirectory("hub-crash-it");
        List<String> args = List.of("--hub.sandbox.salesforce.accounts=3000", "--hub.sandbox.salesforce.latency-ms=150",
                "--hub.sync.page-size=200");
        String key;
        String integration;
        String executionId;
        int port = HubProcess.freePort();
        try (HubProcess first = new HubProcess(dataDir, port, args).start().awaitUp(Duration.ofSeconds(120))) {
            HubClient hub = first.client();
            key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
            integration = hub.connectedSalesforce(key, "crash", Map.of());
            String task = hub.task(key, integration, "Contact", "full");
            executionId = hub.runUntilProcessed(key, integration, task, 1000, Duration.ofSeconds(120));
            // a little more work after the counted pages, so the kill lands between pages and not on a commit
            Thread.sleep(400);
            JsonNode beforeKill = hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions/" + executionId, key, null);
            assertThat(beforeKill.get("status").asText()).as("the run must still be going when the hub dies").isEqualTo("running");
            first.kill();
        }

        try (HubProcess second = new HubProcess(dataDir, port, args).start().awaitUp(Duration.ofSeconds(120))) {
            HubClient hub = second.client();
            JsonNode execution = hub.awaitExecution(key, integration, executionId, Duration.ofSeconds(180));
            assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo("completed");
            assertThat(execution.get("recordsCreated").asLong()).isEqualTo(6000);
            assertThat(execution.get("recordsFailed").asLong()).isZero();
            List<JsonNode> contacts = hub.allShards(key, "c_contact");
            Set<String> externalIds = contacts.stream().map(s -> s.at("/externalRelationships/0/externalId").asText()).collect(Collectors.toSet());
            assertThat(contacts).hasSize(6000);
            assertThat(externalIds).hasSize(6000);
            assertThat(second.output()).containsPattern("resumes the full pass of Contact from 20\\d\\d-");
            assertThat(execution.get("recordsProcessed").asLong()).as("resumed, not restarted").isLessThan(6000 + 1000);
        }
    }

    @Test
    void invalidMappingFileStopsStartupNamingFileAndLine() throws Exception {
        Path dataDir = Files.createTempDirectory("hub-bad-mapping-it");
        Path mappings = Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-mappings"));
        Files.writeString(mappings.resolve("account.yaml"), """
                provider: salesforce
                entity: Account
                shardType: c_company
                externalId: Id
                fields:
                  - target: name
                    source: Name
                    transform: [trim, lowercaes]
                """);
        try (HubProcess hub = new HubProcess(dataDir, HubProcess.freePort(), List.of("--hub.mappings.dir=" + mappings)).start()) {
            assertThat(hub.awaitExit(Duration.ofSeconds(120))).isNotZero();
            assertThat(hub.output()).containsPattern("account\\.yaml:8:\\d+: unknown transform 'lowercaes'");
        }
    }
}
