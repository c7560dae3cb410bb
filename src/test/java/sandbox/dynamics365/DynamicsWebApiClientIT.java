package sandbox.dynamics365;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.HubProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract with Microsoft's world: the official Node client {@code dynamics-web-api} (pinned in
 * src/test/node/dynamics365, installed there by {@code npm ci}) drives the packaged hub's Dynamics 365 sandbox
 * unchanged: paging through next links, retrieveAll, filters, creates with and without the row back, updates with
 * ETags (a stale one resolves false), upserts, change tracking with deletes, errors as the client reads them,
 * WhoAmI, entity names resolved through EntityDefinitions, a 429 and a 401.
 */
class DynamicsWebApiClientIT {

    private static final Path CLIENT = Path.of("src", "test", "node", "dynamics365");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOfficialClientWorksAgainstTheSandboxUnchanged() throws Exception {
        assertThat(CLIENT.resolve("node_modules").resolve("dynamics-web-api")).as("dynamics-web-api is installed: run"
                + " 'npm ci' in " + CLIENT + " (.ci/run does)").isDirectory();
        Path dataDir = Files.createTempDirectory("hub-dynamics-client-it");
        int port = HubProcess.freePort();
        try (HubProcess hub = new HubProcess(dataDir, port, List.of("--hub.sandbox.dynamics365.accounts=40"))
                .start().awaitUp(Duration.ofSeconds(120))) {
            JsonNode report = run("http://127.0.0.1:" + port, "contract");
            String api = "http://127.0.0.1:" + port + "/sandbox/dynamics365/contract/api/data/v9.2/";

            assertThat(report.get("firstPage").asInt()).isEqualTo(7);
            assertThat(report.get("secondPage").asInt()).isEqualTo(7);
            assertThat(report.get("pagesOverlap").asBoolean()).isFalse();
            assertThat(report.get("firstNextLink").asText()).startsWith(api + "accounts?$select=name,modifiedon,"
                    + "_primarycontactid_value&$orderby=name%20asc&$skiptoken=");
            assertThat(report.get("context").asText()).isEqualTo(api + "$metadata#accounts(name,modifiedon,_primarycontactid_value)");
            assertThat(report.get("modifiedonIsDate").asBoolean()).as("the client's date reviver took modifiedon").isTrue();
            assertThat(report.get("primaryContactFormatted").asText()).isNotBlank();
            assertThat(report.get("primaryContactLogicalName").asText()).isEqualTo("contact");
            assertThat(report.get("allContacts").asInt()).isEqualTo(80);
            assertThat(report.get("distinctContacts").asInt()).isEqualTo(80);
            assertThat(report.get("filteredTop").asInt()).isEqualTo(3);

            String created = report.get("createdId").asText();
            assertThat(created).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(report.get("representedFullname").asText()).isEqualTo("Ann Contract");
            assertThat(report.get("representedParent").asText()).isEqualTo(created);
            assertThat(report.get("retrievedName").asText()).isEqualTo("Contract Co");
            assertThat(report.get("updateWithEtag").asBoolean()).isTrue();
            assertThat(report.get("updateWithStaleEtag").asBoolean()).as("a 412 resolves false").isFalse();
            assertThat(report.get("nameAfterUpdates").asText()).isEqualTo("Contract Co 2");
            assertError(report.get("updateMissing"), 404, "0x80040217");
            assertThat(report.get("upserted").asText()).isEqualTo("7d4f2a10-3b5c-4e6d-8f90-a1b2c3d4e5f6");
            assertThat(report.get("createOnlyExisting").isNull()).as("If-None-Match: * on a row that exists").isTrue();

            assertThat(report.get("trackedRows").asInt()).isEqualTo(42);
            assertThat(report.get("deltaLink").asText()).startsWith(api + "accounts?$select=name&$deltatoken=");
            assertThat(report.get("deleted").asBoolean()).isTrue();
            assertThat(report.get("deltaChanged").toString())
                    .isEqualTo("[{\"id\":\"" + created + "\",\"name\":\"Changed after tracking\"}]");
            JsonNode deleted = report.get("deltaDeleted");
            assertThat(deleted).hasSize(1);
            assertThat(deleted.get(0).get("id").asText()).isEqualTo(report.get("victim").asText());
            assertThat(deleted.get(0).get("context").asText()).isEqualTo(api + "$metadata#accounts/$deletedEntity");
            assertThat(report.get("nextDeltaLink").asText()).isNotEqualTo(report.get("deltaLink").asText());

            assertThat(report.get("batchResults").toString()).isEqualTo("[true,true,\"555-0200\"]");
            assertThat(report.get("batchOtherName").asText()).isEqualTo("Batched");
            assertThat(report.get("changeSetRefused").toString()).as("one answer for the change set")
                    .isEqualTo("[{\"status\":404,\"code\":\"0x80040217\"}]");
            assertThat(report.get("nameAfterRefusedChangeSet").asText()).as("rolled back").isEqualTo("Batched");
            assertThat(report.get("continueOnError").toString()).isEqualTo("[{\"status\":412,\"code\":\"0x80060882\"},true]");
            assertThat(report.get("independentName").asText()).isEqualTo("Independent");

            assertError(report.get("deleteAgain"), 404, "0x80040217");
            assertError(report.get("badFilter"), 400, "0x0");
            assertThat(report.get("badFilter").get("message").asText()).contains("'nmae'");
            assertThat(report.get("whoAmIUser").asText()).hasSize(36);
            assertThat(report.get("byEntityName").asInt()).isEqualTo(2);

            assertError(report.get("throttled"), 429, "0x80072322");
            assertThat(report.get("throttled").get("retryAfter").asInt()).isBetween(1, 60);
            assertThat(report.get("limits").get("violations").asLong()).isEqualTo(1);
            assertThat(report.get("expired").get("status").asInt()).isEqualTo(401);
        }
    }

    /** Runs the script with the hub's root and an org, proxies unset (the client honours http_proxy); its report. */
    private static JsonNode run(String hubUrl, String org) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "contract.js").directory(CLIENT.toFile());
        Map<String, String> env = builder.environment();
        List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY").forEach(env::remove);
        env.put("HUB_URL", hubUrl);
        env.put("ORG", org);
        Path out = Files.createTempFile("dynamics-client", ".out");
        Path err = Files.createTempFile("dynamics-client", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the client script did not finish in 120 s:\n" + Files.readString(err));
        }
        String stdout = Files.readString(out);
        assertThat(process.exitValue()).as("client script failed:\n" + Files.readString(err) + "\n" + stdout).isZero();
        String[] lines = stdout.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    private static void assertError(JsonNode error, int status, String code) {
        assertThat(error.isNull()).as("expected an error").isFalse();
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("code").asText()).isEqualTo(code);
    }
}
