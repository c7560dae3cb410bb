package hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The hub in its scaled-out profile on the PostgreSQL at 127.0.0.1:5432 (database test), in a
 * schema of its own ({@code hub_test}, or {@code -Dhub.test.pg-schema=NAME} for builds side by side) that is emptied
 * when the context starts. The sandbox is switched on for it.
 */
@CamelSpringBootTest
// one class at a time, but those paced by providers' limits together
@ResourceLock(providers = SharedHubLock.class)
@ActiveProfiles("postgres")
@Import({PostgresHubTest.CleanSchema.class, TestProviderAdapter.class, TestProviderOAuthServer.class, ChangeFeedTestAdapter.class})
@SpringBootTest(classes = CastielHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "hub.admin-api-key=" + EmbeddedHubTest.ADMIN_KEY,
                "hub.sandbox.enabled=true",
                // the sandbox is served on this hub's own port, which the postgres profile does not allow by default
                "hub.outbound.allowed-hosts=self",
                // the Quartz jobs stored in the schema name the Camel context that runs them (secondInstance keeps it)
                "camel.main.name=castiel-hub-postgres-test",
                "hub.sandbox.salesforce.accounts=1000",
                // every test works in its own sandbox org: more than a production sandbox allows
                "hub.sandbox.salesforce.max-orgs=200",
                // all from this machine: one client
                "hub.sandbox.salesforce.max-orgs-per-client=200",
                // the same for the HubSpot sandbox's portals (pat-sandbox-<name>)
                "hub.sandbox.hubspot.max-portals=200",
                "hub.sandbox.hubspot.max-portals-per-client=200",
                // and the Slack sandbox's workspaces (the notifications and content scenarios each make their own)
                "hub.sandbox.slack.max-workspaces=200",
                "hub.sandbox.slack.max-workspaces-per-client=200",
                // the sandbox TLS port on a free port: Graph and Entra answer only over https (OneDriveSyncOnPostgresTest, MeetingSyncOnPostgresTest)
                "hub.sandbox.tls-port=0",
                "hub.crypto.keyset-file=${hub.data-dir}/keyset.json",
                "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=${hub.test.pg-schema:hub_test}",
                "spring.flyway.schemas=${hub.test.pg-schema:hub_test}",
                "spring.flyway.default-schema=${hub.test.pg-schema:hub_test}",
                "spring.flyway.clean-disabled=false",
                "hub.sync.retry.initial-delay-ms=50",
                "hub.sync.min-interval=1s",
                "hub.scheduler.cron=0/1 * * * * ?",
                "hub.rate-limits.providers.salesforce=6000",
                // work throttled for longer gives up at once (ThrottledWorkGivesUpTest)
                "hub.rate-limits.max-wait=5s",
                // Teams subscriptions live half an hour: within hub.webhooks.renew-before, so the renewal sweep extends them
                "hub.providers.microsoft_teams.subscription-lifetime=30m"
        })
public abstract class PostgresHubTest {

    private static final Path DATA_DIR = EmbeddedHubTest.tempDir("hub-postgres-test");

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", DATA_DIR::toString);
    }

    @Autowired
    private Environment environment;

    public HubClient hub() {
        return new HubClient("http://localhost:" + port);
    }

    /**
     * A second hub instance on the same database and keyset, in its own context: no web server and its own broker, but
     * the same Quartz cluster (same Camel context name and crons), so each trigger fires on one of the two.
     */
    protected ConfigurableApplicationContext secondInstance() throws IOException {
        return secondInstance(Map.of());
    }

    /** {@link #secondInstance()} with some of its properties set otherwise (another keyset, say). */
    protected ConfigurableApplicationContext secondInstance(Map<String, Object> overrides) throws IOException {
        Map<String, Object> properties = new HashMap<>();
        for (String name : List.of("spring.datasource.url", "spring.flyway.schemas", "spring.flyway.default-schema", "hub.crypto.keyset-file",
                "hub.admin-api-key", "camel.main.name", "hub.scheduler.cron")) {
            properties.put(name, environment.getProperty(name));
        }
        properties.put("spring.main.web-application-type", "none");
        properties.put("hub.data-dir", Files.createTempDirectory("hub-second-instance").toString());
        properties.put("hub.sandbox.enabled", "false");
        // it has no web server: the first instance's sandbox is allowed by its port
        properties.put("hub.outbound.allowed-hosts", "localhost:" + port + ",127.0.0.1:" + port);
        properties.putAll(overrides);
        // as command-line arguments: they win over the postgres profile's file, as the test context's properties do
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(CastielHubApplication.class).profiles("postgres").run(args);
    }

    @TestConfiguration
    static class CleanSchema {
        @Bean
        FlywayMigrationStrategy cleanThenMigrate() {
            return flyway -> {
                flyway.clean();
                flyway.migrate();
            };
        }
    }
}
