package hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The hub on its embedded default (H2 file database, embedded Artemis, Salesforce sandbox), on a
 * random port and a fresh data directory. Test classes extending it share one application
 * context (with JMX on, as in production, for Hawtio) and, beside Salesforce, small in-memory providers
 * for cases the sandbox cannot stage ({@link TestProviderAdapter}, and a change feed: {@link ChangeFeedTestAdapter}); each test
 * works in its own tenant and sandbox org, so they do not see each other. Tracing is on, exporting every trace to the
 * JVM's {@link OtlpReceiver} (an in-process HTTP server), so {@link TracingTest} needs no context of its own and every
 * test here also runs the hub as it runs traced.
 */
@CamelSpringBootTest
// one class at a time, but those paced by providers' limits together
@ResourceLock(providers = SharedHubLock.class)
@DisableJmx(false)
// Spring Boot's tests turn tracing off unless told: the hub's traces are part of what it serves (TracingTest)
@AutoConfigureObservability(metrics = false)
@Import({TestProviderAdapter.class, TestProviderOAuthServer.class, ChangeFeedTestAdapter.class})
@SpringBootTest(classes = CastielHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "hub.admin-api-key=" + EmbeddedHubTest.ADMIN_KEY,
                // Spring Boot's tests export no metrics unless told: the hub's /actuator/prometheus is part of what it serves
                "management.prometheus.metrics.export.enabled=true",
                // traces on, every one kept, exported often to the test JVM's OTLP receiver (TracingTest); the endpoint below
                "management.tracing.enabled=true",
                "management.tracing.sampling.probability=1.0",
                "management.tracing.opentelemetry.export.schedule-delay=200ms",
                // every span of the shared context kept for the receiver: at the default 2,048 a burst of other tests'
                // spans, exported slowly on a loaded machine, fills the queue and the exporter drops the ones after it
                "management.tracing.opentelemetry.export.max-queue-size=100000",
                "hub.sandbox.salesforce.accounts=1000",
                // every test works in its own sandbox org: more than a production sandbox allows
                "hub.sandbox.salesforce.max-orgs=200",
                // all from this machine: one client
                "hub.sandbox.salesforce.max-orgs-per-client=200",
                // the same for the HubSpot sandbox's portals (pat-sandbox-<name>)
                "hub.sandbox.hubspot.max-portals=200",
                "hub.sandbox.hubspot.max-portals-per-client=200",
                // and the GitHub sandbox's orgs (ghp_sandbox_<name>)
                "hub.sandbox.github.max-orgs=200",
                "hub.sandbox.github.max-orgs-per-client=200",
                // and for the Slack sandbox's workspaces (xoxb-sandbox-<name>)
                "hub.sandbox.slack.max-workspaces=200",
                "hub.sandbox.slack.max-workspaces-per-client=200",
                "hub.sync.retry.initial-delay-ms=50",
                "hub.sync.min-interval=1s",
                "hub.scheduler.cron=0/1 * * * * ?",
                // Salesforce's real limit is a daily allocation; at the catalog's 300/min bulk write-back tests would take minutes
                "hub.rate-limits.providers.salesforce=6000",
                // pages of 200 (Salesforce's smallest batch): a sync of the sandbox's 2,000 contacts makes ten calls
                "hub.sync.page-size=200",
                // under Salesforce's 32,000-character descriptions, so a sandbox task can pass the content limit (LongTextSyncTest)
                "hub.content.max-text-chars=20000",
                // the sandbox port on a free port, serving the Salesforce sandbox at the root (SandboxPortTest)
                "hub.sandbox.port=0",
                "hub.sandbox.port-routes[/services/]=/sandbox/salesforce/services/",
                // the sandbox TLS port on a free port, Graph at its root by default (SandboxTlsPortTest, sandbox.graph)
                "hub.sandbox.tls-port=0",
                // Teams subscriptions live half an hour: within hub.webhooks.renew-before, so the renewal sweep extends them
                "hub.providers.microsoft_teams.subscription-lifetime=30m",
                "hub.rate-limits.circuit.open-for=2s",
                "hub.rate-limits.circuit.half-open-calls=1",
                // integrator route files (hub.routes.dir, a fresh folder) are looked at often
                "hub.routes.poll-interval=200ms",
                // an operator who logs into Hawtio and Jolokia with a password (bcrypt of OPERATOR_PASSWORD, cost 4)
                "hub.operators." + EmbeddedHubTest.OPERATOR + "=$2a$04$hwN9IZiF6zif33zhrFgpTuDargnj38FFnUZUbCe7I6C8ffIkA5XYm"
        })
public abstract class EmbeddedHubTest {

    public static final String ADMIN_KEY = "test-admin-key";
    public static final String OPERATOR = "ops-test";
    public static final String OPERATOR_PASSWORD = "ops-password";
    private static final Path DATA_DIR = tempDir("hub-embedded-test");
    private static final Path ROUTES_DIR = tempDir("hub-integrator-routes");

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.routes.dir", ROUTES_DIR::toString);
        registry.add("management.otlp.tracing.endpoint", () -> OtlpReceiver.started().endpoint());
    }

    /** The hub's {@code hub.data-dir} (the sandbox TLS certificate is in its {@code sandbox-tls}). */
    public static Path dataDir() {
        return DATA_DIR;
    }

    /** The hub's {@code hub.routes.dir}: integrator route files dropped here are loaded. */
    public static Path integratorRoutesDir() {
        return ROUTES_DIR;
    }

    public HubClient hub() {
        return new HubClient("http://localhost:" + port);
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
