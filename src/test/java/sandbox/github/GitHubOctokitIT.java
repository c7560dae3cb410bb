package sandbox.github;

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
 * Contract test with GitHub's official Node client: the packaged hub on a random port, and
 * {@code src/test/node/github/contract.mjs} running {@code @octokit/rest} (pinned in its package-lock.json;
 * {@code npm ci --prefix src/test/node/github} installs it, as .ci/run does) against the sandbox with only its baseUrl
 * changed: paginate over Link headers, since, update (PATCH), a comment, a 304 conditional request at no cost, errors, a
 * webhook, and the secondary and primary limit answers as Octokit reports them.
 */
class GitHubOctokitIT {

    private static final Path SCRIPT_DIR = Path.of("src", "test", "node", "github");

    @Test
    void octokitWorksAgainstTheSandboxUnchanged() throws Exception {
        assertThat(SCRIPT_DIR.resolve("node_modules/@octokit/rest/package.json"))
                .as("@octokit/rest is installed: run npm ci --prefix " + SCRIPT_DIR).exists();
        Path dataDir = Files.createTempDirectory("hub-github-node-it");
        int port = HubProcess.freePort();
        try (HubProcess hub = new HubProcess(dataDir, port, List.of()).start()) {
            hub.awaitUp(Duration.ofSeconds(180));
            JsonNode out = runContract(hub.url() + "/sandbox/github", "ghp_sandbox_octokit");

            assertThat(out.get("allIssues").asInt()).isEqualTo(20);
            assertThat(out.get("distinctNumbers").asInt()).isEqualTo(20);
            assertThat(out.get("pullRequests").asInt()).isEqualTo(5);
            assertThat(out.get("firstHasUser").asBoolean()).isTrue();
            assertThat(out.get("sinceAllNewer").asBoolean()).isTrue();
            assertThat(out.get("sinceCount").asInt()).isBetween(5, 19);
            assertThat(out.get("rateLimitHeader").asText()).isEqualTo("5000");

            assertThat(out.get("updatedState").asText()).isEqualTo("closed");
            assertThat(out.get("updatedTitle").asText()).isEqualTo("Closed by Octokit");
            assertThat(out.get("updatedLabels")).extracting(JsonNode::asText).containsExactly("bug", "escalated");
            assertThat(out.get("updatedClosedAt").asBoolean()).isTrue();
            assertThat(out.get("commentStatus").asInt()).isEqualTo(201);
            assertThat(out.get("commentListed").asBoolean()).isTrue();

            assertThat(out.get("conditionalStatus").asInt()).isEqualTo(304);
            assertThat(out.get("conditionalFree").asBoolean()).isTrue();
            assertThat(out.get("missingStatus").asInt()).isEqualTo(404);
            assertThat(out.get("invalidStatus").asInt()).isEqualTo(422);
            assertThat(out.get("hookStatus").asInt()).isEqualTo(201);
            assertThat(out.get("hookMaskedSecret").asText()).isEqualTo("********");

            assertThat(out.get("secondaryStatus").asInt()).isEqualTo(403);
            assertThat(out.get("secondaryRetryAfter").asText()).isEqualTo("42");
            assertThat(out.get("secondaryMessage").asText()).contains("secondary rate limit");
            assertThat(out.get("limitedStatus").asInt()).isEqualTo(403);
            assertThat(out.get("limitedRemaining").asText()).isEqualTo("0");
            assertThat(out.get("limitedMessage").asText()).contains("API rate limit exceeded");
            assertThat(out.get("violations").asInt()).isEqualTo(1);
            assertThat(out.get("badTokenStatus").asInt()).isEqualTo(401);
        }
    }

    private static JsonNode runContract(String sandbox, String token) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("github-contract", ".err");
        Process node = new ProcessBuilder("node", "contract.mjs", sandbox, token)
                .directory(SCRIPT_DIR.toFile()).redirectError(stderr.toFile()).start();
        byte[] stdout = node.getInputStream().readAllBytes();
        boolean done = node.waitFor(120, TimeUnit.SECONDS);
        String errors = Files.readString(stderr);
        if (!done) {
            node.destroyForcibly();
        }
        String text = new String(stdout, StandardCharsets.UTF_8).trim();
        assertThat(done).as("contract.mjs finished; stderr: " + errors).isTrue();
        assertThat(node.exitValue()).as("contract.mjs exit; stdout: " + text + "; stderr: " + errors).isZero();
        return new ObjectMapper().readTree(text);
    }
}
