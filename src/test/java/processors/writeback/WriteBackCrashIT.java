package processors.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubProcess;

/**
 * The packaged hub killed with SIGKILL while shard changes are on their way to Salesforce (a
 * provider in its own process, the sandbox): once with changes committed but not relayed, once
 * with changes relayed and being written. After a restart every change reaches the provider, and
 * each record is written once: the provider's outbound messages, one per change it sees, are counted.
 */
class WriteBackCrashIT {

    private static final Duration UP = Duration.ofSeconds(120);
    private static final Pattern NOTIFIED_ID = Pattern.compile("<sf:Id>([A-Za-z0-9]{15,18})</sf:Id>");
    private static final String ACK = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
            + "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><notificationsResponse "
            + "xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>";

    @Test
    void noChangeIsLostOrWrittenTwiceWhenTheHubIsKilledBeforeOrAfterTheRelay() throws Exception {
        Map<String, Integer> providerWrites = new ConcurrentHashMap<>();
        HttpServer notifications = outboundMessageCounter(providerWrites);
        Path providerDir = Files.createTempDirectory("hub-wb-provider");
        Path hubDir = Files.createTempDirectory("hub-wb-crash-it");
        int hubPort = HubProcess.freePort();
        int providerPort = HubProcess.freePort();
        // the provider's sandbox runs in another process on loopback: this hub is told to allow it
        List<String> hubArgs = List.of("--hub.sandbox.enabled=false", "--hub.outbound.allowed-hosts=localhost:" + providerPort);
        try (HubProcess provider = new HubProcess(providerDir, providerPort, List.of("--hub.sandbox.salesforce.accounts=60",
                "--hub.sandbox.salesforce.latency-ms=100", "--hub.sandbox.salesforce.outbound-batch-window=0ms",
                "--hub.sandbox.salesforce.outbound-allowed-hosts=localhost:" + notifications.getAddress().getPort())).start().awaitUp(UP)) {
            HubClient salesforce = provider.client();
            String org = "crash-wb";
            String token = salesforce.sandboxToken(org);
            assertThat(salesforce.call("POST", salesforce.sandboxUrl() + "/setup/outbound-messages", token, Map.of("name", "counter",
                    "object", "Account", "endpointUrl", "http://localhost:" + notifications.getAddress().getPort() + "/om",
                    "fields", List.of("Id", "Phone"))).status()).isBetween(200, 201);

            String key;
            String integration;
            List<String> shards = new ArrayList<>();
            Map<String, String> recordOfShard = new ConcurrentHashMap<>();
            // 1. changes committed, write-back paused: killed before any is relayed
            List<String> paused = new ArrayList<>(hubArgs);
            paused.add("--hub.writeback.paused=true");
            try (HubProcess first = new HubProcess(hubDir, hubPort, paused).start().awaitUp(UP)) {
                HubClient hub = first.client();
                key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
                integration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", "salesforce", "name", "crash",
                        "syncDirection", "bidirectional")).get("id").asText();
                assertThat(hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", key,
                        Map.of("credentials", salesforce.sandboxCredentials(org))).get("ok").asBoolean()).isTrue();
                JsonNode full = hub.runAndWait(key, integration, hub.task(key, integration, "Account", "full"), UP);
                assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
                for (JsonNode shard : hub.allShards(key, "c_company")) {
                    shards.add(shard.get("id").asText());
                    recordOfShard.put(shard.get("id").asText(), shard.at("/externalRelationships/0/externalId").asText());
                }
                for (String shard : shards.subList(0, 20)) {
                    hub.ok("PATCH", "/api/tenant/shards/" + shard, key, Map.of("structuredData", Map.of("phone", phone(shard))));
                }
                assertThat(hub.ok("GET", "/api/tenant/shards/" + shards.get(0) + "/writes", key, null).at("/items/0/status").asText())
                        .isEqualTo("pending");
                first.kill();
            }
            // 2. running normally: the first batch goes out; a second batch is relayed and killed while being written
            try (HubProcess second = new HubProcess(hubDir, hubPort, hubArgs).start().awaitUp(UP)) {
                HubClient hub = second.client();
                for (String shard : shards.subList(20, 40)) {
                    hub.ok("PATCH", "/api/tenant/shards/" + shard, key, Map.of("structuredData", Map.of("phone", phone(shard))));
                }
                Awaitility.await().atMost(UP).pollInterval(Duration.ofMillis(50)).until(() -> shards.subList(20, 40).stream()
                        .noneMatch(s -> hub.ok("GET", "/api/tenant/shards/" + s + "/writes", key, null).at("/items/0/status").asText()
                                .equals("pending")));
                long unfinished = shards.subList(20, 40).stream()
                        .filter(s -> !hub.ok("GET", "/api/tenant/shards/" + s + "/writes", key, null).at("/items/0").hasNonNull("finishedAt"))
                        .count();
                second.kill();
                assertThat(unfinished).as("killed with relayed writes in flight").isPositive();
            }
            // 3. after the restart everything arrives, once
            try (HubProcess third = new HubProcess(hubDir, hubPort, hubArgs).start().awaitUp(UP)) {
                HubClient hub = third.client();
                Awaitility.await().atMost(UP).pollInterval(Duration.ofMillis(500)).until(() -> shards.subList(0, 40).stream()
                        .allMatch(s -> hub.ok("GET", "/api/tenant/shards/" + s + "/writes", key, null).at("/items/0").hasNonNull("finishedAt")));
                for (String shard : shards.subList(0, 40)) {
                    JsonNode write = hub.ok("GET", "/api/tenant/shards/" + shard + "/writes", key, null).at("/items/0");
                    assertThat(write.get("status").asText()).as(write.toString()).isEqualTo("done");
                    HubClient.Response record = salesforce.call("GET", salesforce.sandboxUrl() + "/services/data/v59.0/sobjects/Account/"
                            + recordOfShard.get(shard) + "?fields=Phone", token, null);
                    assertThat(record.body().get("Phone").asText()).isEqualTo(phone(shard));
                }
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> providerWrites.size() >= 40);
                // and nothing more happens: no second write to a record, no write to an unchanged one
                Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    for (String shard : shards.subList(0, 40)) {
                        assertThat(providerWrites.get(recordOfShard.get(shard))).as("writes to " + recordOfShard.get(shard)).isEqualTo(1);
                    }
                    assertThat(providerWrites).as("only the changed records were written").hasSize(40);
                });
            }
        } finally {
            notifications.stop(0);
        }
    }

    private static String phone(String shardId) {
        return "+1 555 " + shardId.substring(shardId.length() - 6);
    }

    /** Stands in for a system listening to Salesforce: each outbound notification is one change Salesforce saw. */
    private static HttpServer outboundMessageCounter(Map<String, Integer> writes) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/om", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = NOTIFIED_ID.matcher(body);
            while (m.find()) {
                writes.merge(m.group(1), 1, Integer::sum);
            }
            byte[] ack = ACK.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=utf-8");
            exchange.sendResponseHeaders(200, ack.length);
            exchange.getResponseBody().write(ack);
            exchange.close();
        });
        server.start();
        return server;
    }
}
