package processors.outgoing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import hub.HubClient;
import store.EventStore;
import store.Timestamps;

/**
 * What the outgoing webhook tests do on either database: endpoints pointed at the sandbox's test receiver, events
 * committed to the stream, what the receiver got (verified with the official Standard Webhooks library), and a
 * message's wait cut short.
 */
interface OutgoingWebhookSupport {

    Duration WAIT = Duration.ofSeconds(30);

    /** An endpoint of the test, with its secret and the name of its receiver. */
    record Endpoint(String id, String secret, String receiver) {
    }

    HubClient hub();

    ApplicationContext context();

    default EventStore events() {
        return context().getBean(EventStore.class);
    }

    default String receiverUrl(String name) {
        return hub().baseUrl() + "/sandbox/webhook-receiver/" + name;
    }

    default Endpoint endpoint(String key, List<String> eventTypes, Map<String, Object> extra) {
        String receiver = "r-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>(extra);
        body.put("url", receiverUrl(receiver));
        body.put("eventTypes", eventTypes);
        JsonNode created = hub().ok("POST", "/api/tenant/webhook-endpoints", key, body);
        return new Endpoint(created.get("id").asText(), created.get("secret").asText(), receiver);
    }

    /** Appends an event in a transaction of its own (committed when this returns); returns its id. */
    default String emit(String tenantId, String type, Map<String, Object> data) {
        return context().getBean(TransactionTemplate.class).execute(s -> events().append(tenantId, type, "subject-1", data));
    }

    static Map<String, Object> shard(String shardType) {
        return Map.of("shardId", UUID.randomUUID().toString(), "shardType", shardType, "origin", "api", "structuredData", Map.of("name", "Acme"));
    }

    default List<JsonNode> received(String receiver) {
        List<JsonNode> items = new ArrayList<>();
        hub().ok("GET", "/sandbox/webhook-receiver/" + receiver + "/received?limit=10000", null, null).get("items").forEach(items::add);
        return items;
    }

    default List<JsonNode> awaitReceived(String receiver, int count) {
        return await().atMost(WAIT).until(() -> received(receiver), r -> r.size() >= count);
    }

    default void behave(String receiver, Map<String, Object> behaviour) {
        hub().ok("PUT", "/sandbox/webhook-receiver/" + receiver + "/behaviour", null, behaviour);
    }

    /** Throws unless the official Standard Webhooks library accepts the delivery's signature with the secret. */
    static void verify(String secret, JsonNode item) throws Exception {
        Map<String, List<String>> headers = Map.of("webhook-id", List.of(item.at("/headers/webhook-id").asText()),
                "webhook-timestamp", List.of(item.at("/headers/webhook-timestamp").asText()),
                "webhook-signature", List.of(item.at("/headers/webhook-signature").asText()));
        new Webhook(secret).verify(item.get("body").asText(), headers);
    }

    default JsonNode message(String key, String endpointId, String messageId) {
        return hub().ok("GET", "/api/tenant/webhook-endpoints/" + endpointId + "/messages/" + messageId, key, null);
    }

    /** The message's next attempt made due now: the wait of the schedule passed. */
    default void makeDue(String messageId) {
        context().getBean(JdbcClient.class).sql("UPDATE webhook_messages SET next_attempt_at = ? WHERE id = ?")
                .params(Timestamps.now(), messageId).update();
    }

    default String onlyMessageId(String key, String endpointId) {
        JsonNode items = await().atMost(WAIT).until(
                () -> hub().ok("GET", "/api/tenant/webhook-endpoints/" + endpointId + "/messages", key, null).get("items"), i -> i.size() == 1);
        return items.get(0).get("id").asText();
    }
}
