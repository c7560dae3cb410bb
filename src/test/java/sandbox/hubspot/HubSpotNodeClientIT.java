package sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.HubProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Contract test with HubSpot's official Node client: the packaged hub on a random port, and
 * {@code src/test/node/hubspot/contract.js} running {@code @hubspot/api-client} (pinned in its package-lock.json;
 * {@code npm ci --prefix src/test/node/hubspot} installs it, as .ci/run does) against the sandbox with only its
 * basePath changed: list, getAll, search, create, update, archive, associations, batch read, errors, OAuth, a signed
 * webhook its Signature helper accepts, and a 429 as it reports it.
 */
class HubSpotNodeClientIT {

    private static final Path SCRIPT_DIR = Path.of("src", "test", "node", "hubspot");

    @Test
    void theOfficialNodeClientWorksAgainstTheSandboxUnchanged() throws Exception {
        assertThat(SCRIPT_DIR.resolve("node_modules/@hubspot/api-client/package.json"))
                .as("@hubspot/api-client is installed: run npm ci --prefix " + SCRIPT_DIR).exists();
        Path dataDir = Files.createTempDirectory("hub-hubspot-node-it");
        int port = HubProcess.freePort();
        int webhookPort = HubProcess.freePort();
        List<String> args = List.of("--hub.sandbox.hubspot.companies=150",
                "--hub.sandbox.hubspot.webhook-allowed-hosts=127.0.0.1:" + webhookPort);
        try (HubProcess hub = new HubProcess(dataDir, port, args).start()) {
            // awaited inside the try, so a hub that does not come up is still stopped
            hub.awaitUp(Duration.ofSeconds(180));
            JsonNode out = runContract(hub.url() + "/sandbox/hubspot", webhookPort);

            assertThat(out.get("pageSize").asInt()).isEqualTo(5);
            assertThat(out.get("pageNextAfter").asText()).matches("\\d+");
            assertThat(out.get("firstCreatedAtIsDate").asBoolean()).isTrue();
            assertThat(out.get("allCompanies").asInt()).isEqualTo(150);
            assertThat(out.get("allCompaniesDistinct").asInt()).isEqualTo(150);
            assertThat(out.get("searchTotal").asInt()).isEqualTo(150);
            assertThat(out.get("searchPage").asInt()).isEqualTo(100);
            assertThat(out.get("searchNextAfter").asText()).isEqualTo("100");

            assertThat(out.get("createdObjectId").asText()).isEqualTo(out.get("createdId").asText());
            assertThat(out.get("updatedName").asText()).isEqualTo("Node Contract Co (renamed)");
            assertThat(out.get("readName").asText()).isEqualTo("Node Contract Co (renamed)");
            assertThat(out.get("updatedLater").asBoolean()).isTrue();
            assertThat(out.get("archivedReadCode").asInt()).isEqualTo(404);
            assertThat(out.get("archivedReadCategory").asText()).isEqualTo("OBJECT_NOT_FOUND");

            assertThat(out.get("v3AssociatedContacts").asInt()).isEqualTo(2);
            assertThat(out.get("v4AssociatedContacts").asInt()).isEqualTo(2);
            assertThat(out.get("v4TypeIds")).extracting(JsonNode::asInt).containsExactly(2, 280);
            assertThat(out.get("v4BatchDeals").asInt()).isEqualTo(1);
            assertThat(out.get("batchReadResults").asInt()).isEqualTo(1);
            assertThat(out.get("batchReadErrors").asInt()).isEqualTo(1);
            assertThat(out.get("invalidCode").asInt()).isEqualTo(400);
            assertThat(out.get("invalidCategory").asText()).isEqualTo("VALIDATION_ERROR");

            assertThat(out.get("oauthExpiresIn").asInt()).isEqualTo(1800);
            assertThat(out.get("oauthContacts").asInt()).isEqualTo(3);
            assertThat(out.get("refreshedTokenDiffers").asBoolean()).isTrue();
            assertThat(out.get("badRefreshCode").asInt()).isEqualTo(400);
            assertThat(out.get("badRefreshStatus").asText()).isEqualTo("BAD_REFRESH_TOKEN");

            assertThat(out.get("webhookV3Valid").asBoolean()).isTrue();
            assertThat(out.get("webhookV1Valid").asBoolean()).isTrue();
            assertThat(out.get("webhookWrongSecretValid").asBoolean()).isFalse();
            assertThat(out.get("webhookEvent").asText()).endsWith(" Signed Change").startsWith("company.propertyChange ");

            assertThat(out.get("limitedCode").asInt()).isEqualTo(429);
            assertThat(out.get("limitedPolicy").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
            assertThat(out.get("limitedMaxHeader").asText()).isEqualTo("1");
            assertThat(out.get("violations").asInt()).isEqualTo(1);
        }
    }

    private static JsonNode runContract(String basePath, int webhookPort) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("hubspot-contract", ".err");
        Process node = new ProcessBuilder("node", "contract.js", basePath, Integer.toString(webhookPort))
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
