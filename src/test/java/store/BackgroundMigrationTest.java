package store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.env.MockEnvironment;

/** The migration a start runs beside Spring's parsing of its configuration, and Boot's migration step after it. */
class BackgroundMigrationTest {

    private static final String LOCATIONS = "classpath:db/migration,classpath:db/h2";

    private static MockEnvironment hub(String database) {
        return new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:mem:" + database)
                .withProperty("spring.datasource.username", "sa").withProperty("spring.flyway.locations", LOCATIONS);
    }

    /** Boot's Flyway as Spring Boot configures it for the same properties, on a pool of its own. */
    private static FluentConfiguration boot(String database) {
        return Flyway.configure().dataSource(new DriverManagerDataSource("jdbc:h2:mem:" + database, "sa", ""))
                .locations(LOCATIONS.split(","));
    }

    @Test
    void theHubsOwnPropertiesAreMigratedInTheBackground() {
        assertThat(BackgroundMigration.applies(hub("applies"))).isTrue();
        assertThat(BackgroundMigration.applies(hub("applies").withProperty("spring.flyway.schemas", "hub")
                .withProperty("spring.flyway.default-schema", "hub").withProperty("spring.flyway.ignore-migration-patterns", "")))
                .isTrue();
    }

    @Test
    void aPropertyItDoesNotApplyLeavesTheMigrationToBoot() {
        assertThat(BackgroundMigration.applies(hub("other").withProperty("spring.flyway.baseline-on-migrate", "true"))).isFalse();
        assertThat(BackgroundMigration.applies(hub("other").withProperty("spring.flyway.url", "jdbc:h2:mem:elsewhere"))).isFalse();
        assertThat(BackgroundMigration.applies(hub("other").withProperty("spring.flyway.enabled", "false"))).isFalse();
        assertThat(BackgroundMigration.applies(hub("other").withProperty("spring.flyway.locations", "classpath:db/{vendor}"))).isFalse();
        assertThat(BackgroundMigration.applies(new MockEnvironment().withProperty("spring.flyway.locations", LOCATIONS))).isFalse();
        assertThat(BackgroundMigration.applies(hub("other").withProperty("spring.datasource.hikari.schema", "other"))).isFalse();
        assertThat(BackgroundMigration.applies(hub("other").withProperty("spring.datasource.driver-class-name", "org.h2.Driver"))).isFalse();
        assertThat(BackgroundMigration.applies(hub("other")
                .withProperty("spring.autoconfigure.exclude", "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration"))).isFalse();
        assertThat(BackgroundMigration.applies(hub("pool").withProperty("spring.datasource.hikari.maximum-pool-size", "20")
                .withProperty("spring.datasource.hikari.data-source-properties.reWriteBatchedInserts", "true"))).isTrue();
    }

    @Test
    void aStartThatEndsDuringTheRunLetsItFinish(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("hub").toAbsolutePath();
        BackgroundMigration.Run run = new BackgroundMigration.Run(hub("unused").withProperty("spring.datasource.url", url),
                getClass().getClassLoader());
        // as a failed start does, once the run is migrating (its history has a few rows)
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).ignoreExceptions()
                .until(() -> Files.exists(dir.resolve("hub.mv.db")) && historyRows(url) >= 3);
        run.close();
        // close waited for the run: the database is migrated to the end, not cut short between two DDL statements
        Flyway flyway = Flyway.configure().dataSource(url, "sa", "").locations(LOCATIONS.split(",")).load();
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(flyway.info().applied()).allSatisfy(migration -> assertThat(migration.getState().isFailed()).isFalse());
    }

    @Test
    void bootFindsTheSameDatabaseMigratedAndTheInMemoryDatabaseOutlivesTheRun() throws SQLException {
        BackgroundMigration.Run run = new BackgroundMigration.Run(hub("same"), getClass().getClassLoader());
        FluentConfiguration configuration = boot("same");
        run.await();
        Flyway flyway = configuration.load();
        try (Connection held = configuration.getDataSource().getConnection()) { // Boot's pool keeps its connections
            assertThat(run.migrated(flyway)).isTrue();
            assertThat(flyway.info().pending()).isEmpty();
            assertThat(appliedMigrations(held)).isGreaterThan(30);
        }
    }

    @Test
    void anotherHistoryTableIsMigratedByBoot() {
        BackgroundMigration.Run run = new BackgroundMigration.Run(hub("table"), getClass().getClassLoader());
        FluentConfiguration configuration = boot("table").table("other_history");
        run.await();
        assertThat(run.migrated(configuration.load())).isFalse();
    }

    @Test
    void aRunThatFailedLeavesTheMigrationToBoot() {
        MockEnvironment environment = hub("failed").withProperty("spring.datasource.url", "jdbc:h2:mem:failed;IFEXISTS=TRUE");
        BackgroundMigration.Run run = new BackgroundMigration.Run(environment, getClass().getClassLoader());
        FluentConfiguration configuration = boot("failed");
        run.await();
        Flyway flyway = configuration.load();
        assertThat(run.migrated(flyway)).isFalse();
    }

    private static int historyRows(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url + ";IFEXISTS=TRUE", "sa", "")) {
            return appliedMigrations(connection);
        }
    }

    private static int appliedMigrations(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from \"flyway_schema_history\" where \"success\"")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
