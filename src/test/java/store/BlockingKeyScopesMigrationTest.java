package store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * V37 moves the blocking keys under scope numbers: keys written under the earlier schema (tenant id and shard type in
 * every row) are found after the upgrade as before, per tenant and type, on H2 and on PostgreSQL; and keys added after
 * it land in the same scopes.
 */
class BlockingKeyScopesMigrationTest {

    @Test
    void keysWrittenBeforeTheUpgradeAreFoundAfterItOnH2() {
        try (UpgradeDatabase database = UpgradeDatabase.h2("keys")) {
            upgradeKeepsKeys(database);
        }
    }

    @Test
    void keysWrittenBeforeTheUpgradeAreFoundAfterItOnPostgres() {
        try (UpgradeDatabase database = UpgradeDatabase.postgres("keys_upgrade")) {
            upgradeKeepsKeys(database);
        }
    }

    private static void upgradeKeepsKeys(UpgradeDatabase database) {
        DataSource data = database.data;
        database.migrate("36");
        JdbcTemplate template = new JdbcTemplate(data);
        String insert = "INSERT INTO match_blocking_keys (tenant_id, shard_type, blocking_key, shard_id) VALUES (?, ?, ?, ?)";
        template.update(insert, "t1", "c_contact", "email=a@x.io", "s1");
        template.update(insert, "t1", "c_contact", "phone=+14155550100", "s1");
        template.update(insert, "t1", "c_contact", "email=a@x.io", "s2");
        template.update(insert, "t1", "c_company", "email=a@x.io", "s3");
        template.update(insert, "t2", "c_contact", "email=a@x.io", "s4");

        database.migrate("latest");

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
}
