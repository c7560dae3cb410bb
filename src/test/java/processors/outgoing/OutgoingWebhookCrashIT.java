package processors.outgoing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubProcess;

/**
 * The packaged hub killed with SIGKILL while it sends the shard.created events of a sync to an endpoint: after a restart
 * on the same data directory (H2, broker journal), every event committed before or after the kill reaches the endpoint,
 * each a valid Standard Webhooks delivery, a duplicate always with the webhook-id of the first.
 */
class OutgoingWebhookCrashIT {

    @Test
    void everyCommittedEventIsDeliveredAfterAHardKill() throws Exception {
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        Set<String> badSignatures = ConcurrentHashMap.newKeySet();
        String[] secret = new String[1];
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String id = exchange.getRequestHeaders().getFirst("webhook-id");
                try {
                    new Webhook(secret[0]).verify(body, Map.of("webhook-id", List.of(id),
                            "webhook-timestamp", List.of(exchange.getRequestHeaders().getFirst("webhook-timestamp")),
                            "webhook-signature", List.of(exchange.getRequestHeaders().getFirst("webhook-signature"))));
                } catch (Exception e) {
                    badSignatures.add(id);
                }
                received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(16));
        receiver.start();
        Path dataDir = Files.createTempDirectory("hub-outgoing-crash-it");
        int port = HubProcess.freePort();
        List<String> args = List.of("--hub.outbound.allowed-hosts=self,127.0.0.1:" + receiver.getAddress().getPort(),
                "--hub.webhooks-out.lease=5s");
        String key;
        String endpointId;
        try {
            try (HubProcess first = new HubProcess(dataDir, port, args).start().awaitUp(Duration.ofSeconds(180))) {
                HubClient hub = first.client();
                key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
                JsonNode endpoint = hub.ok("POST", "/api/tenant/webhook-endpoints", key, Map.of("url",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "eventTypes", List.of("shard.created")));
                endpointId = endpoint.get("id").asText();
                secret[0] = endpoint.get("secret").asText();
                String integration = hub.connectedSalesforce(key, "crash-out", Map.of());
                String task = hub.task(key, integration, "Account", "full");
                hub.ok("POST", "/api/tenant/integrations/" + integration + "/tasks/" + task + "/run", key, null);
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> received.size() >= 50);
                first.kill();
            }
            int beforeRestart = received.size();
            try (HubProcess second = new HubProcess(dataDir, port, args).start().awaitUp(Duration.ofSeconds(180))) {
                HubClient hub = second.client();
                Set<String> expected = new HashSet<>();
                Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    expected.clear();
                    String cursor = null;
                    do {
                        JsonNode page = hub.ok("GET", "/api/events?type=shard.created&limit=500" + (cursor == null ? "" : "&cursor=" + cursor), key, null);
                        page.get("items").forEach(e -> expected.add(WebhookSignature.messageId(e.get("id").asText(), endpointId)));
                        cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
                    } while (cursor != null);
                    int shards = hub.allShards(key, "c_company").size();
                    // every committed event delivered, and nothing else (no event that was never committed)
                    return expected.size() == shards && expected.size() > beforeRestart && received.keySet().equals(expected);
                });
            }
        } finally {
            receiver.stop(0);
        }
        assertThat(badSignatures).isEmpty();
    }
}
