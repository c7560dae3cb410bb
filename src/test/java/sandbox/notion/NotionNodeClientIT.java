package sandbox.notion;

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
 * Contract test with Notion's official Node client: the packaged hub on a random port, and
 * {@code src/test/node/notion/contract.js} running {@code @notionhq/client} 2.3.0 (pinned in its package-lock.json; its
 * default Notion-Version is 2022-06-28; {@code npm ci --prefix src/test/node/notion} installs it, as .ci/run does)
 * against the sandbox with only its baseUrl changed: databases.query through iteratePaginatedAPI and
 * collectPaginatedAPI, a filter, pages.update and retrieve with typed properties, blocks.children.list paged and
 * nested, users, search, trashing, APIResponseError codes (object_not_found, validation_error, unauthorized), OAuth
 * (oauth.token with Basic auth, a rotating refresh), and rate_limited with Retry-After.
 */
class NotionNodeClientIT {

    private static final Path SCRIPT_DIR = Path.of("src", "test", "node", "notion");

    @Test
    void theOfficialNodeClientWorksAgainstTheSandboxUnchanged() throws Exception {
        assertThat(SCRIPT_DIR.resolve("node_modules/@notionhq/client/package.json"))
                .as("@notionhq/client is installed: run npm ci --prefix " + SCRIPT_DIR).exists();
        Path dataDir = Files.createTempDirectory("hub-notion-node-it");
        int port = HubProcess.freePort();
        List<String> args = List.of("--hub.sandbox.notion.companies=23", "--hub.sandbox.notion.notes=4");
        try (HubProcess hub = new HubProcess(dataDir, port, args).start()) {
            hub.awaitUp(Duration.ofSeconds(180));
            JsonNode out = runContract(hub.url() + "/sandbox/notion", "secret_sandbox-node");

            assertThat(out.get("allCompanies").asInt()).isEqualTo(23);
            assertThat(out.get("allCompaniesDistinct").asInt()).isEqualTo(23);
            assertThat(out.get("iterated").asInt()).isEqualTo(23);
            assertThat(out.get("ascending").asBoolean()).isTrue();
            assertThat(out.get("filtered").asInt()).isEqualTo(23);
            assertThat(out.get("firstPageHasMore").asBoolean()).isTrue();

            assertThat(out.get("updatedName").asText()).isEqualTo("Node Contract Co");
            assertThat(out.get("updatedEmployees").asInt()).isEqualTo(321);
            assertThat(out.get("updatedIndustry").asText()).isEqualTo("Contracts");
            assertThat(out.get("readName").asText()).isEqualTo("Node Contract Co");
            assertThat(out.get("parentType").asText()).isEqualTo("database_id");

            assertThat(out.get("blockTypes")).extracting(JsonNode::asText)
                    .containsExactly("heading_2", "paragraph", "bulleted_list_item", "numbered_list_item", "to_do");
            assertThat(out.get("nestedText").asText()).startsWith("Deal: ");
            assertThat(out.get("users").asInt()).isGreaterThan(1);
            assertThat(out.get("searchFound").asInt()).isEqualTo(1);

            assertThat(out.get("notFoundIsApiResponseError").asBoolean()).isTrue();
            assertThat(out.get("notFoundIsNotionClientError").asBoolean()).isTrue();
            assertThat(out.get("notFoundCode").asText()).isEqualTo("object_not_found");
            assertThat(out.get("notFoundIsObjectNotFound").asBoolean()).isTrue();
            assertThat(out.get("notFoundStatus").asInt()).isEqualTo(404);
            assertThat(out.get("validationCode").asText()).isEqualTo("validation_error");
            assertThat(out.get("badTokenCode").asText()).isEqualTo("unauthorized");
            assertThat(out.get("trashed").asBoolean()).isTrue();
            assertThat(out.get("afterTrash").asInt()).isEqualTo(22);

            assertThat(out.get("oauthTokenType").asText()).isEqualTo("bearer");
            assertThat(out.get("oauthUsers").asInt()).isGreaterThan(1);
            assertThat(out.get("refreshRotated").asBoolean()).isTrue();
            assertThat(out.get("reusedRefreshStatus").asInt()).isEqualTo(400);
            // invalid_grant is no APIErrorCode of the client: it reports it as an unknown HTTP response error
            assertThat(out.get("reusedRefreshCode").asText()).isEqualTo("notionhq_client_response_error");

            assertThat(out.get("limitedIsApiResponseError").asBoolean()).isTrue();
            assertThat(out.get("limitedCode").asText()).isEqualTo("rate_limited");
            assertThat(out.get("limitedStatus").asInt()).isEqualTo(429);
            assertThat(out.get("limitedRetryAfter").asText()).matches("\\d+");
            assertThat(out.get("violations").asInt()).isEqualTo(1);
        }
    }

    private static JsonNode runContract(String baseUrl, String token) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("notion-contract", ".err");
        Process node = new ProcessBuilder("node", "contract.js", baseUrl, token)
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
