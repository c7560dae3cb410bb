package hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

import com.fasterxml.jackson.databind.JsonNode;

import hub.HubClient.Response;
import security.Operators;

/**
 * The operations endpoints are closed to anonymous callers: Jolokia, Hawtio, metrics and route states need the
 * admin key or an operator's login; Jolokia refuses operations that execute code or read files even then; the
 * demo profile listens on loopback only.
 */
class OperationsAccessTest extends EmbeddedHubTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    ServletWebServerApplicationContext context;

    @Autowired
    TestProviderAdapter provider;

    @Value("${hub.data-dir}")
    String dataDir;

    @Test
    void anonymousCallersGetNoOperationsEndpoint() {
        for (String path : List.of("/actuator", "/actuator/jolokia", "/actuator/jolokia/version", "/actuator/metrics",
                "/actuator/metrics/jvm.memory.used", "/actuator/camelroutes", "/actuator/hawtio", "/actuator/hawtio/",
                "/actuator/hawtio/index.html", "/actuator/hawtio/jolokia/version", "/actuator/hawtio/auth/login",
                "/actuator/hawtio/proxy/enabled", "/actuator/info", "/actuator/health/db", "/actuator/prometheus")) {
            Response r = hub().call("GET", path, null, null);
            assertThat(r.status()).as("GET " + path + " -> " + r.raw()).isEqualTo(401);
        }
        assertThat(hub().call("POST", "/actuator/jolokia", null, Map.of("type", "version")).status()).isEqualTo(401);
        assertThat(hub().call("GET", "/actuator/metrics", "not-the-admin-key", null).status()).isEqualTo(401);
        assertThat(basic("GET", "/actuator/metrics", OPERATOR, "wrong-password").statusCode()).isEqualTo(401);
        // a tenant's key is not an operator's
        assertThat(hub().call("GET", "/actuator/metrics", hub().newTenantKey(ADMIN_KEY), null).status()).isEqualTo(401);
    }

    @Test
    void theBrowserIsAskedForALoginAndTheAdminOrAnOperatorGetsIn() {
        HttpResponse<String> anonymous = basic("GET", "/actuator/hawtio/", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().allValues("WWW-Authenticate")).anyMatch(v -> v.startsWith("Basic realm="));

        assertThat(basic("GET", "/actuator/hawtio/", Operators.ADMIN, ADMIN_KEY).statusCode()).isEqualTo(200);
        assertThat(basic("GET", "/actuator/hawtio/", OPERATOR, OPERATOR_PASSWORD).statusCode()).isEqualTo(200);
        HttpResponse<String> viaHawtio = basic("GET", "/actuator/hawtio/jolokia/version", OPERATOR, OPERATOR_PASSWORD);
        assertThat(viaHawtio.statusCode()).as(viaHawtio.body()).isEqualTo(200);
        assertThat(viaHawtio.body()).contains("\"agent\"");
        assertThat(hub().ok("GET", "/actuator/metrics/jvm.memory.used", ADMIN_KEY, null).get("name").asText())
                .isEqualTo("jvm.memory.used");
        assertThat(hub().ok("GET", "/actuator/camelroutes", ADMIN_KEY, null).toString()).contains("sync-inbound");
    }

    @Test
    void healthIsOpenWithoutDetailsAndProbesAreOpen() {
        Response anonymous = hub().call("GET", "/actuator/health", null, null);
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body().get("status").asText()).isEqualTo("UP");
        assertThat(anonymous.body().has("components")).as(anonymous.raw()).isFalse();
        assertThat(anonymous.raw()).doesNotContain("camelHealth").doesNotContain("circuitBreakers");
        assertThat(hub().call("GET", "/actuator/health/liveness", null, null).status()).isEqualTo(200);
        assertThat(hub().call("GET", "/actuator/health/readiness", null, null).status()).isEqualTo(200);

        JsonNode detailed = hub().ok("GET", "/actuator/health", ADMIN_KEY, null);
        assertThat(detailed.at("/components/db/status").asText()).isEqualTo("UP");
    }

    @Test
    void jolokiaRefusesTheContextsRequestBodyEvenWithTheAdminKey() throws IOException {
        Path keyFile = Path.of(dataDir, "admin-api-key");
        if (!Files.exists(keyFile)) {
            Files.writeString(keyFile, "file-content-" + UUID.randomUUID() + "\n");
        }
        String secret = Files.readString(keyFile).trim();
        String keyset = Files.readString(Path.of(dataDir, "keyset.json"));
        String contextMBean = camelMBean("type=context");
        for (String file : List.of(keyFile.toString(), Path.of(dataDir, "keyset.json").toString())) {
            Map<String, Object> attack = Map.of("type", "exec", "mbean", contextMBean,
                    "operation", "requestBody(java.lang.String,java.lang.Object)",
                    "arguments", List.of("language:constant:resource:file:" + file, "x"));
            Response anonymous = hub().call("POST", "/actuator/jolokia", null, attack);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.raw()).doesNotContain(secret).doesNotContain("primaryKeyId");

            Response withKey = hub().call("POST", "/actuator/jolokia", ADMIN_KEY, attack);
            assertThat(withKey.raw()).doesNotContain(secret).doesNotContain("primaryKeyId").doesNotContain(keyset.trim());
            assertThat(refused(withKey)).as(withKey.raw()).isTrue();
            assertThat(withKey.raw()).contains("forbidden");
        }
        for (String operation : List.of("sendBody(java.lang.String,java.lang.Object)", "requestStringBody(java.lang.String,java.lang.String)",
                "sendBodyAndHeaders(java.lang.String,java.lang.Object,java.util.Map)", "createEndpoint(java.lang.String)")) {
            Response r = hub().call("POST", "/actuator/jolokia", ADMIN_KEY, Map.of("type", "exec", "mbean", contextMBean,
                    "operation", operation, "arguments", operation.startsWith("createEndpoint") ? List.of("file:/tmp/hub-jolokia")
                            : operation.contains("Map") ? List.of("log:x", "x", Map.of()) : List.of("log:x", "x")));
            assertThat(refused(r)).as(operation + " -> " + r.raw()).isTrue();
        }
        // a route updated from XML runs whatever the XML says; a heap dump writes a file
        Response update = hub().call("POST", "/actuator/jolokia", ADMIN_KEY, Map.of("type", "exec", "mbean",
                camelMBean("type=routes,name=\"sync-inbound\""), "operation", "updateRouteFromXml(java.lang.String)",
                "arguments", List.of("<route/>")));
        assertThat(refused(update)).as(update.raw()).isTrue();
        Response heapDump = hub().call("POST", "/actuator/jolokia", ADMIN_KEY, Map.of("type", "exec",
                "mbean", "com.sun.management:type=HotSpotDiagnostic", "operation", "dumpHeap",
                "arguments", List.of(dataDir + "/heap.hprof", true)));
        assertThat(refused(heapDump)).as(heapDump.raw()).isTrue();
        assertThat(Path.of(dataDir, "heap.hprof")).doesNotExist();
        Response write = hub().call("POST", "/actuator/jolokia", ADMIN_KEY, Map.of("type", "write",
                "mbean", contextMBean, "attribute", "Tracing", "value", true));
        assertThat(refused(write)).as(write.raw()).isTrue();
        Response systemProperties = hub().call("POST", "/actuator/jolokia", ADMIN_KEY, Map.of("type", "read",
                "mbean", "java.lang:type=Runtime", "attribute", "SystemProperties"));
        assertThat(refused(systemProperties)).as(systemProperties.raw()).isTrue();
    }

    @Test
    void theCamelConsolesReadsAndRouteOperationsWorkWithTheAdminKey() {
        String route = camelMBean("type=routes,name=\"sync-inbound\"");
        Response state = hub().call("POST", "/actuator/jolokia", ADMIN_KEY, Map.of("type", "read", "mbean", route,
                "attribute", "State"));
        assertThat(state.body().get("value").asText()).as(state.raw()).isEqualTo("Started");
        Response stats = hub().call("POST", "/actuator/jolokia", ADMIN_KEY, Map.of("type", "exec", "mbean", route,
                "operation", "dumpRouteStatsAsXml(boolean,boolean)", "arguments", List.of(false, true)));
        assertThat(stats.body().get("status").asInt()).as(stats.raw()).isEqualTo(200);
        assertThat(stats.body().get("value").asText()).contains("routeStat");
        Response routesXml = hub().call("POST", "/actuator/jolokia", ADMIN_KEY, Map.of("type", "exec",
                "mbean", camelMBean("type=context"), "operation", "dumpRoutesAsXml()"));
        assertThat(routesXml.body().get("value").asText()).as(routesXml.raw()).contains("sync-inbound");
    }

    @Test
    void prometheusScrapesTheHubsMetersByIntegrationAndEntityWithTheAdminKey() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedTestProvider(tenant.key(), "prometheus");
        provider.seedItem(tenant.id(), "Scraped Ltd", "+1 555 0101");
        provider.seedItem(tenant.id(), "Counted Ltd", "+1 555 0102");
        JsonNode run = hub.runAndWait(tenant.key(), integration, hub.task(tenant.key(), integration, "Item", "full"), java.time.Duration.ofSeconds(60));
        assertThat(run.get("status").asText()).isEqualTo("completed");

        HttpResponse<String> scrape = basic("GET", "/actuator/prometheus", Operators.ADMIN, ADMIN_KEY);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String body = scrape.body();
        String series = "entity=\"Item\",integration=\"" + integration + "\",outcome=\"created\",provider=\"" + TestProviderAdapter.PROVIDER_ID + "\"";
        assertThat(body).contains("hub_sync_records_total{" + series + "} 2.0");
        assertThat(body).containsPattern("hub_sync_duration_seconds_count\\{entity=\"Item\",integration=\"" + integration + "\",[^}]*status=\"completed\"\\} 1");
        for (String meter : java.util.List.of("hub_sync_queued", "hub_writeback_queued", "hub_events_unrelayed", "hub_webhooks_received_total",
                "jvm_memory_used_bytes")) {
            assertThat(body).as(meter).contains(meter);
        }
    }

    @Test
    void theDemoProfileListensOnLoopbackOnlyAndThePostgresProfileOnAllInterfaces() {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
        InetAddress address = ((AbstractProtocol<?>) connector.getProtocolHandler()).getAddress();
        assertThat(address).isNotNull();
        assertThat(address.isLoopbackAddress()).as(address.toString()).isTrue();

        assertThat(serverAddress()).isEqualTo("127.0.0.1");
        assertThat(serverAddress("postgres")).isNull();
    }

    private static String serverAddress(String... profiles) {
        StandardEnvironment environment = new StandardEnvironment();
        ConfigDataEnvironmentPostProcessor.applyTo(environment, new DefaultResourceLoader(), new DefaultBootstrapContext(), profiles);
        return Binder.get(environment).bind("server.address", InetAddress.class).map(InetAddress::getHostAddress).orElse(null);
    }

    /** Refused by Jolokia's policy: an HTTP 403, or Jolokia's own status 403 in the answer. */
    private static boolean refused(Response r) {
        return r.status() == 403 || (r.body() != null && r.body().path("status").asInt() == 403);
    }

    private String camelMBean(String properties) {
        JsonNode found = hub().ok("GET", "/actuator/jolokia/search/org.apache.camel:" + properties.replace("\"", "%22") + ",*",
                ADMIN_KEY, null).get("value");
        assertThat(found).as(properties).hasSize(1);
        return found.get(0).asText();
    }

    private HttpResponse<String> basic(String method, String path, String user, String password) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub().baseUrl() + path)).method(method,
                    HttpRequest.BodyPublishers.noBody());
            if (user != null) {
                request.header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
