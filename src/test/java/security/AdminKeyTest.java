package security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void firstStartWritesAnOwnerOnlyKeyFileThatLaterStartsReuse() throws Exception {
        AdminKey first = new AdminKey("", dataDir.toString());
        Path file = dataDir.resolve("admin-api-key");
        String key = Files.readString(file).trim();
        assertThat(key).startsWith("cha_").hasSizeGreaterThan(40);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.matches(key)).isTrue();
        assertThat(first.matches(key + "x")).isFalse();

        AdminKey second = new AdminKey("", dataDir.toString());
        assertThat(second.matches(key)).isTrue();
        assertThat(Files.readString(file).trim()).isEqualTo(key);
    }

    @Test
    void aConfiguredKeyWinsAndNoFileIsWritten() {
        AdminKey configured = new AdminKey("my-admin-key", dataDir.toString());
        assertThat(configured.matches("my-admin-key")).isTrue();
        assertThat(dataDir.resolve("admin-api-key")).doesNotExist();
    }
}
