package security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The administrator key: configured ({@code hub.admin-api-key}), or generated on first start and
 * written to {@code <data dir>/admin-api-key} with owner-only permissions.
 */
@Component
public class AdminKey {

    private static final Logger LOG = LoggerFactory.getLogger(AdminKey.class);
    static final String FILE_NAME = "admin-api-key";

    private final byte[] keyHash;

    public AdminKey(@Value("${hub.admin-api-key:}") String configured, @Value("${hub.data-dir}") String dataDir) {
        String key = configured.isBlank() ? fromFile(Path.of(dataDir, FILE_NAME)) : configured.trim();
        this.keyHash = ApiKeys.hash(key).getBytes(StandardCharsets.US_ASCII);
    }

    public boolean matches(String presented) {
        byte[] candidate = ApiKeys.hash(presented).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(keyHash, candidate);
    }

    private static String fromFile(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).trim();
            }
            String key = ApiKeys.newAdminKey();
            Files.createDirectories(file.getParent());
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, key + "\n", StandardCharsets.US_ASCII);
            LOG.info("Generated the admin API key in {} (owner-only); use it as 'Authorization: Bearer <key>' on /api/admin", file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the admin key file " + file, e);
        }
    }
}
