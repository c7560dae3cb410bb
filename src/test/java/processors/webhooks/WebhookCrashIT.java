package processors.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.HubProcess;

/**
 * A burst of signed deliveries while the packaged hub is killed with SIGKILL: after a restart on the
 * same data directory, every delivery that was acknowledged is processed, exactly once.
 */
class WebhookCrashIT {

    @Test
    void everyAcknowledgedDeliveryIsProcessedExactlyOnceAfterAHardKill() throws Exception {
        Path dataDir = Files.createTempDirectory("hub-webhook-crash-it");
        int port = HubProcess.freePort();
        List<String> args = List.of("--hub.webhooks.recover-after=5s", "--hub.webhooks.recovery-cron=0/5 * * * * ?");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        String key;
        String registrationId;
        try (HubProcess first = new HubProcess(dataDir, port, args).start().awaitUp(Duration.ofSeconds(120))) {
            HubClient hub = first.client();
            key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
            String integration = hub.connectedSalesforce(key, "crash-wh", Map.of());
            JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                    Map.of("scheme", "standard_webhooks", "events", List.of("company.*")));
            registrationId = registration.get("id").asText();
            String url = registration.get("url").asText();
            String secret = registration.get("secret").asText();

            AtomicBoolean sending = new AtomicBoolean(true);
            ExecutorService senders = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                senders.submit(() -> {
                    while (sending.get()) {
                        String id = "msg_" + UUID.randomUUID();
                        try {
                            if (WebhookTestSupport.standard(url, secret, id, System.currentTimeMillis() / 1000, "company.updated", id)
                                    .status() == 202) {
                                acknowledged.add(id);
                            }
                        } catch (RuntimeException connectionLost) {
                            // not acknowledged: the provider would send it again
                        }
                    }
                });
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 300);
            first.kill();
            sending.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        try (HubProcess second = new HubProcess(dataDir, port, args).start().awaitUp(Duration.ofSeconds(120))) {
            HubClient hub = second.client();
            Map<String, Integer> processed = new HashMap<>();
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                processed.clear();
                String cursor = null;
                do {
                    JsonNode page = hub.ok("GET", "/api/webhooks/deliveries?limit=1000&status=processed&registrationId=" + registrationId
                            + (cursor == null ? "" : "&cursor=" + cursor), key, null);
                    page.get("items").forEach(d -> processed.merge(d.get("deliveryKey").asText(), 1, Integer::sum));
                    cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
                } while (cursor != null);
                return processed.keySet().containsAll(acknowledged);
            });
            assertThat(processed.values()).as("each delivery processed once").allMatch(count -> count == 1);
            // a delivery logged just before the kill but never queued (nor acknowledged) is queued again by the recovery sweep
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> hub.ok("GET",
                    "/api/webhooks/deliveries?status=accepted&registrationId=" + registrationId, key, null).get("items").isEmpty());
        }
    }
}
