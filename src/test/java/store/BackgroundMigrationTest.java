package store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
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
    }

    @Test
    void bootFindsTheSameDatabaseMigratedAndTheInMemoryDatabaseOutlivesTheRun() throws SQLException {
        BackgroundMigration.Run run = new BackgroundMigration.Run(hub("same"), getClass().getClassLoader());
        FluentConfiguration configuration = boot("same");
        run.customize(configuration); // returns once the run has ended
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
        run.customize(configuration);
        assertThat(run.migrated(configuration.load())).isFalse();
    }

    @Test
    void aRunThatFailedLeavesTheMigrationToBoot() {
        MockEnvironment environment = hub("failed").withProperty("spring.datasource.url", "jdbc:h2:mem:failed;IFEXISTS=TRUE");
        BackgroundMigration.Run run = new BackgroundMigration.Run(environment, getClass().getClassLoader());
        FluentConfiguration configuration = boot("failed");
        run.customize(configuration);
        Flyway flyway = configuration.load();
        assertThat(run.migrated(flyway)).isFalse();
    }

    private static int appliedMigrations(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from \"flyway_schema_history\" where \"success\"")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
