package hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image the profile {@code image} builds (target/jib-image.tar: Jib onto the base image that
 * image/debian-jre-base.sh assembles from Debian's JRE package), read as a container runtime reads it: manifest, config,
 * layers. Runs in the failsafe execution of that profile: {@code mvn -B -Pimage verify}.
 */
@Tag("image")
class ContainerImageIT {

    private static final Path TARGET = Path.of("target");
    private static final String JAVA_HOME = "usr/lib/jvm/java-17-openjdk-amd64";

    @TempDir
    static Path dir;

    static JsonNode config;
    static List<String> layers = new ArrayList<>();

    @BeforeAll
    static void unpack() throws Exception {
        Path image = dir.resolve("image");
        Files.createDirectories(image);
        run(dir, "tar", "-xf", TARGET.resolve("jib-image.tar").toAbsolutePath().toString(), "-C", image.toString());
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = json.readTree(image.resolve(manifest.get("Config").asText()).toFile());
        manifest.get("Layers").forEach(layer -> layers.add(image.resolve(layer.asText()).toString()));
    }

    @Test
    void startsTheHubAsNonRootInThePostgresProfile() {
        JsonNode c = config.get("config");
        List<String> entrypoint = new ArrayList<>();
        c.get("Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        assertThat(entrypoint).startsWith("java").contains("-XX:MaxRAMPercentage=75").endsWith("hub.CastielHubApplication");
        assertThat(c.get("User").asText()).isEqualTo("1000:1000");
        assertThat(c.get("ExposedPorts").has("8080/tcp")).isTrue();
        List<String> env = new ArrayList<>();
        c.get("Env").forEach(e -> env.add(e.asText()));
        assertThat(env).contains("SPRING_PROFILES_ACTIVE=postgres", "JAVA_HOME=/" + JAVA_HOME, "HUB_DATA_DIR=/tmp/hub")
                .anyMatch(e -> e.startsWith("PATH=/" + JAVA_HOME + "/bin:"));
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
    }

    @Test
    void layersHoldTheJreTheHubAndAUser() throws Exception {
        List<String> entries = new ArrayList<>();
        for (String layer : layers) {
            entries.addAll(run(dir, "tar", "--warning=no-unknown-keyword", "-tzf", layer).lines().toList());
        }
        assertThat(entries).contains(
                "app/classes/hub/CastielHubApplication.class",
                "app/resources/application-postgres.properties",
                "app/jib-classpath-file",
                "./" + JAVA_HOME + "/bin/java",
                "./" + JAVA_HOME + "/lib/server/libjvm.so",
                "./etc/ssl/certs/java/cacerts",
                "./usr/lib/x86_64-linux-gnu/libc.so.6",
                "./usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        assertThat(entries).anyMatch(e -> e.matches("app/libs/camel-core-engine-.*\\.jar"));
        // the classpath file names only what the image holds
        String classpath = null;
        for (String layer : layers) {
            if (run(dir, "tar", "--warning=no-unknown-keyword", "-tzf", layer).lines().anyMatch("app/jib-classpath-file"::equals)) {
                classpath = run(dir, "tar", "--warning=no-unknown-keyword", "-xzOf", layer, "app/jib-classpath-file");
            }
        }
        assertThat(classpath).isNotNull();
        for (String path : classpath.trim().split(":")) {
            String entry = path.substring(1);
            assertThat(entries).as("classpath entry %s", path).anyMatch(e -> e.equals(entry) || e.equals(entry + "/"));
        }
    }

    /** The base layer's JRE runs with the base layer's own loader and libraries (no chroot, no root needed). */
    @Test
    void theImagesJreRunsOnTheImagesLibraries() throws Exception {
        Path rootfs = extract(dir.resolve("rootfs"));
        assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("hub:x:1000:1000:");
        String libs = rootfs.resolve("usr/lib/x86_64-linux-gnu").toString();
        String version = run(dir, rootfs.resolve("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2").toString(),
                "--library-path", libs + ":" + rootfs.resolve(JAVA_HOME + "/lib"),
                rootfs.resolve(JAVA_HOME + "/bin/java").toString(), "-XshowSettings:properties", "-version");
        assertThat(version).contains("openjdk version \"17.").contains("java.home = " + rootfs.resolve(JAVA_HOME));
    }

    /** Every layer unpacked into one directory, in order, as a runtime stacks them (no whiteouts in these). */
    private static Path extract(Path rootfs) throws Exception {
        Files.createDirectories(rootfs);
        for (String layer : layers) {
            run(dir, "tar", "-xzf", layer, "-C", rootfs.toString(), "--warning=no-unknown-keyword");
        }
        return rootfs;
    }

    private static String run(Path workDir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + text);
        }
        return text;
    }
}
