package sandbox.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.HubProcess;
import hub.NodeScript;
import sandbox.kit.SandboxCertificate;

/**
 * Contract test with Microsoft's own Node clients over TLS: the packaged hub with its sandbox TLS port, and
 * {@code src/test/node/msgraph/contract.js} running {@code @microsoft/microsoft-graph-client} 3.0.7 with
 * {@code @azure/identity} 4.13.0's {@code ClientSecretCredential} (its {@code authorityHost} the Entra sandbox on the
 * TLS port, instance discovery off; both pinned in the package-lock.json, installed by the build's
 * {@code npm-ci-msgraph}), Node trusting the hub's generated certificate through {@code NODE_EXTRA_CA_CERTS} and
 * nothing else: the channel messages list through the client's PageIterator, the channel delta followed to its
 * deltaLink and then the change since, the drive delta (full, {@code token=latest}, the change since), a subscription
 * whose handshake reaches a listener of the script's own (https, the hub's certificate) before the 201, its
 * notification with the clientState, its renewal, a lifecycle event and its deletion, a GraphError, and a 429 the
 * client's RetryHandler waits out.
 */
class GraphClientIT {

    private static final Path SCRIPT_DIR = Path.of("src", "test", "node", "msgraph");

    @Test
    void microsoftsClientsWorkAgainstTheSandboxOverTls() throws Exception {
        assertThat(SCRIPT_DIR.resolve("node_modules/@microsoft/microsoft-graph-client/package.json"))
                .as("the Graph client is installed: run npm ci --prefix " + SCRIPT_DIR).exists();
        Path dataDir = Files.createTempDirectory("hub-msgraph-node-it");
        int port = HubProcess.freePort();
        int tlsPort = HubProcess.freePort();
        int listenerPort = HubProcess.freePort();
        List<String> args = List.of("--hub.sandbox.tls-port=" + tlsPort,
                "--hub.sandbox.graph.webhook-allowed-hosts=127.0.0.1:" + listenerPort);
        try (HubProcess hub = new HubProcess(dataDir, port, args).start()) {
            hub.awaitUp(Duration.ofSeconds(180));
            Path tlsDir = dataDir.resolve("sandbox-tls");
            assertThat(tlsDir.resolve(SandboxCertificate.PEM)).exists();
            JsonNode out = runContract(tlsDir, "https://localhost:" + tlsPort, GraphSeed.teamId("Sales"),
                    GraphSeed.driveId("Documents"), listenerPort);

            assertThat(out.get("tokenFromIdentity").asBoolean()).isTrue();
            assertThat(out.get("channels").asInt()).isEqualTo(2);
            // 12 seeded root messages in the first channel, listed and in the first delta round (4 a page)
            assertThat(out.get("listed").asInt()).isEqualTo(12);
            assertThat(out.get("deltaMessages").asInt()).isEqualTo(12);
            assertThat(out.get("deltaPages").asInt()).isEqualTo(3);
            assertThat(out.get("deltaReplies").asInt()).isEqualTo(6);
            assertThat(out.get("deltaLinkOnTls").asBoolean()).isTrue();
            assertThat(out.get("changedIds")).extracting(JsonNode::asText).containsExactly(out.get("postedId").asText());

            // the root, the Customers folder and 12 files; then only the file added after token=latest
            assertThat(out.get("driveItems").asInt()).isEqualTo(14);
            assertThat(out.get("driveHasRoot").asBoolean()).isTrue();
            assertThat(out.get("latestEmpty").asBoolean()).isTrue();
            assertThat(out.get("driveChanged")).extracting(JsonNode::asText).containsExactly("From Node.txt");

            assertThat(out.get("handshakes")).extracting(JsonNode::asText).containsExactly("/notify", "/lifecycle");
            assertThat(out.get("notifiedClientState").asText()).isEqualTo("node-contract-state");
            assertThat(out.get("notifiedChangeType").asText()).isEqualTo("created");
            assertThat(Instant.parse(out.get("renewedExpiry").asText())).isEqualTo(Instant.parse(out.get("requestedExpiry").asText()));
            assertThat(out.get("readExpiry").asText()).isEqualTo(out.get("renewedExpiry").asText());
            assertThat(out.get("lifecycleEvent").asText()).isEqualTo("reauthorizationRequired");
            assertThat(out.get("deletedStatus").asInt()).isEqualTo(404);

            assertThat(out.get("notFoundStatus").asInt()).isEqualTo(404);
            assertThat(out.get("notFoundCode").asText()).isEqualTo("itemNotFound");
            assertThat(out.get("notFoundRequestId").asBoolean()).isTrue();
            assertThat(out.get("retriedAfter429").asBoolean()).isTrue();
            assertThat(out.get("violations").asInt()).isEqualTo(1);
        }
    }

    private static JsonNode runContract(Path tlsDir, String origin, String teamId, String driveId, int listenerPort)
            throws IOException, InterruptedException {
        // Node trusts the hub's certificate this way and no other: TLS checks stay on
        return NodeScript.run(SCRIPT_DIR, "contract.js",
                Map.of("NODE_EXTRA_CA_CERTS", tlsDir.resolve(SandboxCertificate.PEM).toAbsolutePath().toString()), 180,
                List.of(origin, teamId, driveId, Integer.toString(listenerPort), tlsDir.toAbsolutePath().toString()));
    }
}
