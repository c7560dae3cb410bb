package processors.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;

import hub.EmbeddedHubTest;
import hub.HubClient;
import providers.ConnectionContext;
import providers.ThrottledException;
import ratelimits.Limit;
import ratelimits.Operation;
import ratelimits.ProviderGate;

/**
 * A burst of 300 signed deliveries about one entity at Salesforce's default limit (300 calls a minute), while
 * other calls of the integration use up its budget: throttled runs wait on their queue holding their entity,
 * the deliveries coalesce into at most one running and one queued run, and every change is synced without the
 * runs cycling through the queue.
 */
class WebhookBurstAtDefaultLimitTest extends EmbeddedHubTest {

    private static final int DELIVERIES = 300;

    @Autowired
    MeterRegistry meters;
    @Autowired
    ProviderGate gate;

    @Test
    void threeHundredDeliveriesAtTheDefaultLimitAreSyncedByAtMostTwoRunsThatDoNotSpin() throws Exception {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String key = tenant.key();
        String org = "burst-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.connectedSalesforce(key, org, Map.of());
        // this test context raises Salesforce's limit; the integration gets the catalog's default back
        hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", key,
                Map.of("integration", Map.of("requests", 300, "windowSeconds", 60)));
        String token = hub.sandboxToken(org);
        List<String> edited = new ArrayList<>();
        for (JsonNode account : hub.sandboxRecords(token, "Account", "Id", DELIVERIES)) {
            String id = account.get("Id").asText();
            assertThat(hub.sandbox("PATCH", token, "/sobjects/Account/" + id, Map.of("Name", "Burst " + id)).status()).isEqualTo(204);
            edited.add(id);
        }
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "standard_webhooks", "events", List.of("company.*"), "settings", Map.of()));
        double requeuedBefore = requeued();

        // other work of the integration spends its budget while the deliveries arrive
        AtomicBoolean contending = new AtomicBoolean(true);
        ExecutorService senders = Executors.newFixedThreadPool(9);
        try {
            ConnectionContext connection = new ConnectionContext(tenant.id(), integration, "salesforce", Map.of());
            senders.submit(() -> {
                while (contending.get()) {
                    try {
                        gate.acquire(connection, Operation.FETCH, Limit.perMinute(300));
                        gate.completed(connection, 0, null);
                    } catch (ThrottledException spent) {
                        // the budget is used up: what the syncs meet too
                    }
                    Thread.sleep(20);
                }
                return null;
            });
            List<Future<Integer>> sent = new ArrayList<>();
            for (String id : edited) {
                sent.add(senders.submit(() -> WebhookTestSupport.standard(registration.get("url").asText(),
                        registration.get("secret").asText(), "company.updated", id).status()));
            }
            for (Future<Integer> status : sent) {
                assertThat(status.get()).isEqualTo(202);
            }
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> processed(hub, key, registration.get("id").asText()) == DELIVERIES
                    && requeued() > requeuedBefore);
        } finally {
            contending.set(false);
            senders.shutdown();
        }

        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> executions(hub, key, integration)
                .stream().allMatch(e -> !e.get("status").asText().equals("pending") && !e.get("status").asText().equals("running"))
                && processed(hub, key, registration.get("id").asText()) == DELIVERIES);

        List<JsonNode> runs = executions(hub, key, integration);
        assertThat(runs).allSatisfy(e -> assertThat(e.get("status").asText()).as(e.toString()).isEqualTo("completed"));
        List<JsonNode> accountRuns = runs.stream().filter(e -> e.get("entity").asText().equals("Account")).toList();
        assertThat(accountRuns).as("Account runs for %d deliveries", DELIVERIES).hasSizeBetween(1, 2);
        assertThat(accountRuns).allSatisfy(e -> assertThat(e.get("trigger").asText()).isEqualTo("webhook"));
        List<JsonNode> companies = hub.allShards(key, "c_company");
        Set<String> synced = companies.stream().filter(s -> s.at("/structuredData/name").asText().startsWith("Burst "))
                .map(s -> s.at("/externalRelationships/0/externalId").asText()).collect(Collectors.toSet());
        assertThat(synced).containsExactlyInAnyOrderElementsOf(edited);
        assertThat(companies).as("each account once").hasSize(1000);
        assertThat(requeued() - requeuedBefore).as("re-queues of waiting runs").isLessThan(100);
    }

    private static List<JsonNode> executions(HubClient hub, String key, String integration) {
        List<JsonNode> all = new ArrayList<>();
        hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions?limit=100", key, null).get("items").forEach(all::add);
        return all;
    }

    private static int processed(HubClient hub, String key, String registrationId) {
        JsonNode page = hub.ok("GET", "/api/webhooks/deliveries?limit=1000&status=processed&registrationId=" + registrationId, key, null);
        return page.get("items").size();
    }

    private double requeued() {
        return meters.find("hub.ratelimit.requeued").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
