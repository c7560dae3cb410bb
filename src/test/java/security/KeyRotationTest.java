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

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import hub.ConflictingStateException;
import security.LocalVaultFixture.Instance;
import security.vault.KeyRotation;

/** Rotation of the key-encryption keyset: data keysets re-wrapped, secrets untouched, every later start still opens them. */
class KeyRotationTest {

    @TempDir
    Path dir;
    private final LocalVaultFixture db = LocalVaultFixture.migrated();

    private String keysetFile() {
        return dir.resolve("keyset.json").toString();
    }

    @Test
    void rotationRewrapsDataKeysetsAndLeavesSecretCiphertextsAlone() throws Exception {
        Instance hub = db.startWithFile(keysetFile());
        hub.vault().put("tenant-a-x-1-oauth", "a", Map.of("password", "a-secret"));
        hub.vault().put("tenant-b-x-1-oauth", "b", Map.of("password", "b-secret"));
        hub.vault().put("system-slack-oauth", null, Map.of("token", "s-secret"));
        long oldPrimary = hub.kek().primaryKeyId();
        String oldKeyset = Files.readString(dir.resolve("keyset.json"));
        Map<String, String> secretsBefore = db.secretRows();
        Map<String, String> wrappedBefore = db.wrappedKeysets();

        KeyRotation.Result result = hub.rotation().rotate();

        assertThat(result.rewrapped()).isEqualTo(3);
        assertThat(result.primaryKeyId()).isNotEqualTo(oldPrimary).isEqualTo(hub.kek().primaryKeyId());
        assertThat(result.rotatedAt()).isNotNull();
        assertThat(db.secretRows()).isEqualTo(secretsBefore);
        assertThat(db.wrappedKeysets()).containsOnlyKeys(wrappedBefore.keySet());
        wrappedBefore.forEach((id, wrapped) -> {
            assertThat(db.wrappedKeysets().get(id)).as(id).isNotEqualTo(wrapped);
            assertThat(db.kekKeyIdOf(id)).as(id).isEqualTo(result.primaryKeyId());
        });
        assertThat(hub.vault().get("tenant-a-x-1-oauth")).contains(Map.of("password", "a-secret"));
        assertThat(hub.vault().get("system-slack-oauth")).contains(Map.of("token", "s-secret"));

        KeysetHandle written = readKeyset(dir.resolve("keyset.json"));
        assertThat(written.size()).isEqualTo(2);
        assertThat(Integer.toUnsignedLong(written.getPrimary().getId())).isEqualTo(result.primaryKeyId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keyset.json")))).isEqualTo("rw-------");
        assertThatThrownBy(() -> unwrapWith(oldKeyset, "a")).isInstanceOf(GeneralSecurityException.class);
        assertThat(db.jdbc.sql("SELECT primary_key_id FROM kek_rotation").query(Long.class).single()).isEqualTo(result.primaryKeyId());
    }

    @Test
    void secretsWrittenAfterRotationAreWrappedUnderTheNewPrimaryAndARestartOpensEverything() throws Exception {
        Instance hub = db.startWithFile(keysetFile());
        hub.vault().put("tenant-a-x-1-oauth", "a", Map.of("k", "before"));
        String oldKeyset = Files.readString(dir.resolve("keyset.json"));
        KeyRotation.Result result = hub.rotation().rotate();

        hub.vault().put("tenant-c-x-1-oauth", "c", Map.of("k", "after"));
        hub.vault().put("tenant-a-x-2-oauth", "a", Map.of("k", "after-in-a"));
        assertThat(db.kekKeyIdOf("c")).isEqualTo(result.primaryKeyId());
        assertThatThrownBy(() -> unwrapWith(oldKeyset, "c")).isInstanceOf(GeneralSecurityException.class);

        LocalCredentialVault restarted = db.startWithFile(keysetFile()).vault();
        assertThat(restarted.get("tenant-a-x-1-oauth")).contains(Map.of("k", "before"));
        assertThat(restarted.get("tenant-a-x-2-oauth")).contains(Map.of("k", "after-in-a"));
        assertThat(restarted.get("tenant-c-x-1-oauth")).contains(Map.of("k", "after"));
    }

    @Test
    void repeatedRotationsKeepEveryKeyAndEverySecret() {
        Instance hub = db.startWithFile(keysetFile());
        hub.vault().put("tenant-a-x-1-oauth", "a", Map.of("k", "v"));
        hub.rotation().rotate();
        hub.vault().put("tenant-b-x-1-oauth", "b", Map.of("k", "w"));
        KeyRotation.Result second = hub.rotation().rotate();

        assertThat(second.rewrapped()).isEqualTo(2);
        Instance restarted = db.startWithFile(keysetFile());
        assertThat(restarted.kek().primaryKeyId()).isEqualTo(second.primaryKeyId());
        assertThat(restarted.vault().get("tenant-a-x-1-oauth")).contains(Map.of("k", "v"));
        assertThat(restarted.vault().get("tenant-b-x-1-oauth")).contains(Map.of("k", "w"));
    }

    @Test
    void anotherInstanceReloadsTheKeysetFileWhenItMeetsTheNewKey() {
        Instance first = db.startWithFile(keysetFile());
        Instance second = db.startWithFile(keysetFile());
        first.vault().put("tenant-a-x-1-oauth", "a", Map.of("k", "a"));
        KeyRotation.Result result = first.rotation().rotate();
        assertThat(second.kek().hasKey(result.primaryKeyId())).isFalse();

        assertThat(second.vault().get("tenant-a-x-1-oauth")).contains(Map.of("k", "a"));
        assertThat(second.kek().primaryKeyId()).isEqualTo(result.primaryKeyId());
    }

    @Test
    void aStaleInstanceWrapsNewKeysetsUnderTheRotatedPrimary() {
        Instance first = db.startWithFile(keysetFile());
        Instance stale = db.startWithFile(keysetFile());
        KeyRotation.Result result = first.rotation().rotate();

        stale.vault().put("tenant-d-x-1-oauth", "d", Map.of("k", "d"));
        assertThat(db.kekKeyIdOf("d")).isEqualTo(result.primaryKeyId());
        assertThat(first.vault().get("tenant-d-x-1-oauth")).contains(Map.of("k", "d"));
    }

    @Test
    void aRotationOnAStaleInstanceKeepsTheKeysAnotherInstanceAdded() {
        Instance first = db.startWithFile(keysetFile());
        Instance stale = db.startWithFile(keysetFile());
        first.vault().put("tenant-a-x-1-oauth", "a", Map.of("k", "a"));
        KeyRotation.Result byFirst = first.rotation().rotate();
        KeyRotation.Result byStale = stale.rotation().rotate();

        assertThat(stale.kek().hasKey(byFirst.primaryKeyId())).isTrue();
        assertThat(db.startWithFile(keysetFile()).kek().primaryKeyId()).isEqualTo(byStale.primaryKeyId());
        assertThat(db.startWithFile(keysetFile()).vault().get("tenant-a-x-1-oauth")).contains(Map.of("k", "a"));
    }

    @Test
    void anInlineKeysetIsNotRotatedByTheHub() throws Exception {
        AeadConfig.register();
        String inline = TinkJsonProtoKeysetFormat.serializeKeyset(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
                InsecureSecretKeyAccess.get());
        Instance hub = db.start(inline, "");
        hub.vault().put("tenant-a-x-1-oauth", "a", Map.of("k", "v"));
        Map<String, String> wrappedBefore = db.wrappedKeysets();

        assertThatThrownBy(() -> hub.rotation().rotate()).isInstanceOfSatisfying(ConflictingStateException.class, e -> {
            assertThat(e.getMessage()).contains("inline", "HUB_KEYSET");
        });
        assertThat(db.wrappedKeysets()).isEqualTo(wrappedBefore);
        assertThat(hub.vault().get("tenant-a-x-1-oauth")).contains(Map.of("k", "v"));
    }

    @Test
    void aRotationThatCannotUnwrapADataKeysetChangesNothing() throws Exception {
        Instance hub = db.startWithFile(keysetFile());
        hub.vault().put("tenant-a-x-1-oauth", "a", Map.of("k", "v"));
        hub.vault().put("tenant-b-x-1-oauth", "b", Map.of("k", "w"));
        db.jdbc.sql("UPDATE tenant_data_keys SET wrapped_keyset = (SELECT wrapped_keyset FROM tenant_data_keys WHERE tenant_id = 'a') "
                + "WHERE tenant_id = 'b'").update();
        Map<String, String> wrappedBefore = db.wrappedKeysets();
        String keysetBefore = Files.readString(dir.resolve("keyset.json"));
        long primaryBefore = hub.kek().primaryKeyId();

        assertThatThrownBy(() -> hub.rotation().rotate()).isInstanceOf(IllegalStateException.class).hasNoCause();
        assertThat(db.wrappedKeysets()).isEqualTo(wrappedBefore);
        assertThat(Files.readString(dir.resolve("keyset.json"))).isEqualTo(keysetBefore);
        assertThat(hub.kek().primaryKeyId()).isEqualTo(primaryBefore);
        assertThat(hub.vault().get("tenant-a-x-1-oauth")).contains(Map.of("k", "v"));
    }

    private static KeysetHandle readKeyset(Path file) throws Exception {
        return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file), InsecureSecretKeyAccess.get());
    }

    private KeysetHandle unwrapWith(String kekJson, String dataKeyId) throws Exception {
        KeysetHandle kek = TinkJsonProtoKeysetFormat.parseKeyset(kekJson, InsecureSecretKeyAccess.get());
        byte[] wrapped = Base64.getDecoder().decode(db.wrappedKeysets().get(dataKeyId));
        return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, KeysetSource.aeadOf(kek), dataKeyId.getBytes(StandardCharsets.UTF_8));
    }
}
