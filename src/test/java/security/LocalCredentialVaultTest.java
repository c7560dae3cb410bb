package security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The local vault on a real (in-memory H2) table with the hub's migration. */
class LocalCredentialVaultTest {

    @TempDir
    Path dir;
    private JdbcClient jdbc;

    @BeforeEach
    void table() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:vault" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        org.flywaydb.core.Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(ds);
    }

    @Test
    void secretsRoundTripAndAreSealedAtRest() throws Exception {
        LocalCredentialVault vault = new LocalCredentialVault(jdbc, new ObjectMapper(), "", dir.resolve("keyset.json").toString());
        vault.put("tenant-a-salesforce-1-oauth", "a", Map.of("password", "hunter2-secret", "clientId", "abc"));
        assertThat(vault.get("tenant-a-salesforce-1-oauth")).contains(Map.of("password", "hunter2-secret", "clientId", "abc"));
        String stored = jdbc.sql("SELECT ciphertext FROM vault_secrets").query(String.class).single();
        assertThat(stored).doesNotContain("hunter2").doesNotContain("abc");
        assertThat(new String(java.util.Base64.getDecoder().decode(stored))).doesNotContain("hunter2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keyset.json")))).isEqualTo("rw-------");

        vault.put("tenant-a-salesforce-1-oauth", "a", Map.of("password", "rotated"));
        assertThat(vault.get("tenant-a-salesforce-1-oauth")).contains(Map.of("password", "rotated"));
        vault.delete("tenant-a-salesforce-1-oauth");
        assertThat(vault.get("tenant-a-salesforce-1-oauth")).isEmpty();
    }

    @Test
    void aCiphertextCopiedUnderAnotherNameDoesNotOpen() {
        LocalCredentialVault vault = new LocalCredentialVault(jdbc, new ObjectMapper(), "", dir.resolve("keyset.json").toString());
        vault.put("tenant-a-x-1-oauth", "a", Map.of("password", "p"));
        jdbc.sql("INSERT INTO vault_secrets (name, tenant_id, ciphertext, created_at, updated_at) "
                + "SELECT 'tenant-b-x-1-oauth', 'b', ciphertext, created_at, updated_at FROM vault_secrets").update();
        assertThatThrownBy(() -> vault.get("tenant-b-x-1-oauth")).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("p\"");
    }

    @Test
    void theSameKeysetFileOpensWhatAnEarlierStartSealed() {
        String keyset = dir.resolve("keyset.json").toString();
        new LocalCredentialVault(jdbc, new ObjectMapper(), "", keyset).put("s", "a", Map.of("k", "v"));
        assertThat(new LocalCredentialVault(jdbc, new ObjectMapper(), "", keyset).get("s")).contains(Map.of("k", "v"));
    }
}
