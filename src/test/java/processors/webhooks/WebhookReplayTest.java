package processors.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.Ids;
import processors.webhooks.WebhookTestSupport.Reply;
import store.Timestamps;
import store.WebhookDelivery;
import store.WebhookDeliveryStore;

/**
 * Replaying a stored delivery ({@code POST /api/webhooks/deliveries/{id}/replay}): processed again as when it arrived, so a
 * change announced while sync was off reaches the shard once it is on; audited; tenant-scoped; refused while the delivery
 * waits to be processed and for deliveries that were never queued.
 */
class WebhookReplayTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    WebhookDeliveryStore store;

    @Test
    void aDeliveryReplayedOnceSyncIsOnAgainReachesTheShardAndIsAudited() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String org = "wr-" + UUID.randomUUID().toString().substring(0, 8);
        String integration = hub.connectedSalesforce(tenant.key(), org, Map.of());
        JsonNode full = hub.runAndWait(tenant.key(), integration, hub.task(tenant.key(), integration, "Account", "full"), TIMEOUT);
        assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
        JsonNode registration = register(hub, tenant.key(), integration, List.of("company.*"));
        String registrationId = registration.get("id").asText();

        // the change is announced while sync is off: the delivery is processed, and starts nothing
        hub.ok("PATCH", "/api/tenant/integrations/" + integration, tenant.key(), Map.of("syncEnabled", false));
        String token = hub.sandboxToken(org);
        String recordId = hub.sandboxRecords(token, "Account", "Id, Name", 1).get(0).get("Id").asText();
        assertThat(hub.sandbox("PATCH", token, "/sobjects/Account/" + recordId, Map.of("Name", "Replayed Inc")).status()).isEqualTo(204);
        Reply reply = WebhookTestSupport.standard(registration.get("url").asText(), registration.get("secret").asText(), "company.updated",
                recordId);
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        String deliveryId = reply.json().get("deliveryId").asText();
        Awaitility.await().atMost(TIMEOUT).until(() -> delivery(hub, tenant.key(), deliveryId).get("status").asText().equals("processed"));
        JsonNode first = delivery(hub, tenant.key(), deliveryId);
        assertThat(first.get("outcome").asText()).contains("sync is disabled");
        assertThat(webhookRuns(hub, tenant.key(), integration)).isEmpty();
        assertThat(name(hub, tenant.key(), recordId)).isNotEqualTo("Replayed Inc");

        // sync on again, the delivery replayed: processed a second time, now as an incremental sync that brings the change
        hub.ok("PATCH", "/api/tenant/integrations/" + integration, tenant.key(), Map.of("syncEnabled", true));
        HubClient.Response replayed = hub.call("POST", "/api/webhooks/deliveries/" + deliveryId + "/replay", tenant.key(), null);
        assertThat(replayed.status()).as(replayed.raw()).isEqualTo(202);
        assertThat(replayed.body().get("id").asText()).isEqualTo(deliveryId);
        assertThat(replayed.body().get("status").asText()).isIn("accepted", "processed");
        Awaitility.await().atMost(TIMEOUT).until(() -> delivery(hub, tenant.key(), deliveryId).get("status").asText().equals("processed"));
        JsonNode again = delivery(hub, tenant.key(), deliveryId);
        assertThat(again.get("outcome").asText()).contains("Account").contains("execution");
        assertThat(OffsetDateTime.parse(again.get("processedAt").asText())).isAfter(OffsetDateTime.parse(first.get("processedAt").asText()));
        Awaitility.await().atMost(TIMEOUT).until(() -> webhookRuns(hub, tenant.key(), integration).stream()
                .anyMatch(r -> r.get("status").asText().equals("completed")));
        assertThat(webhookRuns(hub, tenant.key(), integration)).as("one run for one replay").hasSize(1);
        assertThat(name(hub, tenant.key(), recordId)).isEqualTo("Replayed Inc");
        // the log keeps one row for the delivery: a replay is not a new delivery
        assertThat(hub.ok("GET", "/api/webhooks/deliveries?registrationId=" + registrationId, tenant.key(), null).get("items")).hasSize(1);

        JsonNode audit = hub.ok("GET", "/api/admin/audit?tenantId=" + tenant.id() + "&action=webhook_delivery.replay", ADMIN_KEY, null);
        assertThat(audit.get("items")).hasSize(1);
        assertThat(audit.at("/items/0/targetType").asText()).isEqualTo("webhook_delivery");
        assertThat(audit.at("/items/0/targetId").asText()).isEqualTo(deliveryId);
        assertThat(audit.at("/items/0/actor").asText()).startsWith("tenant-key:");
        assertThat(audit.at("/items/0/detail").asText()).contains("sync is disabled");
    }

    @Test
    void aReplayIsRefusedForAnotherTenantsUnknownWaitingAndNeverQueuedDeliveries() {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(ADMIN_KEY);
        String integration = hub.connectedSalesforce(tenant.key(), "wr-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        JsonNode registration = register(hub, tenant.key(), integration, List.of("contact.created"));
        String url = registration.get("url").asText();
        String secret = registration.get("secret").asText();
        Reply processed = WebhookTestSupport.standard(url, secret, "msg_replay_1", System.currentTimeMillis() / 1000, "company.deleted", "1");
        assertThat(processed.status()).isEqualTo(202);
        String id = processed.json().get("deliveryId").asText();
        Awaitility.await().atMost(TIMEOUT).until(() -> delivery(hub, tenant.key(), id).get("status").asText().equals("processed"));

        String other = hub.newTenantKey(ADMIN_KEY);
        assertRefused(hub.call("POST", "/api/webhooks/deliveries/" + id + "/replay", other, null), 404, "webhook delivery not found");
        assertRefused(hub.call("GET", "/api/webhooks/deliveries/" + id, other, null), 404, "webhook delivery not found");
        assertRefused(hub.call("POST", "/api/webhooks/deliveries/no-such-delivery/replay", tenant.key(), null), 404, "not found");
        assertThat(hub.call("POST", "/api/webhooks/deliveries/" + id + "/replay", ADMIN_KEY, null).status()).isEqualTo(403);

        // the same delivery again is a duplicate, a forged one is refused: neither was queued, so neither is replayed
        assertThat(WebhookTestSupport.standard(url, secret, "msg_replay_1", System.currentTimeMillis() / 1000, "company.deleted", "1")
                .status()).isEqualTo(200);
        assertThat(WebhookTestSupport.standard(url, providers.webhooks.StandardWebhooks.newSecret(), "company.deleted", "1").status())
                .isEqualTo(401);
        List<JsonNode> all = new ArrayList<>();
        hub.ok("GET", "/api/webhooks/deliveries?registrationId=" + registration.get("id").asText(), tenant.key(), null).get("items")
                .forEach(all::add);
        String duplicate = all.stream().filter(d -> d.get("status").asText().equals("duplicate")).findFirst().orElseThrow().get("id").asText();
        String rejected = all.stream().filter(d -> d.get("status").asText().equals("rejected")).findFirst().orElseThrow().get("id").asText();
        assertRefused(hub.call("POST", "/api/webhooks/deliveries/" + duplicate + "/replay", tenant.key(), null), 409, "duplicate");
        assertRefused(hub.call("POST", "/api/webhooks/deliveries/" + rejected + "/replay", tenant.key(), null), 409, "refused");

        // one still waiting to be processed (accepted, its message not consumed yet) is not queued a second time
        String waiting = Ids.newId();
        store.insert(List.of(new WebhookDelivery(waiting, registration.get("id").asText(), tenant.id(), null, Timestamps.now(),
                WebhookDelivery.Verification.VERIFIED, WebhookDelivery.Status.ACCEPTED, 202, List.of(), null, null, null, 1, null, null)));
        assertRefused(hub.call("POST", "/api/webhooks/deliveries/" + waiting + "/replay", tenant.key(), null), 409, "waiting to be processed");
        assertThat(delivery(hub, tenant.key(), id).get("status").asText()).as("untouched by the refusals").isEqualTo("processed");
        assertThat(hub.ok("GET", "/api/admin/audit?tenantId=" + tenant.id() + "&action=webhook_delivery.replay", ADMIN_KEY, null)
                .get("items")).isEmpty();
    }

    private static void assertRefused(HubClient.Response response, int status, String message) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        assertThat(response.body().get("message").asText()).contains(message);
    }

    private static JsonNode register(HubClient hub, String key, String integration, List<String> events) {
        HubClient.Response response = hub.call("POST", "/api/tenant/integrations/" + integration + "/webhooks", key,
                Map.of("scheme", "standard_webhooks", "events", events));
        assertThat(response.status()).as(response.raw()).isEqualTo(201);
        return response.body();
    }

    private static JsonNode delivery(HubClient hub, String key, String id) {
        return hub.ok("GET", "/api/webhooks/deliveries/" + id, key, null);
    }

    private static List<JsonNode> webhookRuns(HubClient hub, String key, String integration) {
        List<JsonNode> items = new ArrayList<>();
        hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions?limit=500", key, null).get("items").forEach(e -> {
            if ("webhook".equals(e.get("trigger").asText())) {
                items.add(e);
            }
        });
        return items;
    }

    private static String name(HubClient hub, String key, String recordId) {
        return hub.allShards(key, "c_company").stream().filter(s -> s.at("/externalRelationships/0/externalId").asText().equals(recordId))
                .findFirst().orElseThrow().at("/structuredData/name").asText();
    }
}
