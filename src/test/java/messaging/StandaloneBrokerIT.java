package messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubProcess;

/**
 * The postgres profile against a standalone Artemis broker (not embedded in any hub): syncs of three tenants are in
 * flight when the broker is killed; the hub's health goes DOWN, the work waits, and when the broker is back on its
 * journal every run completes with each record exactly once.
 */
class StandaloneBrokerIT {

    private static final String SCHEMA = "hub_broker_it";
    private static final Duration LONG = Duration.ofSeconds(240);

    @Test
    void syncsInFlightWhenTheBrokerDiesFinishOnceItIsBackAndNothingIsLost() throws Exception {
        assertThat(org.apache.activemq.artemis.utils.VersionLoader.getVersion().getFullVersion())
                .as("broker/artemis.sh runs the Artemis the hub's client is").isEqualTo(scriptVersion());
        recreateSchema();
        Path work = Files.createTempDirectory("hub-broker-it");
        int brokerPort = HubProcess.freePort();
        try (StandaloneBroker broker = StandaloneBroker.create(work.resolve("broker"), brokerPort).start();
             HubProcess hubProcess = new HubProcess(work.resolve("hub"), HubProcess.freePort(), hubArgs(broker)).start()
                     .awaitUp(Duration.ofSeconds(180))) {
            HubClient hub = hubProcess.client();
            assertThat(hubProcess.output()).as("native mode starts no broker inside the hub").doesNotContain("AMQ221001");
            record Run(String key, String integration, String execution) {
            }
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
                String integration = hub.connectedSalesforce(key, "broker-it-" + i, Map.of());
                String task = hub.task(key, integration, "Contact", "full");
                String execution = hub.ok("POST", "/api/tenant/integrations/" + integration + "/tasks/" + task + "/run", key, null)
                        .get("executionId").asText();
                runs.add(new Run(key, integration, execution));
            }
            Run first = runs.get(0);
            Awaitility.await().atMost(LONG).until(() -> processed(hub, first.key(), first.integration(), first.execution()) >= 200);

            broker.kill();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> hubProcess.health().equals("DOWN"));

            broker.start();
            Awaitility.await().atMost(LONG).pollInterval(Duration.ofMillis(250)).until(() -> hubProcess.health().equals("UP"));
            for (Run run : runs) {
                JsonNode execution = hub.awaitExecution(run.key(), run.integration(), run.execution(), LONG);
                assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo("completed");
                List<JsonNode> contacts = hub.allShards(run.key(), "c_contact");
                Set<String> externalIds = contacts.stream().map(s -> s.at("/externalRelationships/0/externalId").asText())
                        .collect(Collectors.toSet());
                assertThat(contacts).as("one shard per contact").hasSize(2000);
                assertThat(externalIds).hasSize(2000);
            }
        }
    }

    private static List<String> hubArgs(StandaloneBroker broker) {
        return List.of("--spring.profiles.active=postgres",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA,
                "--spring.flyway.schemas=" + SCHEMA, "--spring.flyway.default-schema=" + SCHEMA,
                "--hub.crypto.keyset-file=${hub.data-dir}/keyset.json",
                "--spring.artemis.mode=native", "--spring.artemis.broker-url=" + broker.url(),
                "--spring.artemis.user=" + StandaloneBroker.USER, "--spring.artemis.password=" + StandaloneBroker.PASSWORD,
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

    private static String scriptVersion() throws Exception {
        return Files.readAllLines(Path.of("broker", "artemis.sh")).stream().filter(l -> l.startsWith("VERSION="))
                .map(l -> l.substring("VERSION=".length()).split("\\s")[0]).findFirst().orElseThrow();
    }
}
