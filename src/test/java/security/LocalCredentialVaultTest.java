package security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import security.LocalVaultFixture.Instance;

/** The local vault on a real (in-memory H2) table with the hub's migrations: envelope encryption per tenant. */
class LocalCredentialVaultTest {

    @TempDir
    Path dir;
    private final LocalVaultFixture db = LocalVaultFixture.migrated();

    private String keysetFile() {
        return dir.resolve("keyset.json").toString();
    }

    @Test
    void secretsRoundTripAndAreSealedAtRest() throws Exception {
        LocalCredentialVault vault = db.startWithFile(keysetFile()).vault();
        vault.put("tenant-a-salesforce-1-oauth", "a", Map.of("password", "hunter2-secret", "clientId", "abc"));
        assertThat(vault.get("tenant-a-salesforce-1-oauth")).contains(Map.of("password", "hunter2-secret", "clientId", "abc"));
        String stored = db.row("tenant-a-salesforce-1-oauth").ciphertext();
        assertThat(stored).doesNotContain("hunter2").doesNotContain("abc");
        assertThat(new String(Base64.getDecoder().decode(stored))).doesNotContain("hunter2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keyset.json")))).isEqualTo("rw-------");

        vault.put("tenant-a-salesforce-1-oauth", "a", Map.of("password", "rotated"));
        assertThat(vault.get("tenant-a-salesforce-1-oauth")).contains(Map.of("password", "rotated"));
        vault.delete("tenant-a-salesforce-1-oauth");
        assertThat(vault.get("tenant-a-salesforce-1-oauth")).isEmpty();
    }

    @Test
    void eachTenantAndTheSystemGetTheirOwnWrappedDataKeyset() {
        LocalCredentialVault vault = db.startWithFile(keysetFile()).vault();
        vault.put("tenant-a-x-1-oauth", "a", Map.of("k", "a1"));
        vault.put("tenant-a-x-2-oauth", "a", Map.of("k", "a2"));
        vault.put("tenant-b-x-1-oauth", "b", Map.of("k", "b1"));
        vault.put("system-slack-oauth", null, Map.of("k", "s"));

        assertThat(vault.get("tenant-a-x-1-oauth")).contains(Map.of("k", "a1"));
        assertThat(vault.get("tenant-a-x-2-oauth")).contains(Map.of("k", "a2"));
        assertThat(vault.get("tenant-b-x-1-oauth")).contains(Map.of("k", "b1"));
        assertThat(vault.get("system-slack-oauth")).contains(Map.of("k", "s"));
        assertThat(db.wrappedKeysets()).containsOnlyKeys("a", "b", DataKeysets.SYSTEM);
        assertThat(db.row("tenant-b-x-1-oauth").dataKeyId()).isEqualTo("b");
        assertThat(db.row("system-slack-oauth").dataKeyId()).isEqualTo(DataKeysets.SYSTEM);
    }

    @Test
    void aCiphertextCopiedUnderAnotherNameDoesNotOpen() {
        LocalCredentialVault vault = db.startWithFile(keysetFile()).vault();
        vault.put("tenant-a-x-1-oauth", "a", Map.of("password", "p"));
        db.jdbc.sql("INSERT INTO vault_secrets (name, tenant_id, ciphertext, data_key_id, created_at, updated_at) "
                + "SELECT 'tenant-a-x-2-oauth', tenant_id, ciphertext, data_key_id, created_at, updated_at FROM vault_secrets").update();
        assertThatThrownBy(() -> vault.get("tenant-a-x-2-oauth")).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("p\"").hasNoCause();
    }

    @Test
    void oneTenantsDataKeysetDoesNotOpenAnotherTenantsSecret() {
        LocalCredentialVault vault = db.startWithFile(keysetFile()).vault();
        String name = "tenant-b-x-1-oauth";
        vault.put(name, "a", Map.of("password", "sealed-by-a"));
        String sealedByA = db.row(name).ciphertext();
        vault.put(name, "b", Map.of("password", "sealed-by-b"));
        assertThat(db.row(name).dataKeyId()).isEqualTo("b");

        db.jdbc.sql("UPDATE vault_secrets SET ciphertext = ? WHERE name = ?").params(sealedByA, name).update();
        assertThatThrownBy(() -> vault.get(name)).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("sealed-by").hasNoCause();
    }

    @Test
    void aWrappedKeysetMovedToAnotherTenantDoesNotOpen() {
        LocalCredentialVault vault = db.startWithFile(keysetFile()).vault();
        vault.put("tenant-a-x-1-oauth", "a", Map.of("k", "a"));
        vault.put("tenant-b-x-1-oauth", "b", Map.of("k", "b"));
        db.jdbc.sql("UPDATE tenant_data_keys SET wrapped_keyset = (SELECT wrapped_keyset FROM tenant_data_keys WHERE tenant_id = 'a') "
                + "WHERE tenant_id = 'b'").update();

        LocalCredentialVault restarted = db.startWithFile(keysetFile()).vault();
        assertThat(restarted.get("tenant-a-x-1-oauth")).contains(Map.of("k", "a"));
        assertThatThrownBy(() -> restarted.get("tenant-b-x-1-oauth")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("data keyset of b").hasNoCause();
    }

    @Test
    void readingASecretWhoseDataKeysetIsGoneFailsWithoutMakingANewOne() {
        db.startWithFile(keysetFile()).vault().put("tenant-a-x-1-oauth", "a", Map.of("k", "a"));
        db.jdbc.sql("DELETE FROM tenant_data_keys").update();

        LocalCredentialVault restarted = db.startWithFile(keysetFile()).vault();
        assertThatThrownBy(() -> restarted.get("tenant-a-x-1-oauth")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("data keyset of a is missing");
        assertThat(db.wrappedKeysets()).isEmpty();
    }

    @Test
    void theSameKeysetFileOpensWhatAnEarlierStartSealed() {
        db.startWithFile(keysetFile()).vault().put("s", "a", Map.of("k", "v"));
        assertThat(db.startWithFile(keysetFile()).vault().get("s")).contains(Map.of("k", "v"));
    }

    @Test
    void rowsSealedWithTheKeysetBeforeEnvelopesAreResealedAtStart() throws Exception {
        LocalVaultFixture old = LocalVaultFixture.beforeEnvelopes();
        KeysetSource kek = KeysetSource.load("", keysetFile());
        old.insertLegacy(kek, "tenant-a-x-1-oauth", "a", Map.of("k", "legacy-a"));
        old.insertLegacy(kek, "system-slack-oauth", null, Map.of("k", "legacy-system"));
        String before = old.jdbc.sql("SELECT ciphertext FROM vault_secrets WHERE name = 'tenant-a-x-1-oauth'").query(String.class).single();
        old.migrate("latest");

        LocalCredentialVault vault = old.startWithFile(keysetFile()).vault();
        assertThat(old.row("tenant-a-x-1-oauth").dataKeyId()).isEqualTo("a");
        assertThat(old.row("tenant-a-x-1-oauth").ciphertext()).isNotEqualTo(before);
        assertThat(old.row("system-slack-oauth").dataKeyId()).isEqualTo(DataKeysets.SYSTEM);
        assertThat(vault.get("tenant-a-x-1-oauth")).contains(Map.of("k", "legacy-a"));
        assertThat(vault.get("system-slack-oauth")).contains(Map.of("k", "legacy-system"));
        assertThatThrownBy(() -> open(kek, old.row("tenant-a-x-1-oauth"))).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aLegacyRowWrittenAfterStartStillOpensAndIsResealedOnItsNextWrite() throws Exception {
        Instance hub = db.startWithFile(keysetFile());
        db.insertLegacy(hub.kek(), "tenant-a-x-1-oauth", "a", Map.of("k", "from-an-older-instance"));
        assertThat(hub.vault().get("tenant-a-x-1-oauth")).contains(Map.of("k", "from-an-older-instance"));

        hub.vault().put("tenant-a-x-1-oauth", "a", Map.of("k", "new"));
        assertThat(db.row("tenant-a-x-1-oauth").dataKeyId()).isEqualTo("a");
        assertThat(hub.vault().get("tenant-a-x-1-oauth")).contains(Map.of("k", "new"));
    }

    private static byte[] open(KeysetSource kek, LocalVaultFixture.Row row) throws Exception {
        return kek.aead().decrypt(Base64.getDecoder().decode(row.ciphertext()), row.name().getBytes(StandardCharsets.UTF_8));
    }
}
