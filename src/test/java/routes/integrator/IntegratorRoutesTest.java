package routes.integrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.model.ModelCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;

/** Routes integrators edit: the built-in templates, files dropped into hub.routes.dir, refusals, and the three templates at work. */
class IntegratorRoutesTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(90);

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;

    private final List<Path> written = new ArrayList<>();

    @AfterEach
    void removeFiles() throws IOException {
        for (Path file : written) {
            Files.deleteIfExists(file);
        }
        Awaitility.await().atMost(TIMEOUT).until(() -> health().at("/details/loaded").size() == 0
                && health().at("/details/refused").size() == 0);
    }

    @Test
    void builtInTemplatesAreLoadedAtStart() {
        ModelCamelContext model = (ModelCamelContext) camel;
        for (String template : List.of("scheduled-sync", "record-filter", "shard-change-tap")) {
            assertThat(model.getRouteTemplateDefinition(template)).as(template).isNotNull();
            assertThat(model.getRouteTemplateDefinition(template).getResource().getLocation()).contains("routes/templates.camel.yaml");
        }
        assertThat(health().at("/status").asText()).isEqualTo("UP");
        assertThat(health().at("/details/directory").asText()).isEqualTo(integratorRoutesDir().toString());
    }

    @Test
    void aDroppedFileIsLoadedAChangeIsReloadedAndADeletionRemovesItsRoutes() {
        String id = "greeting-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = write(id + ".camel.yaml", greeting(id, "hello"));
        Awaitility.await().atMost(TIMEOUT).until(() -> started(id));
        assertThat(producer.requestBody("direct:" + id, "", String.class)).isEqualTo("hello");
        assertThat(health().at("/details/loaded/" + file.getFileName()).toString()).contains(id);

        write(file.getFileName().toString(), greeting(id, "hello again"));
        Awaitility.await().atMost(TIMEOUT).until(() -> "hello again".equals(producer.requestBody("direct:" + id, "", String.class)));

        delete(file);
        Awaitility.await().atMost(TIMEOUT).until(() -> camel.getRoute(id) == null);
        assertThat(health().at("/details/loaded").has(file.getFileName().toString())).isFalse();
    }

    @Test
    void aBrokenFileIsRefusedWithItsLineAndReasonAndThePreviousVersionKeepsRunning() {
        String id = "kept-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = write(id + ".camel.yaml", greeting(id, "first"));
        Awaitility.await().atMost(TIMEOUT).until(() -> started(id));
        long routeStartedAt = camel.getRoute(id).getUptimeMillis();
        String name = file.getFileName().toString();

        // a syntax error: the step list is indented wrongly
        refused(name, """
                - route:
                    id: %s
                    from:
                      uri: direct:%s
                      steps:
                        - setBody:
                            constant: broken
                       - log: x
                """.formatted(id, id), 8, "expected <block end>");
        // an unknown component
        refused(name, """
                - route:
                    id: %s
                    from:
                      uri: direct:%s
                      steps:
                        - to: nosuchcomponent:somewhere
                """.formatted(id, id), 6, "unknown component 'nosuchcomponent'");
        // an unknown template
        refused(name, """
                - templatedRoute:
                    routeTemplateRef: no-such-template
                    routeId: %s
                """.formatted(id), 1, "unknown route template 'no-such-template'");
        // a template parameter missing
        refused(name, """
                - templatedRoute:
                    routeTemplateRef: record-filter
                    routeId: %s
                    parameters:
                      - name: provider
                        value: salesforce
                      - name: entity
                        value: Account
                """.formatted(id), 1, "route template 'record-filter' needs parameter(s) condition");
        // a parameter the template does not have
        refused(name, """
                - templatedRoute:
                    routeTemplateRef: record-filter
                    routeId: %s
                    parameters:
                      - name: provider
                        value: salesforce
                      - name: entity
                        value: Account
                      - name: condition
                        value: "${body[name]} == 'x'"
                      - name: colour
                        value: blue
                """.formatted(id), 1, "route template 'record-filter' has no parameter(s) colour");
        // beans: code an integrator file may not bring
        refused(name, """
                - beans:
                    - name: mine
                      type: java.lang.Object
                """, 1, "'beans' is not accepted here: integrator files hold [from, route, templatedRoute] only");
        // one of the hub's own routes
        refused(name, """
                - route:
                    id: sync-inbound
                    from:
                      uri: direct:%s
                      steps:
                        - setBody:
                            constant: mine now
                """.formatted(id), 1, "route id 'sync-inbound' is one of the hub's own routes");

        assertThat(producer.requestBody("direct:" + id, "", String.class)).isEqualTo("first");
        assertThat(camel.getRoute(id).getUptimeMillis()).as("the previous version was never restarted")
                .isGreaterThanOrEqualTo(routeStartedAt);
        assertThat(camel.getRoute("sync-inbound").getEndpoint().getEndpointUri()).isEqualTo("direct://sync-inbound");
        assertThat(health().at("/status").asText()).isEqualTo("UP");
    }

    @Test
    void recordFilterSkipsMatchingRecordsCountsThemAndKeepsTheCheckpoint() throws IOException {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = "filter-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.connectedSalesforce(key, org, Map.of());
        String token = hub.sandboxToken(org);
        List<JsonNode> accounts = hub.sandboxRecords(token, "Account", "Id,Name", 1000);
        assertThat(accounts).hasSize(1000);
        long matching = accounts.stream().filter(a -> a.get("Name").asText().strip().matches("[A-M].*")).count();
        assertThat(matching).isBetween(1L, 999L);

        Path changes = Files.createTempDirectory("shard-changes");
        write("filter-" + org + ".camel.yaml", """
                - templatedRoute:
                    routeTemplateRef: record-filter
                    routeId: skip-a-to-m-%s
                    parameters:
                      - name: provider
                        value: salesforce
                      - name: entity
                        value: Account
                      - name: condition
                        value: "${header.CastielIntegrationId} == '%s' && ${body[name]} regex '[A-M].*'"
                - templatedRoute:
                    routeTemplateRef: shard-change-tap
                    routeId: companies-to-file-%s
                    parameters:
                      - name: shardType
                        value: c_company
                      - name: uri
                        value: "file:%s?fileName=changes.json&fileExist=Append&appendChars=,"
                """.formatted(org, integration, org, changes));
        Awaitility.await().atMost(TIMEOUT).until(() -> started("skip-a-to-m-" + org) && started("companies-to-file-" + org));

        String full = hub.task(key, integration, "Account", "full");
        JsonNode run = hub.runAndWait(key, integration, full, SYNC_TIMEOUT);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
        assertThat(run.get("recordsProcessed").asLong()).isEqualTo(1000);
        assertThat(run.get("recordsSkipped").asLong()).isEqualTo(matching);
        assertThat(run.get("recordsCreated").asLong()).isEqualTo(1000 - matching);
        assertThat(run.get("recordsFailed").asLong()).isZero();
        List<JsonNode> companies = hub.allShards(key, "c_company");
        assertThat(companies).hasSize((int) (1000 - matching));
        assertThat(companies).noneMatch(c -> c.at("/structuredData/name").asText().matches("[A-M].*"));

        // every company created reached the tap, once each, after its page committed
        Path changesFile = changes.resolve("changes.json");
        Awaitility.await().atMost(TIMEOUT).until(() -> Files.exists(changesFile)
                && tappedFor(changesFile, integration).size() == 1000 - matching);
        assertThat(tappedFor(changesFile, integration)).allMatch(e -> e.get("change").asText().equals("created")
                && !e.at("/data/name").asText().matches("[A-M].*"));

        // the checkpoint moved past the skipped records: an incremental run sees only what changed since
        String skippedId = accounts.stream().filter(a -> a.get("Name").asText().strip().matches("[A-M].*")).findFirst().orElseThrow()
                .get("Id").asText();
        String keptId = accounts.stream().filter(a -> !a.get("Name").asText().strip().matches("[A-M].*")).findFirst().orElseThrow()
                .get("Id").asText();
        assertThat(hub.sandbox("PATCH", token, "/sobjects/Account/" + skippedId, Map.of("Phone", "+1 555 0101")).status()).isEqualTo(204);
        assertThat(hub.sandbox("PATCH", token, "/sobjects/Account/" + keptId, Map.of("Phone", "+1 555 0102")).status()).isEqualTo(204);
        JsonNode incremental = hub.runAndWait(key, integration, hub.task(key, integration, "Account", "incremental"), SYNC_TIMEOUT);
        assertThat(incremental.get("status").asText()).as(incremental.toString()).isEqualTo("completed");
        assertThat(incremental.get("recordsProcessed").asLong()).as(incremental.toString()).isBetween(2L, 10L);
        assertThat(incremental.get("recordsSkipped").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(incremental.get("recordsUpdated").asLong()).isEqualTo(1);
    }

    @Test
    void scheduledSyncTemplateQueuesARun() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        String org = "cron-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.connectedSalesforce(key, org, Map.of());
        String routeId = "every-second-" + org;
        write(routeId + ".camel.yaml", """
                - templatedRoute:
                    routeTemplateRef: scheduled-sync
                    routeId: %s
                    parameters:
                      - name: integrationId
                        value: "%s"
                      - name: entity
                        value: Opportunity
                      - name: cron
                        value: "0/1 * * * * ?"
                """.formatted(routeId, integration));
        String executions = "/api/tenant/integrations/" + integration + "/executions";
        Awaitility.await().atMost(TIMEOUT).until(() -> hub.ok("GET", executions, key, null).get("items").size() > 0);
        delete(integratorRoutesDir().resolve(routeId + ".camel.yaml"));
        Awaitility.await().atMost(TIMEOUT).until(() -> camel.getRoute(routeId) == null);

        // every run it queued ran as a scheduled incremental sync of the entity; together they brought the entity in once
        Awaitility.await().atMost(SYNC_TIMEOUT).until(() -> {
            for (JsonNode e : hub.ok("GET", executions, key, null).get("items")) {
                if (e.get("status").asText().equals("pending") || e.get("status").asText().equals("running")) {
                    return false;
                }
            }
            return true;
        });
        long created = 0;
        for (JsonNode e : hub.ok("GET", executions, key, null).get("items")) {
            assertThat(e.get("trigger").asText()).isEqualTo("scheduled");
            assertThat(e.get("entity").asText()).isEqualTo("Opportunity");
            assertThat(e.get("mode").asText()).isEqualTo("incremental");
            assertThat(e.get("status").asText()).as(e.toString()).isEqualTo("completed");
            created += e.get("recordsCreated").asLong();
        }
        assertThat(created).isEqualTo(1000);
    }

    private boolean started(String routeId) {
        return camel.getRoute(routeId) != null && camel.getRouteController().getRouteStatus(routeId).isStarted();
    }

    private void refused(String name, String text, int line, String reason) {
        write(name, text);
        Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> {
            JsonNode refusal = refusal(name);
            assertThat(refusal).as(health().toString()).isNotNull();
            assertThat(refusal.get("reason").asText()).contains(reason);
            assertThat(refusal.get("line").asInt()).isEqualTo(line);
        });
    }

    private JsonNode refusal(String name) {
        for (JsonNode r : health().at("/details/refused")) {
            if (r.get("file").asText().equals(name)) {
                return r;
            }
        }
        return null;
    }

    private JsonNode health() {
        return hub().call("GET", "/actuator/health", ADMIN_KEY, null).body().at("/components/integratorRoutes");
    }

    private static String greeting(String id, String text) {
        return """
                - route:
                    id: %s
                    from:
                      uri: direct:%s
                      steps:
                        - setBody:
                            constant: %s
                """.formatted(id, id, text);
    }

    private Path write(String name, String text) {
        Path file = integratorRoutesDir().resolve(name);
        try {
            // written beside and moved in, as editors save: the hub never reads half a file
            Path draft = Files.writeString(Files.createTempFile(integratorRoutesDir().getParent(), "draft", ".tmp"), text,
                    StandardCharsets.UTF_8);
            Files.move(draft, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (!written.contains(file)) {
            written.add(file);
        }
        return file;
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> tappedFor(Path file, String integrationId) throws IOException {
        JsonNode events = HubClient.JSON.readTree("[" + Files.readString(file).replaceAll(",\\s*$", "") + "]");
        List<JsonNode> mine = new ArrayList<>();
        events.forEach(e -> {
            if (e.get("integrationId").asText().equals(integrationId)) {
                mine.add(e);
            }
        });
        return mine;
    }
}
