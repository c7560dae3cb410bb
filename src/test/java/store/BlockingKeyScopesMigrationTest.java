package store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import hub.Ids;

/**
 * V37 moves the blocking keys under scope numbers: keys written under the earlier schema (tenant id and shard type in
 * every row) are found after the upgrade as before, per tenant and type, on H2 and on PostgreSQL; and keys added after
 * it land in the same scopes.
 */
class BlockingKeyScopesMigrationTest {

    @Test
    void keysWrittenBeforeTheUpgradeAreFoundAfterItOnH2() {
        upgradeKeepsKeys(new DriverManagerDataSource("jdbc:h2:mem:keys-" + Ids.newId() + ";DB_CLOSE_DELAY=-1", "sa", ""), null);
    }

    @Test
    void keysWrittenBeforeTheUpgradeAreFoundAfterItOnPostgres() {
        String schema = "keys_upgrade_" + Ids.newId().substring(0, 8);
        DriverManagerDataSource postgres = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema, "postgres", "");
        try {
            upgradeKeepsKeys(postgres, schema);
        } finally {
            new JdbcTemplate(postgres).execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static void upgradeKeepsKeys(DataSource data, String schema) {
        migrate(data, schema, "36");
        JdbcTemplate template = new JdbcTemplate(data);
        String insert = "INSERT INTO match_blocking_keys (tenant_id, shard_type, blocking_key, shard_id) VALUES (?, ?, ?, ?)";
        template.update(insert, "t1", "c_contact", "email=a@x.io", "s1");
        template.update(insert, "t1", "c_contact", "phone=+14155550100", "s1");
        template.update(insert, "t1", "c_contact", "email=a@x.io", "s2");
        template.update(insert, "t1", "c_company", "email=a@x.io", "s3");
        template.update(insert, "t2", "c_contact", "email=a@x.io", "s4");

        migrate(data, schema, "latest");

        BlockingKeyStore keys = new BlockingKeyStore(JdbcClient.create(data), template, new TransactionTemplate(new DataSourceTransactionManager(data)));
        assertThat(keys.candidates("t1", "c_contact", List.of("email=a@x.io", "phone=+14155550100"), 10)).containsExactly("s1", "s2");
        assertThat(keys.candidates("t1", "c_company", List.of("email=a@x.io"), 10)).containsExactly("s3");
        assertThat(keys.candidates("t2", "c_contact", List.of("email=a@x.io"), 10)).containsExactly("s4");
        assertThat(keys.candidates("t3", "c_contact", List.of("email=a@x.io"), 10)).isEmpty();
        assertThat(keys.keysOf("t1", List.of("s1", "s3", "s4"))).isEqualTo(Map.of("s1", Set.of("email=a@x.io", "phone=+14155550100"),
                "s3", Set.of("email=a@x.io")));

        // added after the upgrade: in the scope the upgrade made, beside the keys it moved; a new type gets a scope of its own
        keys.addKeys("t1", "c_contact", Map.of("s5", List.of("email=a@x.io")));
        keys.addKeys("t2", "c_company", Map.of("s6", List.of("email=a@x.io")));
        assertThat(keys.candidates("t1", "c_contact", List.of("email=a@x.io"), 10)).containsExactly("s1", "s2", "s5");
        assertThat(keys.candidates("t2", "c_company", List.of("email=a@x.io"), 10)).containsExactly("s6");
        assertThat(keys.candidates("t2", "c_contact", List.of("email=a@x.io"), 10)).containsExactly("s4");
        assertThat(template.queryForObject("SELECT COUNT(*) FROM match_key_scopes", Integer.class)).isEqualTo(4);
    }

    private static void migrate(DataSource data, String schema, String target) {
        var flyway = Flyway.configure().dataSource(data).locations("classpath:db/migration").target(target);
        if (schema != null) {
            flyway.schemas(schema).defaultSchema(schema);
        }
        flyway.load().migrate();
    }
}
