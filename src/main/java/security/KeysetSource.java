package security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

/**
 * The AES-256-GCM keyset behind the local vault: given inline (from the environment in the
 * postgres profile), or read from / created in a key file with owner-only permissions.
 */
final class KeysetSource {

    private static final Logger LOG = LoggerFactory.getLogger(KeysetSource.class);

    private KeysetSource() {
    }

    static Aead aead(String inlineKeyset, String keysetFile) {
        try {
            AeadConfig.register();
            KeysetHandle handle;
            if (inlineKeyset != null && !inlineKeyset.isBlank()) {
                handle = TinkJsonProtoKeysetFormat.parseKeyset(inlineKeyset, InsecureSecretKeyAccess.get());
            } else if (keysetFile != null && !keysetFile.isBlank()) {
                handle = fromFile(Path.of(keysetFile));
            } else {
                throw new IllegalStateException("no credential keyset: set hub.crypto.keyset (HUB_KEYSET) or hub.crypto.keyset-file");
            }
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("credential keyset is not a valid Tink AEAD keyset", e);
        }
    }

    private static KeysetHandle fromFile(Path file) throws GeneralSecurityException {
        try {
            if (Files.exists(file)) {
                return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get());
            }
            KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()), StandardCharsets.UTF_8);
            LOG.info("Generated a new credential keyset in {} (owner-only); back it up with the database", file);
            return handle;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the keyset file " + file, e);
        }
    }
}
