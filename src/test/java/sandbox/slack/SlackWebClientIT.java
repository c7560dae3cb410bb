package sandbox.slack;

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
 * Contract test with Slack's official Node client: the packaged hub on a random port, and
 * {@code src/test/node/slack/contract.js} running {@code @slack/web-api} (pinned in its package-lock.json;
 * {@code npm ci --prefix src/test/node/slack} installs it, as .ci/run does) against the sandbox with only its
 * {@code slackApiUrl} changed: auth.test, conversations.list, history through {@code paginate}, replies, users.info,
 * chat.getPermalink, chat.postMessage, an ok:false error as the client surfaces it, and a 429 it waits out and retries.
 */
class SlackWebClientIT {

    private static final Path SCRIPT_DIR = Path.of("src", "test", "node", "slack");

    @Test
    void theOfficialNodeClientWorksAgainstTheSandboxUnchanged() throws Exception {
        assertThat(SCRIPT_DIR.resolve("node_modules/@slack/web-api/package.json"))
                .as("@slack/web-api is installed: run npm ci --prefix " + SCRIPT_DIR).exists();
        Path dataDir = Files.createTempDirectory("hub-slack-node-it");
        int port = HubProcess.freePort();
        try (HubProcess hub = new HubProcess(dataDir, port, List.of()).start()) {
            hub.awaitUp(Duration.ofSeconds(180));
            JsonNode out = runContract(hub.url() + "/sandbox/slack", "xoxb-sandbox-node");

            assertThat(out.get("authOk").asBoolean()).isTrue();
            assertThat(out.get("teamId").asText()).startsWith("T");
            assertThat(out.get("channels").asInt()).isEqualTo(3);
            assertThat(out.get("historyPages").asInt()).isEqualTo(5);
            assertThat(out.get("historyMessages").asInt()).isEqualTo(30);
            assertThat(out.get("historyDistinct").asInt()).isEqualTo(30);
            assertThat(out.get("historyNewestFirst").asBoolean()).isTrue();
            assertThat(out.get("threadMessages").asInt()).isEqualTo(3);
            assertThat(out.get("userRealName").asText()).contains(" ");
            assertThat(out.get("permalink").asText()).matches("https://sandbox-node\\.slack\\.com/archives/C[A-Z0-9]+/p\\d{16}");
            assertThat(out.get("postedTs").asText()).matches("\\d{10}\\.\\d{6}");

            assertThat(out.get("platformErrorCode").asText()).isEqualTo("slack_webapi_platform_error");
            assertThat(out.get("platformError").asText()).isEqualTo("channel_not_found");
            assertThat(out.get("authError").asText()).isEqualTo("invalid_auth");

            assertThat(out.get("rateLimitedEvents").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(out.get("retryAfter").asInt()).isBetween(1, 2);
            assertThat(out.get("allAnsweredAfterRetry").asBoolean()).isTrue();
            assertThat(out.get("rejectedCode").asText()).isEqualTo(out.get("rateLimitedErrorCode").asText());
            assertThat(out.get("rejectedRetryAfter").asInt()).isBetween(1, 2);
            assertThat(out.get("violations").asInt()).isGreaterThanOrEqualTo(2);
        }
    }

    private static JsonNode runContract(String base, String token) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("slack-contract", ".err");
        Process node = new ProcessBuilder("node", "contract.js", base, token)
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
