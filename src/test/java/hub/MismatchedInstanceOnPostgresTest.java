package hub;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A second instance that does not fit the first refuses to start, saying why: one with another credential keyset
 * (it could open no stored credential and would seal new ones nobody else can open), and one older than the schema
 * (another instance applied a migration it does not have).
 */
class MismatchedInstanceOnPostgresTest extends PostgresHubTest {

    @Autowired
    private JdbcClient jdbc;

    @Test
    void anInstanceWithAnotherKeysetRefusesToStart() throws Exception {
        // a credential stored by this instance: its tenant's data keyset is in the database, wrapped by this keyset
        String key = hub().newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        hub().connectedSalesforce(key, "keyset-mismatch", Map.of());
        String otherKeyset = Files.createTempDirectory("hub-other-keyset").resolve("keyset.json").toString();

        assertThatThrownBy(() -> secondInstance(Map.of("hub.crypto.keyset-file", otherKeyset)).close())
                .hasStackTraceContaining("is not the one this database's credentials are sealed with")
                .hasStackTraceContaining("Start every instance with the same keyset");
    }

    @Test
    void anInstanceOlderThanTheSchemaRefusesToStart() throws Exception {
        // as if a newer instance had migrated the schema to a version this jar does not know
        jdbc.sql("""
                INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by,
                  installed_on, execution_time, success)
                VALUES ((SELECT max(installed_rank) + 1 FROM flyway_schema_history), '9999', 'from a newer hub', 'SQL',
                  'V9999__from_a_newer_hub.sql', 0, 'test', now(), 0, true)""").update();
        try {
            assertThatThrownBy(() -> secondInstance().close())
                    .hasStackTraceContaining("Detected applied migration not resolved locally: 9999");
        } finally {
            jdbc.sql("DELETE FROM flyway_schema_history WHERE version = '9999'").update();
        }
    }
}
