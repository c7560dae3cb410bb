package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubProcess;

/**
 * The packaged hub stopped with SIGTERM in the middle of a sync: the run stops at a page boundary without being
 * retried or failed, no login goes anywhere but the integration's login URL, and after the restart the same run
 * resumes from its checkpoint and completes with every record once.
 */
class SyncGracefulStopIT {

    private static final Pattern LOGIN = Pattern.compile("Login at Salesforce loginUrl: (\\S+)");

    @Test
    void sigtermStopsTheRunAtAPageBoundaryAndItResumesAfterTheRestart() throws Exception {
        Path dataDir = Files.createTempDirectory("hub-stop-it");
        List<String> args = List.of("--hub.sandbox.salesforce.accounts=3000", "--hub.sandbox.salesforce.latency-ms=150",
                "--hub.sync.page-size=200");
        int port = HubProcess.freePort();
        String loginUrl = "http://localhost:" + port + "/sandbox/salesforce";
        String key;
        String integration;
        String executionId;
        String firstLog;
        try (HubProcess first = new HubProcess(dataDir, port, args).start().awaitUp(Duration.ofSeconds(120))) {
            HubClient hub = first.client();
            key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
            integration = hub.connectedSalesforce(key, "stop", Map.of());
            String task = hub.task(key, integration, "Contact", "full");
            executionId = hub.runUntilProcessed(key, integration, task, 1000, Duration.ofSeconds(120));
            first.terminate();
            assertThat(first.awaitExit(Duration.ofSeconds(60))).as(first.output()).isIn(0, 130, 143);
            firstLog = first.output();
        }
        assertThat(firstLog).contains("Execution " + executionId + " of Contact stopped")
                .doesNotContain("Execution " + executionId + " failed").doesNotContain("Execution " + executionId + " partial")
                .doesNotContain("On delivery attempt: 1");
        assertLoginsOnlyAt(firstLog, loginUrl);

        try (HubProcess second = new HubProcess(dataDir, port, args).start().awaitUp(Duration.ofSeconds(120))) {
            HubClient hub = second.client();
            JsonNode execution = hub.awaitExecution(key, integration, executionId, Duration.ofSeconds(180));
            assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo("completed");
            assertThat(execution.get("recordsCreated").asLong()).isEqualTo(6000);
            List<JsonNode> contacts = hub.allShards(key, "c_contact");
            Set<String> externalIds = contacts.stream().map(s -> s.at("/externalRelationships/0/externalId").asText()).collect(Collectors.toSet());
            assertThat(contacts).hasSize(6000);
            assertThat(externalIds).hasSize(6000);
            assertThat(execution.get("recordsProcessed").asLong()).as("resumed, not restarted").isLessThan(6000 + 1000);
            assertThat(hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions", key, null).get("items"))
                    .as("the same run, not a new one").hasSize(1);
            assertLoginsOnlyAt(second.output(), loginUrl);
            assertThat(second.output()).doesNotContain("Refused a Salesforce login request");
        }
    }

    private static void assertLoginsOnlyAt(String log, String loginUrl) {
        Matcher m = LOGIN.matcher(log);
        int logins = 0;
        while (m.find()) {
            assertThat(m.group(1)).as("every login goes to the integration's login URL").startsWith(loginUrl);
            logins++;
        }
        assertThat(logins).isPositive();
        assertThat(log).doesNotContain("login.salesforce.com");
    }
}
