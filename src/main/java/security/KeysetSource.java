package security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyTemplate;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KeysetManager;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

/**
 * The key-encryption keyset (KEK, Tink AES-256-GCM AEAD) of the local vault: given inline (from
 * the environment in the postgres profile), or read from / created in a key file with owner-only
 * permissions. It wraps the tenants' data keysets; it seals no secret itself. A file-based keyset
 * can be rotated (a new primary key, the old ones kept for decryption) and re-read when another
 * instance rotated it; an inline one is rotated by whoever sets it.
 */
public final class KeysetSource {

    private static final Logger LOG = LoggerFactory.getLogger(KeysetSource.class);

    private final Path file;
    private volatile Loaded loaded;

    private record Loaded(KeysetHandle handle, Aead aead) {
    }

    private KeysetSource(Path file, KeysetHandle handle) {
        this.file = file;
        this.loaded = opened(handle);
    }

    /** The keyset given inline (JSON) when there is one, else the keyset file, created on first use. */
    public static KeysetSource load(String inlineKeyset, String keysetFile) {
        try {
            AeadConfig.register();
            if (inlineKeyset != null && !inlineKeyset.isBlank()) {
                return new KeysetSource(null, TinkJsonProtoKeysetFormat.parseKeyset(inlineKeyset, InsecureSecretKeyAccess.get()));
            }
            if (keysetFile != null && !keysetFile.isBlank()) {
                Path file = Path.of(keysetFile);
                return new KeysetSource(file, Files.exists(file) ? read(file) : created(file));
            }
            throw new IllegalStateException("no credential keyset: set hub.crypto.keyset (HUB_KEYSET) or hub.crypto.keyset-file");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("credential keyset is not a valid Tink AEAD keyset", e);
        }
    }

    /** AEAD of the whole keyset: encrypts with the primary key, decrypts with any key of the keyset. */
    public Aead aead() {
        return loaded.aead();
    }

    public long primaryKeyId() {
        return Integer.toUnsignedLong(loaded.handle().getPrimary().getId());
    }

    /** The ids of the keyset's keys (not secret: Tink writes them in front of every ciphertext). */
    public Set<Long> keyIds() {
        return keyIds(loaded.handle());
    }

    public boolean hasKey(long keyId) {
        return keyIds(loaded.handle()).contains(keyId);
    }

    /** False when the keyset was given inline: the hub cannot write it back. */
    public boolean rotatable() {
        return file != null;
    }

    /**
     * Re-reads the key file, when the keyset lives in one, so that keys another instance added
     * become usable here. Returns whether anything was re-read.
     */
    public synchronized boolean reload() {
        if (file == null || !Files.exists(file)) {
            return false;
        }
        try {
            loaded = opened(read(file));
            return true;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("credential keyset file " + file + " is not a valid Tink AEAD keyset", e);
        }
    }

    /**
     * The keyset as the file holds it now plus a new AES-256-GCM primary key, not yet in use:
     * {@link #commit} writes it to the file and switches to it.
     */
    public synchronized KeysetHandle withNewPrimary() throws GeneralSecurityException {
        if (!rotatable()) {
            throw new IllegalStateException("an inline keyset cannot be rotated by the hub");
        }
        reload();
        KeysetHandle current = loaded.handle();
        KeysetManager manager = KeysetManager.withKeysetHandle(current).add(KeyTemplate.createFrom(PredefinedAeadParameters.AES256_GCM));
        Set<Long> added = keyIds(manager.getKeysetHandle());
        added.removeAll(keyIds(current));
        return manager.setPrimary((int) (long) added.iterator().next()).getKeysetHandle();
    }

    /** AEAD of a keyset not committed yet (encrypts with its primary key). */
    public static Aead aeadOf(KeysetHandle handle) throws GeneralSecurityException {
        return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    public static long primaryKeyIdOf(KeysetHandle handle) {
        return Integer.toUnsignedLong(handle.getPrimary().getId());
    }

    /** Replaces the key file atomically with the given keyset and uses it from now on. */
    public synchronized void commit(KeysetHandle handle) throws GeneralSecurityException {
        Path temp = file.resolveSibling(file.getFileName() + ".next");
        try {
            Files.deleteIfExists(temp);
            createOwnerOnly(temp);
            Files.writeString(temp, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the keyset file " + file, e);
        }
        loaded = opened(handle);
        LOG.info("Credential keyset in {} rotated: new primary key {}, {} keys kept", file, primaryKeyIdOf(handle), handle.size());
    }

    private static Loaded opened(KeysetHandle handle) {
        try {
            return new Loaded(handle, aeadOf(handle));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("credential keyset is not a valid Tink AEAD keyset", e);
        }
    }

    private static Set<Long> keyIds(KeysetHandle handle) {
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < handle.size(); i++) {
            ids.add(Integer.toUnsignedLong(handle.getAt(i).getId()));
        }
        return ids;
    }

    private static KeysetHandle read(Path file) throws GeneralSecurityException {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the keyset file " + file, e);
        }
    }

    private static KeysetHandle created(Path file) throws GeneralSecurityException {
        KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            createOwnerOnly(file);
            Files.writeString(file, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the keyset file " + file, e);
        }
        LOG.info("Generated a new credential keyset in {} (owner-only); back it up with the database", file);
        return handle;
    }

    private static void createOwnerOnly(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }
}
