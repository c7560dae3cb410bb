package sandbox.google;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import hub.HubProcess;

/**
 * Contract test with Google's official Node client: the packaged hub with its sandbox port on, and
 * {@code src/test/node/google/contract.js} running {@code googleapis} (pinned in its package-lock.json; .ci/run installs
 * it with npm ci) with a JWT client built from the served service-account key: Drive's root URL is the sandbox port's
 * origin (the client drops a path), files.list paged, files.export, changes, and errors as the client surfaces them.
 */
class GoogleApisClientIT {

    private static final Path SCRIPT_DIR = Path.of("src", "test", "node", "google");

    @Test
    void googlesNodeClientWorksAgainstTheSandboxAtTheSandboxPort() throws Exception {
        assertThat(SCRIPT_DIR.resolve("node_modules/googleapis/package.json"))
                .as("googleapis is installed: run npm ci --prefix " + SCRIPT_DIR).exists();
        Path dataDir = Files.createTempDirectory("hub-google-node-it");
        int port = HubProcess.freePort();
        int sandboxPort = HubProcess.freePort();
        try (HubProcess hub = new HubProcess(dataDir, port, List.of("--hub.sandbox.port=" + sandboxPort)).start()) {
            hub.awaitUp(Duration.ofSeconds(180));
            JsonNode out = runContract(hub.url(), "http://127.0.0.1:" + sandboxPort, "node-contract");

            assertThat(out.get("files").asInt()).isGreaterThan(3);
            assertThat(out.get("distinct").asInt()).isEqualTo(out.get("files").asInt());
            assertThat(out.get("pages").asInt()).isEqualTo((out.get("files").asInt() + 2) / 3);
            assertThat(out.get("sizeIsString").asBoolean()).as("int64 as a string").isTrue();
            assertThat(out.get("tokenPosts").asInt()).isEqualTo(1);
            assertThat(out.get("tokenUri").asText()).isEqualTo(hub.url() + "/sandbox/google/token");
            assertThat(out.get("exportStartsWith").asText()).isEqualTo("Account plan: ");
            assertThat(out.get("changes").asInt()).isEqualTo(1);
            assertThat(out.get("changedFile").asBoolean()).isTrue();
            assertThat(out.get("newStartPageToken").asInt()).isEqualTo(1);
            assertThat(out.get("notFoundStatus").asInt()).isEqualTo(404);
            assertThat(out.get("notFoundReason").asText()).isEqualTo("notFound");
            assertThat(out.get("notFoundMessage").asText()).isEqualTo("File not found: 1NoSuchFileInThisDomain.");
            assertThat(out.get("badTokenStatus").asInt()).isEqualTo(400);
            assertThat(out.get("limitedStatus").asInt()).isEqualTo(403);
            assertThat(out.get("limitedReason").asText()).isEqualTo("userRateLimitExceeded");
            assertThat(out.get("limitedDomain").asText()).isEqualTo("usageLimits");
            assertThat(out.get("violations").asInt()).isEqualTo(1);
        }
    }

    private static JsonNode runContract(String hubUrl, String portOrigin, String domain) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("google-contract", ".err");
        Process node = new ProcessBuilder("node", "contract.js", hubUrl, portOrigin, domain)
                .directory(SCRIPT_DIR.toFile()).redirectError(stderr.toFile()).start();
        byte[] stdout = node.getInputStream().readAllBytes();
        boolean done = node.waitFor(120, TimeUnit.SECONDS);
        String errors = Files.readString(stderr);
        if (!done) {
            node.destroyForcibly();
        }
        String text = new String(stdout, StandardCharsets.UTF_8).trim();
        assertThat(done).as("contract.js finished; stderr: " + errors).isTrue();
        assertThat(node.exitValue()).as("contract.js exit; stdout: " + text + "; stderr: " + errors).isZero();
        return new ObjectMapper().readTree(text);
    }
}
