package hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The README's run command, read from the README (the jar the package phase extracts, with the class data sharing
 * archive its training run made, and the JVM options for a fast, small start): the JVM maps the hub's classes from the
 * archive, the routes' as well as the context's (-Xshare:on refuses to start when the archive does not fit the jars),
 * and readiness turns UP only once the hub can do its work: at the first UP every route is started and a sync runs to
 * its end.
 */
class StartupIT {

    @Test
    void theReadmeLaunchUsesTheArchiveAndIsReadyOnlyWithEveryRouteStarted() throws Exception {
        assertThat(HubProcess.CDS_ARCHIVE).as("made by mvn package (hub-cds-training)").exists();
        Path dataDir = Files.createTempDirectory("hub-startup-it");
        Path classLog = dataDir.resolveSibling(dataDir.getFileName() + "-classes.log");
        List<String> launch = new ArrayList<>(List.of("-Xshare:on", "-Xlog:class+load=info:file=" + classLog));
        launch.addAll(HubProcess.readmeLaunch());
        assertThat(launch).as("the README's command runs the extracted jar with the archive")
                .contains("-XX:SharedArchiveFile=" + HubProcess.CDS_ARCHIVE.toAbsolutePath(), HubProcess.EXTRACTED_JAR.toAbsolutePath().toString());
        try (HubProcess hub = new HubProcess(dataDir, HubProcess.freePort(), List.of()).launchedWith(launch).start()) {
            HubClient client = hub.client();
            Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                    .until(() -> client.call("GET", "/actuator/health/readiness", null, null).status() == 200);
            JsonNode routes = client.ok("GET", "/actuator/camelroutes", EmbeddedHubTest.ADMIN_KEY, null);
            List<String> notStarted = new ArrayList<>();
            for (JsonNode route : routes) {
                if (!"Started".equals(route.get("status").asText())) {
                    notStarted.add(route.get("id").asText() + " " + route.get("status").asText());
                }
            }
            assertThat(routes.size()).as("the hub's routes").isGreaterThan(20);
            assertThat(notStarted).as("routes not started when readiness said UP").isEmpty();

            String key = client.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
            String integration = client.connectedSalesforce(key, "startup", Map.of());
            JsonNode execution = client.runAndWait(key, integration, client.task(key, integration, "Account", "full"), Duration.ofMinutes(3));
            assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo("completed");
            assertThat(execution.get("recordsCreated").asLong()).isEqualTo(1000);
        }
        String classes = Files.readString(classLog);
        assertThat(classes).as("the hub's own classes come from the archive")
                .contains("hub.CastielHubApplication source: shared objects file (top)");
        assertThat(classes).as("and the libraries' (Spring Boot, Camel)")
                .contains("org.springframework.boot.SpringApplication source: shared objects file (top)")
                .contains("org.apache.camel.impl.DefaultCamelContext source: shared objects file (top)");
        assertThat(classes).as("and those the routes' start loads, after the context is built (the training run goes on to ready)")
                .contains("org.apache.camel.reifier.RouteReifier source: shared objects file (top)");
    }
}
