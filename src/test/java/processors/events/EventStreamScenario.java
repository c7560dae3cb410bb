package processors.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import hub.ChangeFeedTestAdapter;
import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.TestProviderAdapter;
import routes.EntityResolutionScenario;
import security.CredentialMonitor;
import security.TokenLifecycle;
import store.EventStore;

/**
 * The event stream as a receiver relies on it, on each store (see the implementing classes): the events the real flows
 * emit (syncs, shard API writes, write-back, conflicts, dead letters) each validate against their type's schema in the
 * catalog; a change that rolls back emits nothing; a committed event is relayed even when the relay was down at the
 * time; a tenant sees only its own events, in stream order.
 */
interface EventStreamScenario {

    Duration TIMEOUT = Duration.ofSeconds(60);
    String TOPIC = "hub.events";

    HubClient hub();

    /** The hub's application context, for the beans the scenario drives directly. */
    ApplicationContext context();

    default TestProviderAdapter provider() {
        return context().getBean(TestProviderAdapter.class);
    }

    default ChangeFeedTestAdapter feed() {
        return context().getBean(ChangeFeedTestAdapter.class);
    }

    default EventStore events() {
        return context().getBean(EventStore.class);
    }

    /** A tenant with a test-provider integration (settings added) and its items synced into shards. */
    record Synced(HubClient.Tenant tenant, String integration, List<String> items, Map<String, String> shardOf) {

        String key() {
            return tenant.key();
        }
    }

    default Synced synced(Map<String, Object> settings, int items) {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(EmbeddedHubTest.ADMIN_KEY);
        Map<String, Object> body = new HashMap<>(Map.of("providerId", TestProviderAdapter.PROVIDER_ID, "name", "events",
                "syncDirection", "bidirectional"));
        body.putAll(settings);
        String integration = hub.ok("POST", "/api/tenant/integrations", tenant.key(), body).get("id").asText();
        hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", tenant.key(),
                Map.of("credentials", Map.of("ttlMinutes", "60")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            ids.add(provider().seedItem(tenant.id(), "Item " + i + " Ltd", "+1 00" + i));
        }
        JsonNode full = hub.runAndWait(tenant.key(), integration, hub.task(tenant.key(), integration, "Item", "full"), TIMEOUT);
        assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
        Map<String, String> shardOf = hub.allShards(tenant.key(), "c_company").stream().collect(Collectors.toMap(
                s -> s.at("/externalRelationships/0/externalId").asText(), s -> s.get("id").asText()));
        return new Synced(tenant, integration, ids, shardOf);
    }

    /** Every relayed event of the tenant, newest first, page by page. */
    default List<JsonNode> allEvents(String key, String type) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = hub().ok("GET", "/api/events?limit=100" + (type == null ? "" : "&type=" + type)
                    + (cursor == null ? "" : "&cursor=" + cursor), key, null);
            page.get("items").forEach(all::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return all;
    }

    default List<JsonNode> awaitEvents(String key, Set<String> types) {
        List<List<JsonNode>> seen = new ArrayList<>(List.of(List.of()));
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            seen.set(0, allEvents(key, null));
            assertThat(seen.get(0).stream().map(e -> e.get("type").asText()).collect(Collectors.toSet())).containsAll(types);
        });
        return seen.get(0);
    }

    @Test
    default void everyEventTheFlowsEmitValidatesAgainstItsSchemaInTheCatalog() {
        HubClient hub = hub();
        Synced s = synced(Map.of("conflictResolution", "manual",
                "writeBack", Map.of("retry", Map.of("maxAttempts", 2, "backoffMs", 100, "backoffMultiplier", 1))), 3);
        String first = s.shardOf().get(s.items().get(0));
        String second = s.shardOf().get(s.items().get(1));

        // a shard API write that reaches the provider; one the provider changed under, held as a conflict
        hub.ok("PATCH", "/api/tenant/shards/" + first, s.key(), Map.of("structuredData", Map.of("name", "Renamed Ltd")));
        // the rename written back first, so the race below meets the phone's write-back, not the rename's
        Awaitility.await().atMost(TIMEOUT).until(() -> "Renamed Ltd".equals(provider().item(s.tenant().id(), s.items().get(0)).get("Name")));
        provider().raceNextUpdate(s.items().get(0), Map.of("Phone", "+1 theirs"));
        hub.ok("PATCH", "/api/tenant/shards/" + first, s.key(), Map.of("structuredData", Map.of("phone", "+1 ours")));
        JsonNode[] conflict = new JsonNode[1];
        Awaitility.await().atMost(TIMEOUT).until(() -> {
            JsonNode items = hub.ok("GET", "/api/tenant/conflicts?status=open&shardId=" + first, s.key(), null).get("items");
            conflict[0] = items.isEmpty() ? null : items.get(0);
            return conflict[0] != null;
        });
        // resolved by a person; the write-back of the resolution fails for good and is dead-lettered
        provider().failUpdates(s.items().get(0), 10);
        hub.ok("POST", "/api/tenant/conflicts/" + conflict[0].get("id").asText() + "/resolve", s.key(), Map.of("keep", "ours"));
        // created and deleted through the shard API
        String created = hub.ok("POST", "/api/tenant/shards", s.key(), Map.of("integrationId", s.integration(), "shardType", "c_company",
                "entity", "Item", "structuredData", Map.of("name", "New Ltd", "phone", "+1 999"))).get("id").asText();
        assertThat(hub.call("DELETE", "/api/tenant/shards/" + second, s.key(), null).status()).isEqualTo(204);
        // a sync the provider refuses
        provider().refuseFetches(s.tenant().id(), 1);
        JsonNode failed = hub.runAndWait(s.key(), s.integration(), hub.task(s.key(), s.integration(), "Item", "full"), TIMEOUT);
        assertThat(failed.get("status").asText()).as(failed.toString()).isEqualTo("failed");
        // a sync with a record it cannot map among good ones
        provider().seedItemWithoutId(s.tenant().id(), "Nameless Ltd");
        JsonNode partial = hub.runAndWait(s.key(), s.integration(), hub.task(s.key(), s.integration(), "Item", "full"), TIMEOUT);
        assertThat(partial.get("status").asText()).as(partial.toString()).isEqualTo("partial");

        List<JsonNode> events = awaitEvents(s.key(), Set.of("sync.completed", "sync.failed", "sync.partial", "shard.created", "shard.updated",
                "shard.deleted", "conflict.opened", "conflict.resolved", "deadletter.recorded"));
        new EventSchemas(hub, s.key()).assertAllValid(events);

        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("tenantId").asText()).isEqualTo(s.tenant().id());
            assertThat(e.hasNonNull("relayedAt")).isTrue();
        });
        // what a receiver needs is in the data
        JsonNode completed = only(events, "sync.completed", e -> true);
        assertThat(completed.at("/data/integrationId").asText()).isEqualTo(s.integration());
        assertThat(completed.at("/data/provider").asText()).isEqualTo(TestProviderAdapter.PROVIDER_ID);
        assertThat(completed.at("/data/counts/created").asLong()).isEqualTo(3);
        assertThat(only(events, "sync.failed", e -> true).at("/data/error").asText()).contains("400");
        assertThat(only(events, "sync.partial", e -> true).at("/data/counts/failed").asLong()).isEqualTo(1);
        assertThat(only(events, "shard.created", e -> e.at("/data/origin").asText().equals("sync")
                && e.at("/data/externalId").asText().equals(s.items().get(2))).at("/data/structuredData/name").asText()).isEqualTo("Item 2 Ltd");
        JsonNode apiCreate = only(events, "shard.created", e -> e.at("/data/origin").asText().equals("api"));
        assertThat(apiCreate.get("subject").asText()).isEqualTo(created);
        assertThat(apiCreate.at("/data/shardType").asText()).isEqualTo("c_company");
        assertThat(only(events, "shard.deleted", e -> true).at("/data/shardId").asText()).isEqualTo(second);
        JsonNode renamed = only(events, "shard.updated", e -> e.at("/data/changedFields/0").asText().equals("name"));
        assertThat(renamed.at("/data/structuredData/name").asText()).isEqualTo("Renamed Ltd");
        assertThat(only(events, "conflict.opened", e -> true).at("/data/fields").toString()).isEqualTo("[\"phone\"]");
        assertThat(only(events, "conflict.resolved", e -> true).at("/data/conflictId").asText()).isEqualTo(conflict[0].get("id").asText());
        assertThat(only(events, "deadletter.recorded", e -> true).at("/data/sourceQueue").asText()).isEqualTo("sync-outbound");
    }

    @Test
    default void resolutionAndOperationalEventsValidateAgainstTheirSchemasToo() throws Exception {
        HubClient hub = hub();
        HubClient.Tenant tenant = hub.newTenant(EmbeddedHubTest.ADMIN_KEY);
        String key = tenant.key();
        hub.ok("PUT", "/api/tenant/match-rules/c_company", key, EntityResolutionScenario.NAME_AND_PHONE);
        String items = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", TestProviderAdapter.PROVIDER_ID,
                "name", "items", "syncDirection", "bidirectional")).get("id").asText();
        hub.ok("POST", "/api/tenant/integrations/" + items + "/connect/api-key", key, Map.of("credentials", Map.of("ttlMinutes", "60"),
                "rotation", Map.of("maxAgeDays", 30, "warnBeforeDays", 7)));
        String feedIntegration = hub.ok("POST", "/api/tenant/integrations", key, Map.of("providerId", ChangeFeedTestAdapter.PROVIDER_ID,
                "name", "feed", "syncDirection", "bidirectional")).get("id").asText();
        hub.ok("POST", "/api/tenant/integrations/" + feedIntegration + "/connect/api-key", key, Map.of("credentials", Map.of("name", "feed")));

        // entity resolution: a record joins a shard (merged), one with only the phone in common waits (pending) and is
        // accepted (merged); the joined record is split out again (unmerged)
        String acme = provider().seedItem(tenant.id(), "Acme Holdings Inc.", "+1 415 555 0100");
        provider().seedItem(tenant.id(), "Globex Corporation", "+1 212 555 0199");
        syncCompleted(key, items);
        String acmeAgain = feed().put(tenant.id(), null, "ACME HOLDINGS", "(415) 555-0100");
        feed().put(tenant.id(), null, "Blue Harbor", "+1 212 555 0199");
        syncCompleted(key, feedIntegration);
        JsonNode review = hub.ok("GET", "/api/tenant/matches?status=pending", key, null).get("items").get(0);
        hub.ok("POST", "/api/tenant/matches/" + review.get("id").asText() + "/accept", key, null);
        String both = hub.allShards(key, "c_company").stream()
                .filter(s -> s.get("externalRelationships").toString().contains(acme)).findFirst().orElseThrow().get("id").asText();
        hub.ok("POST", "/api/tenant/shards/" + both + "/unmerge", key, Map.of("integrationId", feedIntegration, "entity", "Item",
                "externalId", acmeAgain));

        // an inbound webhook registration whose signed deliveries the hub cannot read: failing, then disabled
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + items + "/webhooks", key,
                Map.of("scheme", "standard_webhooks", "events", List.of("*"), "settings", Map.of()));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 10; i++) {
            byte[] body = "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            long ts = System.currentTimeMillis() / 1000;
            String id = "msg_" + java.util.UUID.randomUUID();
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(registration.get("url").asText()))
                    .header("content-type", "application/json").header("webhook-id", id).header("webhook-timestamp", Long.toString(ts))
                    .header("webhook-signature", providers.webhooks.StandardWebhooks.sign(registration.get("secret").asText(), id, ts, body))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        }

        // a provider down long enough to open the circuit, which the operator's reset closes
        provider().failFetches(tenant.id(), 1_000_000);
        String task = hub.task(key, items, "Item", "full");
        hub.ok("POST", "/api/tenant/integrations/" + items + "/tasks/" + task + "/run", key, null);
        awaitEvents(key, Set.of("circuit.opened"));
        provider().failFetches(tenant.id(), 0);
        hub.ok("POST", "/api/tenant/integrations/" + items + "/rate-limits/reset", key, null);

        // credentials due, then overdue for rotation
        context().getBean(JdbcClient.class).sql("UPDATE integration_connections SET credentials_set_at = ? WHERE integration_id = ?")
                .params(java.time.OffsetDateTime.now().minusDays(25), items).update();
        context().getBean(CredentialMonitor.class).warnRotationDue();
        context().getBean(JdbcClient.class).sql("UPDATE integration_connections SET credentials_set_at = ?, rotation_warned_at = NULL WHERE integration_id = ?")
                .params(java.time.OffsetDateTime.now().minusDays(31), items).update();
        context().getBean(CredentialMonitor.class).warnRotationDue();

        // the provider refuses the integration's credentials for good
        assertThat(context().getBean(TokenLifecycle.class).rejectedForGood(items, "ttlMinutes", "60", "the provider refused the key (HTTP 401)")).isTrue();

        List<JsonNode> events = awaitEvents(key, Set.of("shard.merged", "match.pending", "shard.unmerged", "webhook.registration_failing",
                "webhook.registration_disabled", "circuit.opened", "circuit.closed", "credential.rotation_due", "credential.rotation_overdue",
                "integration.auth_failed"));
        new EventSchemas(hub, key).assertAllValid(events);
        assertThat(only(events, "match.pending", e -> true).at("/data/decisionId").asText()).isEqualTo(review.get("id").asText());
        assertThat(only(events, "shard.unmerged", e -> true).at("/data/externalId").asText()).isEqualTo(acmeAgain);
        assertThat(only(events, "webhook.registration_disabled", e -> true).at("/data/consecutiveFailures").asInt()).isEqualTo(10);
        assertThat(only(events, "integration.auth_failed", e -> true).at("/data/reason").asText()).contains("401").doesNotContain("60");
        assertThat(only(events, "credential.rotation_overdue", e -> true).at("/data/integrationId").asText()).isEqualTo(items);
        assertThat(events.stream().filter(e -> e.get("type").asText().equals("shard.merged")).map(e -> e.at("/data/kind").asText()))
                .contains("merge", "review");
    }

    private void syncCompleted(String key, String integration) {
        JsonNode run = hub().runAndWait(key, integration, hub().task(key, integration, "Item", "incremental"), TIMEOUT);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
    }

    private static JsonNode only(List<JsonNode> events, String type, java.util.function.Predicate<JsonNode> which) {
        List<JsonNode> found = events.stream().filter(e -> e.get("type").asText().equals(type)).filter(which).toList();
        assertThat(found).as(type).hasSize(1);
        return found.get(0);
    }

    @Test
    default void aChangeThatRollsBackEmitsNothing() {
        Synced s = synced(Map.of(), 1);
        String shard = s.shardOf().get(s.items().get(0));
        String[] id = new String[1];
        assertThatThrownBy(() -> context().getBean(TransactionTemplate.class).executeWithoutResult(status -> {
            id[0] = events().append(s.tenant().id(), "shard.updated", shard, EventStore.data("shardId", shard, "shardType", "c_company",
                    "origin", "api"));
            throw new IllegalStateException("the change fails after its event was appended");
        })).hasMessageContaining("fails after");
        // a shard API write refused inside its transaction (stale version) emits nothing either
        assertThat(hub().call("PATCH", "/api/tenant/shards/" + shard, s.key(),
                Map.of("structuredData", Map.of("name", "Never Ltd"), "expectedVersion", 99)).status()).isEqualTo(409);
        // a committed change after them, relayed: the stream has moved past where they would be, without them
        hub().ok("PATCH", "/api/tenant/shards/" + shard, s.key(), Map.of("structuredData", Map.of("name", "Committed Ltd")));
        List<JsonNode> updates = awaitEvents(s.key(), Set.of("shard.updated")).stream()
                .filter(e -> e.get("type").asText().equals("shard.updated")).toList();
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).at("/data/structuredData/name").asText()).isEqualTo("Committed Ltd");
        assertThat(events().find(s.tenant().id(), id[0])).isEmpty();
        assertThat(hub().call("GET", "/api/events/" + id[0], s.key(), null).status()).isEqualTo(404);
    }

    @Test
    default void anEventCommittedWhileTheRelayIsDownIsPublishedOnceItRunsAgain() throws Exception {
        Synced s = synced(Map.of(), 1);
        String shard = s.shardOf().get(s.items().get(0));
        awaitEvents(s.key(), Set.of("sync.completed"));
        ObjectMapper json = new ObjectMapper();
        try (Connection connection = context().getBean(ConnectionFactory.class).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer topic = session.createConsumer(session.createTopic(TOPIC), "hubTenantId = '" + s.tenant().id() + "'");
            connection.start();
            context().getBean(CamelContext.class).getRouteController().stopRoute("events-relay");
            context().getBean(CamelContext.class).getRouteController().stopRoute("relay-events");
            try {
                hub().ok("PATCH", "/api/tenant/shards/" + shard, s.key(), Map.of("structuredData", Map.of("name", "While Down Ltd")));
                // committed, not relayed: not in the stream, and it stays so while the relay is down
                Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                        .until(() -> allEvents(s.key(), "shard.updated").isEmpty() && events().countUnrelayed() > 0);
            } finally {
                context().getBean(CamelContext.class).getRouteController().startRoute("relay-events");
                context().getBean(CamelContext.class).getRouteController().startRoute("events-relay");
            }
            JsonNode relayed = awaitEvents(s.key(), Set.of("shard.updated")).stream()
                    .filter(e -> e.get("type").asText().equals("shard.updated")).findFirst().orElseThrow();
            assertThat(relayed.at("/data/structuredData/name").asText()).isEqualTo("While Down Ltd");
            // published on the events topic as a CloudEvent with the event's id and type
            Map<String, JsonNode> published = new HashMap<>();
            Awaitility.await().atMost(TIMEOUT).until(() -> {
                TextMessage message = (TextMessage) topic.receive(500);
                if (message != null) {
                    JsonNode cloudEvent = json.readTree(message.getText());
                    published.put(cloudEvent.get("id").asText(), cloudEvent);
                }
                return published.containsKey(relayed.get("id").asText());
            });
            JsonNode cloudEvent = published.get(relayed.get("id").asText());
            assertThat(cloudEvent.get("type").asText()).isEqualTo("shard.updated");
            assertThat(cloudEvent.get("source").asText()).isEqualTo("/tenants/" + s.tenant().id());
            assertThat(cloudEvent.at("/data/shardId").asText()).isEqualTo(shard);
        }
    }

    @Test
    default void relayedEventsPastRetentionArePurgedAndAnEventNotRelayedIsKept() throws Exception {
        Synced s = synced(Map.of(), 1);
        String shard = s.shardOf().get(s.items().get(0));
        List<JsonNode> relayed = awaitEvents(s.key(), Set.of("sync.completed", "shard.created"));
        JdbcClient jdbc = context().getBean(JdbcClient.class);
        CamelContext camel = context().getBean(CamelContext.class);
        camel.getRouteController().stopRoute("events-relay");
        camel.getRouteController().stopRoute("relay-events");
        String waiting;
        try {
            waiting = events().append(s.tenant().id(), "shard.updated", shard, EventStore.data("shardId", shard, "shardType", "c_company",
                    "origin", "api"));
            // everything of the tenant 31 days old: past the 30 days kept
            jdbc.sql("UPDATE events SET occurred_at = ? WHERE tenant_id = ?").params(java.time.OffsetDateTime.now().minusDays(31),
                    s.tenant().id()).update();
            assertThat(context().getBean(EventRetention.class).purgeExpired()).isGreaterThanOrEqualTo(relayed.size());
            assertThat(allEvents(s.key(), null)).isEmpty();
            assertThat(events().find(s.tenant().id(), waiting)).as("not relayed yet: kept").isPresent();
        } finally {
            camel.getRouteController().startRoute("relay-events");
            camel.getRouteController().startRoute("events-relay");
        }
        Awaitility.await().atMost(TIMEOUT).until(() -> allEvents(s.key(), null).stream().anyMatch(e -> e.get("id").asText().equals(waiting)));
    }

    @Test
    default void thousandsOfEventsAppendedTogetherAreRelayedInTheirOrder() {
        HubClient.Tenant tenant = hub().newTenant(EmbeddedHubTest.ADMIN_KEY);
        List<store.Event.New> page = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            page.add(new store.Event.New(tenant.id(), "shard.updated", "shard-" + i, EventStore.data("shardId", "shard-" + i,
                    "shardType", "c_company", "origin", "sync")));
        }
        context().getBean(TransactionTemplate.class).executeWithoutResult(status -> events().appendAll(page));
        List<JsonNode> relayed = Awaitility.await().atMost(TIMEOUT).until(() -> allEvents(tenant.key(), "shard.updated"),
                l -> l.size() == 2500);
        for (int i = 0; i < 2500; i++) {
            assertThat(relayed.get(i).get("subject").asText()).isEqualTo("shard-" + (2499 - i));
        }
        new EventSchemas(hub(), tenant.key()).assertValid(relayed.get(0));
    }

    @Test
    default void aTenantReadsOnlyItsOwnEventsInStreamOrder() {
        Synced a = synced(Map.of(), 1);
        Synced b = synced(Map.of(), 1);
        String shard = a.shardOf().get(a.items().get(0));
        for (int i = 0; i < 5; i++) {
            hub().ok("PATCH", "/api/tenant/shards/" + shard, a.key(), Map.of("structuredData", Map.of("name", "Name " + i)));
        }
        List<JsonNode> newestFirst = Awaitility.await().atMost(TIMEOUT).until(() -> allEvents(a.key(), "shard.updated"), l -> l.size() == 5);
        assertThat(newestFirst).extracting(e -> e.at("/data/structuredData/name").asText())
                .containsExactly("Name 4", "Name 3", "Name 2", "Name 1", "Name 0");
        // pages of two, by cursor: every event once
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = hub().ok("GET", "/api/events?type=shard.updated&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), a.key(), null);
            page.get("items").forEach(e -> paged.add(e.get("id").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(paged).containsExactlyElementsOf(newestFirst.stream().map(e -> e.get("id").asText()).toList());
        // following the stream from the first: the rest, oldest first
        JsonNode after = hub().ok("GET", "/api/events?type=shard.updated&after=" + newestFirst.get(4).get("id").asText(), a.key(), null);
        List<String> names = new ArrayList<>();
        after.get("items").forEach(e -> names.add(e.at("/data/structuredData/name").asText()));
        assertThat(names).containsExactly("Name 1", "Name 2", "Name 3", "Name 4");

        // the other tenant sees none of them, and they see none of its
        assertThat(allEvents(b.key(), null)).allSatisfy(e -> assertThat(e.get("tenantId").asText()).isEqualTo(b.tenant().id()))
                .noneMatch(e -> e.get("type").asText().equals("shard.updated"));
        assertThat(allEvents(a.key(), null)).allSatisfy(e -> assertThat(e.get("tenantId").asText()).isEqualTo(a.tenant().id()));
        String theirs = allEvents(a.key(), null).get(0).get("id").asText();
        assertThat(hub().call("GET", "/api/events/" + theirs, b.key(), null).status()).isEqualTo(404);
        HubClient.Response afterTheirs = hub().call("GET", "/api/events?after=" + theirs, b.key(), null);
        assertThat(afterTheirs.status()).isEqualTo(400);
        assertThat(afterTheirs.raw()).contains("after");
    }

    @Test
    default void theCatalogServesAValidSchemaForEveryEventType() {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        JsonNode types = hub.ok("GET", "/api/event-types", key, null).get("items");
        List<String> names = new ArrayList<>();
        types.forEach(t -> {
            names.add(t.get("type").asText());
            assertThat(t.get("description").asText()).isNotBlank();
            assertThat(t.at("/schema/$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(EventSchemas.compile(t.get("schema"))).isNotNull();
        });
        assertThat(names).containsExactlyInAnyOrder("sync.completed", "sync.failed", "sync.partial", "integration.auth_failed",
                "credential.rotation_due", "credential.rotation_overdue", "conflict.opened", "conflict.resolved", "match.pending",
                "shard.merged", "shard.unmerged", "webhook.registration_failing", "webhook.registration_disabled", "circuit.opened",
                "circuit.closed", "deadletter.recorded", "shard.created", "shard.updated", "shard.deleted", "webhook_endpoint.disabled",
                "sync.cancelled");
        JsonNode one = hub.ok("GET", "/api/event-types/shard.created", key, null);
        assertThat(one.at("/schema/properties/shardType")).isNotNull();
        assertThat(one.at("/schema/required").toString()).contains("shardType");
        assertThat(hub.call("GET", "/api/event-types/shard.exploded", key, null).status()).isEqualTo(404);
        HubClient.Response unknown = hub.call("GET", "/api/events?type=shard.exploded", key, null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.raw()).contains("type");
        // a schema rejects data that lacks what it requires
        assertThat(EventSchemas.compile(one.get("schema")).validate(new ObjectMapper().createObjectNode().put("shardId", "x"))).isNotEmpty();
    }
}
