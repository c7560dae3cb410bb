package store;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;

/** The hub's own start: its database is migrated beside the context's start, and Spring Boot's Flyway finds it done. */
class BackgroundMigrationOnStartTest extends EmbeddedHubTest {

    @Autowired
    BackgroundMigration.Run run;

    @Autowired
    Flyway flyway;

    @Autowired
    BackgroundMigration.Strategy strategy;

    @Test
    void theStartsDatabaseWasMigratedInTheBackgroundForBootsFlyway() {
        assertThat(strategy.skipped()).as("Boot's migration step found the background run's migration done").isTrue();
        assertThat(run.migrated(flyway)).as("the background run migrated what Boot's Flyway would").isTrue();
        assertThat(flyway.info().pending()).isEmpty();
    }
}
