package store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubProcess;
import hub.TcpRelay;

/**
 * The postgres profile when PostgreSQL goes away mid-run: the hub reaches the database through a relay the test cuts
 * while a sync is in flight (every connection closed, new ones refused) and opens again 10 s later. The hub's health
 * answers DOWN within seconds (never hangs), is UP again once the database is back, and the run completes with each
 * record exactly once.
 */
class DatabaseOutageIT {

    private static final String SCHEMA = "hub_db_outage_it";
    private static final Duration LONG = Duration.ofSeconds(240);

    @Test
    void aSyncInFlightWhenTheDatabaseGoesAwayFinishesOnceItIsBackAndNothingIsLost() throws Exception {
        recreateSchema();
        Path work = Files.createTempDirectory("hub-db-outage-it");
        try (TcpRelay database = new TcpRelay("127.0.0.1", 5432);
             HubProcess hubProcess = new HubProcess(work.resolve("hub"), HubProcess.freePort(), hubArgs(database.port())).start()
                     .awaitUp(Duration.ofSeconds(180))) {
            HubClient hub = hubProcess.client();
            String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
            String integration = hub.connectedSalesforce(key, "db-outage-it", Map.of());
            String task = hub.task(key, integration, "Contact", "full");
            String execution = hub.ok("POST", "/api/tenant/integrations/" + integration + "/tasks/" + task + "/run", key, null)
                    .get("executionId").asText();
            Awaitility.await().atMost(LONG).until(() -> processed(hub, key, integration, execution) >= 200);

            database.cut();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> hubProcess.health().equals("DOWN"));
            // the outage: 10 s without a database, health DOWN (and answering) all along
            Awaitility.await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> hubProcess.health().equals("DOWN"));

            database.open();
            Awaitility.await().atMost(LONG).pollInterval(Duration.ofMillis(250)).until(() -> hubProcess.health().equals("UP"));
            JsonNode run = hub.awaitExecution(key, integration, execution, LONG);
            assertThat(run.get("status").asText()).as("%s\nthe hub's log of the run:\n%s", run, hubProcess.logEntries(execution))
                    .isEqualTo("completed");
            List<JsonNode> contacts = hub.allShards(key, "c_contact");
            Set<String> externalIds = contacts.stream().map(s -> s.at("/externalRelationships/0/externalId").asText())
                    .collect(Collectors.toSet());
            assertThat(contacts).as("one shard per contact").hasSize(2000);
            assertThat(externalIds).hasSize(2000);
        }
    }

    private static List<String> hubArgs(int databasePort) {
        return List.of("--spring.profiles.active=postgres",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + databasePort + "/test?currentSchema=" + SCHEMA,
                "--spring.flyway.schemas=" + SCHEMA, "--spring.flyway.default-schema=" + SCHEMA,
                "--hub.crypto.keyset-file=${hub.data-dir}/keyset.json",
                "--hub.sandbox.enabled=true", "--hub.outbound.allowed-hosts=self",
                "--hub.sandbox.salesforce.accounts=1000", "--hub.sandbox.salesforce.latency-ms=100", "--hub.sync.page-size=200");
    }


    private static long processed(HubClient hub, String key, String integration, String execution) {
        return hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions/" + execution, key, null).get("recordsProcessed").asLong();
    }

    private static void recreateSchema() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            c.createStatement().execute("CREATE SCHEMA " + SCHEMA);
        }
    }
}
