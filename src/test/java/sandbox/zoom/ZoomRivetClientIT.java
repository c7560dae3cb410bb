package sandbox.zoom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.HubProcess;
import hub.NodeScript;

/**
 * Contract test with Zoom's Node SDK: the packaged hub on a random port, and {@code src/test/node/zoom/contract.js}
 * running {@code @zoom/rivet} 0.4.0 (pinned in its package-lock.json; the build's {@code npm-ci-zoom} installs it) against
 * the sandbox with only its baseUrl changed (its token URL is fixed to zoom.us, so the token reaches it through a token
 * store): listAllRecordings paged by next_page_token, getMeetingRecordings, the transcript download, trash and recover
 * (204), ApiResponseError for a 404 and a 429, and Rivet's own receiver answering the sandbox's endpoint.url_validation
 * and taking a signed recording.completed (Rivet checks the signature over {@code JSON.stringify} of the parsed body).
 */
class ZoomRivetClientIT {

    private static final Path SCRIPT_DIR = Path.of("src", "test", "node", "zoom");

    @Test
    void zoomsNodeSdkWorksAgainstTheSandboxUnchanged() throws Exception {
        assertThat(SCRIPT_DIR.resolve("node_modules/@zoom/rivet/package.json"))
                .as("@zoom/rivet is installed: run npm ci --prefix " + SCRIPT_DIR).exists();
        Path dataDir = Files.createTempDirectory("hub-zoom-rivet-it");
        int port = HubProcess.freePort();
        int receiver = HubProcess.freePort();
        List<String> args = List.of("--hub.sandbox.zoom.meetings=12", "--hub.sandbox.zoom.days=20",
                "--hub.sandbox.zoom.webhook-allowed-hosts=127.0.0.1:" + receiver);
        try (HubProcess hub = new HubProcess(dataDir, port, args).start()) {
            hub.awaitUp(Duration.ofSeconds(180));
            JsonNode out = NodeScript.run(SCRIPT_DIR, "contract.js", Map.of(), 120, List.of(hub.url() + "/sandbox/zoom",
                    "sandbox-account-rivet", Integer.toString(receiver)));

            assertThat(out.get("expiresInIsNumber").asBoolean()).isTrue();
            assertThat(out.get("scopeIsString").asBoolean()).isTrue();
            assertThat(out.get("listStatus").asInt()).isEqualTo(200);
            assertThat(out.get("listed").asInt()).isEqualTo(4);
            assertThat(out.get("listedDistinct").asInt()).isEqualTo(4);
            assertThat(out.get("pages").asInt()).isEqualTo(2);
            assertThat(out.get("oneUuid").asBoolean()).isTrue();
            assertThat(out.get("oneFileTypes")).extracting(JsonNode::asText).containsExactly("MP4", "M4A", "TRANSCRIPT");
            assertThat(out.get("trackingId").asBoolean()).isTrue();
            assertThat(out.get("vtt").asText()).isEqualTo("WEBVTT");
            assertThat(out.get("trashStatus").asInt()).isEqualTo(204);
            assertThat(out.get("goneName").asText()).isEqualTo("ApiResponseError");
            assertThat(out.get("goneIsApiResponseError").asBoolean()).isTrue();
            assertThat(out.get("goneMessage").asText()).isEqualTo("[404/3301]: \"This recording does not exist.\"");
            assertThat(out.get("recoverStatus").asInt()).isEqualTo(204);
            assertThat(out.get("limitedMessage").asText()).startsWith("[429/429]: \"You have reached the maximum per-second rate limit");
            assertThat(out.get("violations").asInt()).isEqualTo(1);
            assertThat(out.get("validated").asBoolean()).as("Rivet's receiver answered the challenge").isTrue();
            assertThat(out.get("eventReceived").asBoolean()).as("Rivet's receiver verified the signed event").isTrue();
            assertThat(out.get("receivedTopics")).extracting(JsonNode::asText).containsExactly("Rivet contract call");
        }
    }
}
