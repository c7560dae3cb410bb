package security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import security.vault.KeyRotation;
import store.Timestamps;

/**
 * A local vault as one hub instance builds it, on an in-memory H2 database with the hub's
 * migrations: several instances built on one fixture share the database, as after a restart or
 * when scaled out.
 */
final class LocalVaultFixture {

    /** One instance: its key-encryption keyset, data keysets, vault and rotation. */
    record Instance(KeysetSource kek, DataKeysets dataKeysets, LocalCredentialVault vault, KeyRotation rotation) {
    }

    /** A stored secret as the table holds it. */
    record Row(String name, String tenantId, String ciphertext, String dataKeyId) {
    }

    final DataSource dataSource;
    final JdbcClient jdbc;

    private LocalVaultFixture(String migrationTarget) {
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:vault" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        migrate(migrationTarget);
        jdbc = JdbcClient.create(dataSource);
    }

    static LocalVaultFixture migrated() {
        return new LocalVaultFixture("latest");
    }

    /** The schema as the hub had it before envelope encryption. */
    static LocalVaultFixture beforeEnvelopes() {
        return new LocalVaultFixture("3");
    }

    void migrate(String target) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target(target).load().migrate();
    }

    Instance start(String inlineKeyset, String keysetFile) {
        KeysetSource kek = KeysetSource.load(inlineKeyset, keysetFile);
        DataKeysets dataKeysets = new DataKeysets(jdbc, kek);
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        return new Instance(kek, dataKeysets, new LocalCredentialVault(jdbc, new ObjectMapper(), kek, dataKeysets),
                new KeyRotation(jdbc, transaction, kek, dataKeysets));
    }

    Instance startWithFile(String keysetFile) {
        return start("", keysetFile);
    }

    /** A row as a hub before envelope encryption wrote it: sealed directly with the key-encryption keyset. */
    void insertLegacy(KeysetSource kek, String name, String tenantId, Map<String, String> credentials) throws Exception {
        byte[] sealed = kek.aead().encrypt(new ObjectMapper().writeValueAsBytes(credentials), name.getBytes(StandardCharsets.UTF_8));
        jdbc.sql("INSERT INTO vault_secrets (name, tenant_id, ciphertext, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
                .params(name, tenantId, Base64.getEncoder().encodeToString(sealed), Timestamps.now(), Timestamps.now()).update();
    }

    Row row(String name) {
        return jdbc.sql("SELECT name, tenant_id, ciphertext, data_key_id FROM vault_secrets WHERE name = ?").param(name)
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))).single();
    }

    Map<String, String> secretRows() {
        Map<String, String> rows = new TreeMap<>();
        jdbc.sql("SELECT name, ciphertext FROM vault_secrets").query(rs -> {
            rows.put(rs.getString(1), rs.getString(2));
        });
        return rows;
    }

    Map<String, String> wrappedKeysets() {
        Map<String, String> rows = new TreeMap<>();
        jdbc.sql("SELECT tenant_id, wrapped_keyset FROM tenant_data_keys").query(rs -> {
            rows.put(rs.getString(1), rs.getString(2));
        });
        return rows;
    }

    long kekKeyIdOf(String dataKeyId) {
        return jdbc.sql("SELECT kek_key_id FROM tenant_data_keys WHERE tenant_id = ?").param(dataKeyId).query(Long.class).single();
    }
}
