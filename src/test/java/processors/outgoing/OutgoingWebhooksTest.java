package processors.outgoing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import hub.EmbeddedHubTest;
import hub.HubClient;
import store.Timestamps;

/**
 * Outgoing webhooks end to end on the embedded hub: events committed to the event stream reach tenants' endpoints (the
 * sandbox's test receiver) signed as Standard Webhooks, checked by the official library; retries, 410 and 5-day
 * disabling, replay, rotation, refusals, tenant isolation, a slow endpoint beside a fast one, and events relayed while the
 * dispatcher was stopped, and the intake subscription of earlier versions drained and removed. Waits are moved by setting a message's due time (the schedule itself is
 * {@link RetryScheduleTest}'s).
 */
class OutgoingWebhooksTest extends EmbeddedHubTest implements OutgoingWebhookSupport {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    CamelContext camel;

    @Override
    public ApplicationContext context() {
        return context;
    }

    @Test
    void anEventReachesTheEndpointSignedAsStandardWebhooksAndTheSecretIsShownOnce() throws Exception {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        Endpoint endpoint = endpoint(tenant.key(), List.of("shard.*"), Map.of("description", "CRM extension", "shardTypes", List.of("c_company")));
        assertThat(endpoint.secret()).startsWith("whsec_");

        String eventId = emit(tenant.id(), "shard.created", OutgoingWebhookSupport.shard("c_company"));
        emit(tenant.id(), "shard.created", OutgoingWebhookSupport.shard("c_contact"));     // another shard type: filtered out
        emit(tenant.id(), "sync.completed", Map.of("integrationId", "i"));  // another type: not asked for
        String last = emit(tenant.id(), "shard.deleted", OutgoingWebhookSupport.shard("c_company"));

        List<JsonNode> got = awaitReceived(endpoint.receiver(), 2);
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> received(endpoint.receiver()).size() == 2);
        for (JsonNode item : got) {
            OutgoingWebhookSupport.verify(endpoint.secret(), item);
            assertThat(item.at("/headers/content-type").asText()).startsWith("application/json");
            JsonNode payload = HubClient.JSON.readTree(item.get("body").asText());
            assertThat(payload.fieldNames()).toIterable().containsExactly("type", "timestamp", "data");
            assertThat(payload.at("/data/shardType").asText()).isEqualTo("c_company");
        }
        Set<String> types = new HashSet<>();
        got.forEach(i -> types.add(i.get("body").asText().contains("shard.created") ? "shard.created" : "shard.deleted"));
        assertThat(types).containsExactlyInAnyOrder("shard.created", "shard.deleted");
        assertThat(got).extracting(i -> i.at("/headers/webhook-id").asText())
                .containsExactlyInAnyOrder(WebhookSignature.messageId(eventId, endpoint.id()), WebhookSignature.messageId(last, endpoint.id()));

        // never again: not in a read, not in a list, not in the database
        JsonNode read = hub().ok("GET", "/api/tenant/webhook-endpoints/" + endpoint.id(), tenant.key(), null);
        assertThat(read.toString()).doesNotContain(endpoint.secret()).doesNotContain("whsec_");
        assertThat(read.get("eventTypes").toString()).isEqualTo("[\"shard.*\"]");
        assertThat(hub().ok("GET", "/api/tenant/webhook-endpoints", tenant.key(), null).toString()).doesNotContain("whsec_");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM vault_secrets WHERE ciphertext LIKE '%whsec%'").query(Long.class).single()).isZero();
        JsonNode attempts = hub().ok("GET", "/api/tenant/webhook-endpoints/" + endpoint.id() + "/attempts?limit=1", tenant.key(), null);
        assertThat(attempts.get("items")).hasSize(1);
        assertThat(attempts.at("/items/0/responseStatus").asInt()).isEqualTo(200);
        assertThat(attempts.hasNonNull("nextCursor")).isTrue();
    }

    @Test
    void failuresAreRetriedOnTheScheduleWithTheSameWebhookIdAndDeliveredOnceTheEndpointRecovers() {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        Endpoint endpoint = endpoint(tenant.key(), List.of("sync.failed"), Map.of());
        behave(endpoint.receiver(), Map.of("failStatus", 503, "failCount", 1));
        behave(endpoint.receiver(), Map.of("failStatus", 302, "failCount", 2));  // a redirect is a failure, never followed
        emit(tenant.id(), "sync.failed", Map.of("integrationId", "i"));
        String messageId = onlyMessageId(tenant.key(), endpoint.id());

        awaitReceived(endpoint.receiver(), 1);
        JsonNode first = await().atMost(WAIT).until(() -> message(tenant.key(), endpoint.id(), messageId), m -> m.get("attempts").asInt() == 1);
        assertThat(first.get("status").asText()).isEqualTo("pending");
        assertThat(first.get("lastStatus").asInt()).isEqualTo(302);
        Duration wait = Duration.between(OffsetDateTime.parse(first.get("updatedAt").asText()), OffsetDateTime.parse(first.get("nextAttemptAt").asText()));
        assertThat(wait).as("the 2nd attempt 5 s after the first, plus jitter").isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));

        // the 2nd attempt comes after 5 s by itself
        JsonNode second = await().atMost(WAIT).until(() -> message(tenant.key(), endpoint.id(), messageId), m -> m.get("attempts").asInt() == 2);
        wait = Duration.between(OffsetDateTime.parse(second.get("updatedAt").asText()), OffsetDateTime.parse(second.get("nextAttemptAt").asText()));
        assertThat(wait).as("the 3rd attempt 5 min after the 2nd, plus jitter").isBetween(Duration.ofMinutes(5), Duration.ofMinutes(6));

        makeDue(messageId);
        JsonNode delivered = await().atMost(WAIT).until(() -> message(tenant.key(), endpoint.id(), messageId),
                m -> m.get("status").asText().equals("delivered"));
        assertThat(delivered.get("attempts").asInt()).isEqualTo(3);
        assertThat(delivered.hasNonNull("nextAttemptAt")).isFalse();
        List<JsonNode> got = received(endpoint.receiver());
        assertThat(got).extracting(i -> i.get("status").asInt()).containsExactly(302, 302, 200);
        assertThat(got).extracting(i -> i.at("/headers/webhook-id").asText()).containsOnly(messageId);
        JsonNode attempts = hub().ok("GET", "/api/tenant/webhook-endpoints/" + endpoint.id() + "/attempts?messageId=" + messageId, tenant.key(), null);
        assertThat(attempts.get("items")).extracting(a -> a.get("outcome").asText()).containsExactly("succeeded", "failed", "failed");
        assertThat(hub().ok("GET", "/api/tenant/webhook-endpoints/" + endpoint.id(), tenant.key(), null).hasNonNull("failingSince")).isFalse();
    }

    @Test
    void goneDisablesTheEndpointAtOnceTellsTheTenantAndAReplaySendsTheMessageAgain() throws Exception {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        Endpoint endpoint = endpoint(tenant.key(), List.of("conflict.opened"), Map.of());
        Endpoint watcher = endpoint(tenant.key(), List.of("webhook_endpoint.*"), Map.of());
        behave(endpoint.receiver(), Map.of("gone", true));
        emit(tenant.id(), "conflict.opened", Map.of("conflictId", "c1"));
        String messageId = onlyMessageId(tenant.key(), endpoint.id());

        JsonNode disabled = await().atMost(WAIT).until(() -> hub().ok("GET", "/api/tenant/webhook-endpoints/" + endpoint.id(), tenant.key(), null),
                e -> e.get("status").asText().equals("disabled"));
        assertThat(disabled.get("disabledReason").asText()).contains("410");
        assertThat(message(tenant.key(), endpoint.id(), messageId).get("status").asText()).isEqualTo("failed");
        assertThat(received(endpoint.receiver())).hasSize(1);

        // the tenant hears of it: its event stream, and its other endpoint asking for webhook_endpoint.*
        JsonNode event = awaitDisabledEvent(tenant.key(), endpoint.id());
        assertThat(event.at("/data/reason").asText()).isEqualTo("gone");
        JsonNode told = awaitReceived(watcher.receiver(), 1).get(0);
        OutgoingWebhookSupport.verify(watcher.secret(), told);
        assertThat(told.get("body").asText()).contains("webhook_endpoint.disabled").contains(endpoint.id());

        // a replay needs the endpoint enabled; unknown messages are 404; the same webhook-id goes again
        String replay = "/api/tenant/webhook-endpoints/" + endpoint.id() + "/replay";
        assertThat(hub().call("POST", replay, tenant.key(), Map.of("messageId", messageId)).status()).isEqualTo(409);
        behave(endpoint.receiver(), Map.of());
        hub().ok("PATCH", "/api/tenant/webhook-endpoints/" + endpoint.id(), tenant.key(), Map.of("enabled", true));
        assertThat(hub().call("POST", replay, tenant.key(), Map.of("messageId", "msg_unknown")).status()).isEqualTo(404);
        assertThat(hub().call("POST", replay, tenant.key(), Map.of()).status()).isEqualTo(400);
        HubClient.Response all = hub().call("POST", replay, tenant.key(), Map.of("since", OffsetDateTime.now().minusHours(1).toString()));
        assertThat(all.status()).isEqualTo(202);
        assertThat(all.body().get("replayed").asInt()).isEqualTo(1);
        List<JsonNode> got = awaitReceived(endpoint.receiver(), 2);
        assertThat(got.get(1).get("status").asInt()).isEqualTo(200);
        assertThat(got.get(1).at("/headers/webhook-id").asText()).isEqualTo(messageId);
        OutgoingWebhookSupport.verify(endpoint.secret(), got.get(1));
        await().atMost(WAIT).until(() -> message(tenant.key(), endpoint.id(), messageId).get("status").asText().equals("delivered"));

        assertThat(hub().call("POST", replay, tenant.key(), Map.of("messageId", messageId)).status()).isEqualTo(202);
        assertThat(awaitReceived(endpoint.receiver(), 3).get(2).at("/headers/webhook-id").asText()).isEqualTo(messageId);
    }

    private JsonNode awaitDisabledEvent(String key, String endpointId) {
        JsonNode event = await().atMost(WAIT).until(() -> hub().ok("GET", "/api/events?type=webhook_endpoint.disabled", key, null).get("items"),
                items -> items.size() == 1).get(0);
        assertThat(event.at("/data/endpointId").asText()).isEqualTo(endpointId);
        JsonNode schema = hub().ok("GET", "/api/event-types/webhook_endpoint.disabled", key, null).get("schema");
        assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(event.get("data"))).isEmpty();
        return event;
    }

    @Test
    void anEndpointFailingForFiveDaysIsDisabled() {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        Endpoint endpoint = endpoint(tenant.key(), List.of("match.pending"), Map.of());
        behave(endpoint.receiver(), Map.of("failStatus", 500, "failCount", 1000));
        emit(tenant.id(), "match.pending", Map.of("a", 1));
        String messageId = onlyMessageId(tenant.key(), endpoint.id());
        JsonNode failing = await().atMost(WAIT).until(() -> hub().ok("GET", "/api/tenant/webhook-endpoints/" + endpoint.id(), tenant.key(), null),
                e -> e.hasNonNull("failingSince"));
        assertThat(failing.get("status").asText()).isEqualTo("enabled");

        // four days and a half of failures: still enabled after the next failure
        jdbc.sql("UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?").params(Timestamps.now().minusHours(108), endpoint.id()).update();
        makeDue(messageId);
        await().atMost(WAIT).until(() -> message(tenant.key(), endpoint.id(), messageId).get("attempts").asInt() == 2);
        assertThat(hub().ok("GET", "/api/tenant/webhook-endpoints/" + endpoint.id(), tenant.key(), null).get("status").asText()).isEqualTo("enabled");

        // five days: the next failure disables it
        jdbc.sql("UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?").params(Timestamps.now().minusDays(5).minusMinutes(1), endpoint.id()).update();
        makeDue(messageId);
        await().atMost(WAIT).until(() -> hub().ok("GET", "/api/tenant/webhook-endpoints/" + endpoint.id(), tenant.key(), null)
                .get("status").asText().equals("disabled"));
        assertThat(awaitDisabledEvent(tenant.key(), endpoint.id()).at("/data/reason").asText()).isEqualTo("failing");
        assertThat(message(tenant.key(), endpoint.id(), messageId).get("status").asText()).isEqualTo("failed");
    }

    @Test
    void afterARotationBothSecretsSignFor24Hours() throws Exception {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        Endpoint endpoint = endpoint(tenant.key(), List.of("*"), Map.of());
        JsonNode rotated = hub().ok("POST", "/api/tenant/webhook-endpoints/" + endpoint.id() + "/rotate-secret", tenant.key(), null);
        String next = rotated.get("secret").asText();
        assertThat(next).startsWith("whsec_").isNotEqualTo(endpoint.secret());
        assertThat(Duration.between(OffsetDateTime.now(), OffsetDateTime.parse(rotated.get("previousSecretValidUntil").asText())))
                .isBetween(Duration.ofHours(23), Duration.ofHours(24));
        emit(tenant.id(), "circuit.opened", Map.of("provider", "salesforce"));
        JsonNode item = awaitReceived(endpoint.receiver(), 1).get(0);
        assertThat(item.at("/headers/webhook-signature").asText().split(" ")).hasSize(2);
        OutgoingWebhookSupport.verify(endpoint.secret(), item);
        OutgoingWebhookSupport.verify(next, item);

        // the overlap over: only the new secret signs
        jdbc.sql("UPDATE webhook_endpoints SET previous_secret_until = ? WHERE id = ?").params(Timestamps.now().minusSeconds(1), endpoint.id()).update();
        emit(tenant.id(), "circuit.closed", Map.of("provider", "salesforce"));
        JsonNode after = awaitReceived(endpoint.receiver(), 2).get(1);
        assertThat(after.at("/headers/webhook-signature").asText().split(" ")).hasSize(1);
        OutgoingWebhookSupport.verify(next, after);
    }

    @Test
    void badEndpointsAreRefusedNamingTheField() {
        String key = hub().newTenantKey(ADMIN_KEY);
        String path = "/api/tenant/webhook-endpoints";
        Map<String, String> badUrls = Map.of(
                "http://hooks.example.com/castiel", "https",
                "https://10.1.2.3/hook", "internal",
                "https://169.254.169.254/latest/meta-data", "internal",
                "https://127.0.0.1:9/hook", "internal",
                "https://[::1]:9/hook", "internal",
                "ftp://files.example.com/x", "https",
                "not a url", "url",
                "https://user:pass@hooks.example.com/x", "user info");
        badUrls.forEach((url, says) -> {
            HubClient.Response r = hub().call("POST", path, key, Map.of("url", url, "eventTypes", List.of("shard.*")));
            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(r.body().get("field").asText()).as(url).isEqualTo("url");
            assertThat(r.raw()).as(url).contains(says);
        });
        HubClient.Response type = hub().call("POST", path, key, Map.of("url", receiverUrl("x"), "eventTypes", List.of("shard.exploded")));
        assertThat(type.status()).isEqualTo(400);
        assertThat(type.body().get("field").asText()).isEqualTo("eventTypes");
        HubClient.Response family = hub().call("POST", path, key, Map.of("url", receiverUrl("x"), "eventTypes", List.of("nothing.*")));
        assertThat(family.body().get("field").asText()).isEqualTo("eventTypes");
        HubClient.Response none = hub().call("POST", path, key, Map.of("url", receiverUrl("x")));
        assertThat(none.body().get("field").asText()).isEqualTo("eventTypes");
        HubClient.Response shardType = hub().call("POST", path, key, Map.of("url", receiverUrl("x"), "eventTypes", List.of("*"),
                "shardTypes", List.of("c_planet")));
        assertThat(shardType.body().get("field").asText()).isEqualTo("shardTypes");
        // a change is checked the same way
        String id = hub().ok("POST", path, key, Map.of("url", receiverUrl("x"), "eventTypes", List.of("*"))).get("id").asText();
        HubClient.Response patch = hub().call("PATCH", path + "/" + id, key, Map.of("url", "https://192.168.1.10/hook"));
        assertThat(patch.status()).isEqualTo(400);
        assertThat(patch.body().get("field").asText()).isEqualTo("url");
        assertThat(hub().call("GET", path, key, null).body().get("items")).hasSize(1);
    }

    @Test
    void tenantsSeeAndReceiveOnlyTheirOwn() {
        HubClient.Tenant a = hub().newTenant(ADMIN_KEY);
        HubClient.Tenant b = hub().newTenant(ADMIN_KEY);
        Endpoint ofA = endpoint(a.key(), List.of("*"), Map.of());
        String path = "/api/tenant/webhook-endpoints/" + ofA.id();
        for (String[] call : new String[][] {{"GET", path}, {"PATCH", path}, {"DELETE", path}, {"POST", path + "/rotate-secret"},
                {"GET", path + "/attempts"}, {"GET", path + "/messages"}, {"POST", path + "/replay"}}) {
            assertThat(hub().call(call[0], call[1], b.key(), call[0].equals("GET") ? null : call[0].equals("PATCH") ? Map.of("description", "taken") : Map.of("messageId", "m")).status())
                    .as(call[0] + " " + call[1]).isEqualTo(404);
        }
        assertThat(hub().ok("GET", "/api/tenant/webhook-endpoints", b.key(), null).get("items")).isEmpty();
        emit(b.id(), "sync.completed", Map.of("integrationId", "i"));
        emit(null, "deadletter.recorded", Map.of("queue", "q"));
        String own = emit(a.id(), "sync.completed", Map.of("integrationId", "i"));
        List<JsonNode> got = awaitReceived(ofA.receiver(), 1);
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> received(ofA.receiver()).size() == 1);
        assertThat(got.get(0).at("/headers/webhook-id").asText()).isEqualTo(WebhookSignature.messageId(own, ofA.id()));
        hub().ok("DELETE", path, a.key(), null);
        assertThat(hub().call("GET", path, a.key(), null).status()).isEqualTo(404);
    }

    @Test
    void aSlowEndpointDelaysNoOther() {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        Endpoint slow = endpoint(tenant.key(), List.of("*"), Map.of());
        Endpoint fast = endpoint(tenant.key(), List.of("*"), Map.of());
        behave(slow.receiver(), Map.of("delayMs", 4000));
        for (int i = 0; i < 20; i++) {
            emit(tenant.id(), "sync.completed", Map.of("integrationId", "i" + i));
        }
        long start = System.nanoTime();
        awaitReceived(fast.receiver(), 20);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the fast endpoint's 20 before the slow one answered its first")
                .isLessThan(Duration.ofSeconds(4));
        assertThat(received(slow.receiver()).size()).isLessThan(20);
        behave(slow.receiver(), Map.of());
    }

    @Test
    void eventsRelayedWhileNothingIsSentHaveTheirMessagesAndAreAllDeliveredAfterwardsOncePerWebhookId() throws Exception {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        Endpoint endpoint = endpoint(tenant.key(), List.of("shard.updated"), Map.of());
        List<String> routes = List.of("webhooks-out-timer", "webhooks-out-dispatch");
        for (String route : routes) {
            camel.getRouteController().stopRoute(route);
        }
        Set<String> expected = new HashSet<>();
        try {
            for (int i = 0; i < 30; i++) {
                expected.add(WebhookSignature.messageId(emit(tenant.id(), "shard.updated", OutgoingWebhookSupport.shard("c_contact")), endpoint.id()));
            }
            // relayed: each event's message written with it; nothing sent
            await().atMost(WAIT).until(() -> events().countUnrelayed() == 0);
            assertThat(jdbc.sql("SELECT id FROM webhook_messages WHERE endpoint_id = ?").param(endpoint.id()).query(String.class).set())
                    .isEqualTo(expected);
            assertThat(received(endpoint.receiver())).isEmpty();
        } finally {
            for (String route : List.of("webhooks-out-dispatch", "webhooks-out-timer")) {
                camel.getRouteController().startRoute(route);
            }
        }
        // the relay sends one of them again (a crash between its two commits): no second message
        String again = jdbc.sql("SELECT id FROM events WHERE tenant_id = ? ORDER BY seq LIMIT 1").param(tenant.id()).query(String.class).single();
        jdbc.sql("UPDATE events SET relayed_at = NULL WHERE id = ?").param(again).update();
        emit(tenant.id(), "shard.updated", OutgoingWebhookSupport.shard("c_contact"));
        List<JsonNode> got = awaitReceived(endpoint.receiver(), 31);
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> received(endpoint.receiver()).size() == 31);
        Set<String> ids = new HashSet<>();
        got.forEach(i -> ids.add(i.at("/headers/webhook-id").asText()));
        assertThat(ids).hasSize(31).containsAll(expected);
    }

    @Test
    void eventsLeftOnTheRetiredIntakeSubscriptionAreDeliveredOnceAndTheSubscriptionIsRemoved() throws Exception {
        HubClient.Tenant tenant = hub().newTenant(ADMIN_KEY);
        Endpoint endpoint = endpoint(tenant.key(), List.of("shard.updated"), Map.of());
        ConnectionFactory connections = context.getBean(ConnectionFactory.class);
        String topic = context.getEnvironment().getProperty("hub.events.topic");
        String subscription = context.getEnvironment().getProperty("hub.webhooks-out.retired-subscription");
        ActiveMQServer broker = context.getBean(EmbeddedActiveMQ.class).getActiveMQServer();
        String relayed;
        String earlier = "evt-earlier-" + tenant.id();
        try (JMSContext jms = connections.createContext()) {
            // the subscription an earlier version consumed, left with events on it
            jms.createSharedDurableConsumer(jms.createTopic(topic), subscription).close();
            assertThat(subscriptionQueues(broker, topic)).isNotEmpty();
            // one relayed by this version too (its message written by the relay), one only an earlier version's relay published
            relayed = emit(tenant.id(), "shard.updated", OutgoingWebhookSupport.shard("c_contact"));
            await().atMost(WAIT).until(() -> events().countUnrelayed() == 0);
            jms.createProducer().setProperty(processors.events.LockUnrelayedEvents.TENANT_HEADER, tenant.id())
                    .setProperty(processors.events.LockUnrelayedEvents.TYPE_HEADER, "shard.updated")
                    .send(jms.createTopic(topic), hub.CloudEvents.write(HubClient.JSON, "shard.updated", "/tenants/" + tenant.id(), earlier,
                            OffsetDateTime.now(), OutgoingWebhookSupport.shard("c_contact")));
        }

        assertThat(context.getBean(RetiredIntakeSubscription.class).drainAndRemove()).isEqualTo(2);

        assertThat(subscriptionQueues(broker, topic)).isEmpty();
        List<JsonNode> got = awaitReceived(endpoint.receiver(), 2);
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> received(endpoint.receiver()).size() == 2);
        assertThat(got).extracting(i -> i.at("/headers/webhook-id").asText())
                .containsExactlyInAnyOrder(WebhookSignature.messageId(relayed, endpoint.id()), WebhookSignature.messageId(earlier, endpoint.id()));
    }

    private static List<String> subscriptionQueues(ActiveMQServer broker, String topic) throws Exception {
        return broker.bindingQuery(SimpleString.of(topic)).getQueueNames().stream().map(SimpleString::toString)
                .filter(name -> name.contains("webhooks-out")).toList();
    }
}
