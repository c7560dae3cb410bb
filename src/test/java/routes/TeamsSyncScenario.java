package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import processors.webhooks.WebhookRenewal;
import sandbox.kit.SandboxTlsPort;
import security.SandboxTrust;

/**
 * Microsoft Teams end to end against the Graph sandbox over HTTPS (the sandbox TLS port), as a user drives it, on each
 * store: H2 in {@link TeamsSyncTest}, PostgreSQL in {@link MeetingSyncOnPostgresTest}. Channel messages and replies become
 * notes, replies linked to their parent; the channel messages delta carries edits, new replies and deletions to an
 * incremental pass; Graph's change notifications reach the shards through the hub's receiver, and the subscriptions
 * behind them are renewed before they expire, at once on {@code reauthorizationRequired}, and re-made on
 * {@code subscriptionRemoved} with a catch-up pass.
 */
public interface TeamsSyncScenario {

    Duration TIMEOUT = Duration.ofSeconds(120);

    HubClient hub();

    /** A bean of the hub under test (the sandbox TLS port and its trust, the webhook renewal). */
    <T> T bean(Class<T> type);

    /** A team of the Graph sandbox of the test's own, reached over the sandbox TLS port. */
    default GraphTeamsSandbox graphTeams(String prefix) {
        return new GraphTeamsSandbox(hub(), bean(SandboxTlsPort.class).localPort(), bean(SandboxTrust.class).httpClient().build(), prefix);
    }

    record Session(HubClient hub, String key, GraphTeamsSandbox graph, String integration) {
        JsonNode sync(String mode) {
            return hub.runAndWait(key, integration, hub.task(key, integration, "messages", mode), TIMEOUT);
        }

        /** Notes by the id they come from ({@code team/channel/message[/reply]}). */
        Map<String, JsonNode> notes() {
            Map<String, JsonNode> byId = new HashMap<>();
            hub.allShards(key, "c_note").forEach(s -> byId.put(s.at("/externalRelationships/0/externalId").asText(), s));
            return byId;
        }

        JsonNode shard(JsonNode listed) {
            return hub.ok("GET", "/api/tenant/shards/" + listed.get("id").asText(), key, null);
        }

        String id(int channel, String messageId) {
            return graph.teamId() + "/" + graph.channelId(channel) + "/" + messageId;
        }
    }

    default Session session(String prefix, int channels, int messages) {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        GraphTeamsSandbox graph = graphTeams(prefix);
        graph.team(channels, messages);
        return new Session(hub, key, graph, graph.connect(key, Map.of()));
    }

    static void assertCompleted(JsonNode execution) {
        assertThat(execution.get("status").asText()).as(execution.toString()).isEqualTo("completed");
        assertThat(execution.get("recordsFailed").asLong()).as(execution.toString()).isZero();
    }

    @Test
    default void channelMessagesAndRepliesSyncFullThenThroughTheDeltaWithEditsRepliesAndDeletions() {
        Session s = session("sync", 2, 6);
        GraphTeamsSandbox graph = s.graph();
        // six root messages a channel, every other one with a reply
        JsonNode full = s.sync("full");
        assertCompleted(full);
        assertThat(full.get("recordsCreated").asLong()).as(full.toString()).isEqualTo(2 * (6 + 3));
        Map<String, JsonNode> notes = s.notes();
        assertThat(notes).hasSize(18);

        List<JsonNode> truth = graph.messages(0);
        JsonNode parent = truth.stream().filter(m -> !m.get("replies").isEmpty()).findFirst().orElseThrow();
        JsonNode reply = parent.get("replies").get(0);
        String parentId = s.id(0, parent.get("id").asText());
        String replyId = parentId + "/" + reply.get("id").asText();
        JsonNode root = s.shard(notes.get(parentId));
        assertThat(root.at("/structuredData/kind").asText()).isEqualTo("message");
        assertThat(root.at("/structuredData/body").asText()).isEqualTo(parent.at("/body/content").asText());
        assertThat(root.at("/structuredData/author").asText()).isEqualTo(parent.at("/from/user/displayName").asText());
        assertThat(root.at("/structuredData/container").asText()).isEqualTo(graph.teamName() + " / " + graph.channelName(0));
        assertThat(root.at("/structuredData/url").asText()).isEqualTo(parent.get("webUrl").asText());
        assertThat(root.at("/structuredData/createdAt").asText())
                .isEqualTo(OffsetDateTime.parse(parent.get("createdDateTime").asText()).toInstant().toString());
        assertThat(root.at("/structuredData/extras/teamId").asText()).isEqualTo(graph.teamId());
        assertThat(root.at("/structuredData/extras/replyCount").asInt()).isEqualTo(1);
        JsonNode replyShard = s.shard(notes.get(replyId));
        assertThat(replyShard.at("/structuredData/body").asText()).isEqualTo(reply.at("/body/content").asText());
        JsonNode replyTo = replyShard.get("relationships").get(0);
        assertThat(replyTo.get("type").asText()).isEqualTo("reply_to");
        assertThat(replyTo.get("targetExternalId").asText()).isEqualTo(parentId);
        assertThat(replyTo.get("targetShardId").asText()).isEqualTo(root.get("id").asText());

        // in Teams: an edit, a deleted message and a deleted reply, a late reply to the old thread, a formatted message
        String edited = truth.get(truth.size() - 1).get("id").asText();
        graph.edit(0, edited, "Edited: the renewal moves to next quarter");
        String deleted = truth.stream().filter(m -> m.get("replies").isEmpty()).findFirst().orElseThrow().get("id").asText();
        graph.delete(0, deleted);
        graph.delete(0, reply.get("id").asText());
        String late = graph.post(0, "Late reply: the proposal review is booked", parent.get("id").asText(), null).get("id").asText();
        String html = graph.post(1, "<p>Hello <b>Acme</b> &amp; friends</p><p>Line&nbsp;two</p>", null, "html").get("id").asText();

        JsonNode incremental = s.sync("incremental");
        assertCompleted(incremental);
        assertThat(incremental.get("recordsCreated").asLong()).as(incremental.toString()).isEqualTo(2);
        assertThat(incremental.get("recordsDeleted").asLong()).as(incremental.toString()).isEqualTo(2);
        assertThat(incremental.get("recordsProcessed").asLong()).as("only the changed threads").isLessThan(10);
        notes = s.notes();
        assertThat(notes).hasSize(20);
        assertThat(notes.get(s.id(0, deleted)).get("deleted").asBoolean()).isTrue();
        assertThat(notes.get(replyId).get("deleted").asBoolean()).isTrue();
        assertThat(notes.get(parentId).get("deleted").asBoolean()).isFalse();
        JsonNode editedShard = s.shard(notes.get(s.id(0, edited)));
        assertThat(editedShard.at("/structuredData/body").asText()).isEqualTo("Edited: the renewal moves to next quarter");
        assertThat(editedShard.at("/structuredData/extras/edited").asBoolean()).isTrue();
        JsonNode lateShard = s.shard(notes.get(parentId + "/" + late));
        assertThat(lateShard.at("/relationships/0/targetShardId").asText()).isEqualTo(root.get("id").asText());
        assertThat(s.shard(notes.get(s.id(1, html))).at("/structuredData/body").asText()).isEqualTo("Hello Acme & friends\nLine two");

        // nothing changed since: each channel's delta link answers with nothing
        JsonNode quiet = s.sync("incremental");
        assertCompleted(quiet);
        assertThat(quiet.get("recordsProcessed").asLong()).as(quiet.toString()).isZero();
    }

    @Test
    default void notificationsReachTheShardsAndTheSubscriptionsAreKeptAliveRenewedAndReMade() {
        Session s = session("push", 2, 2);
        GraphTeamsSandbox graph = s.graph();
        assertCompleted(s.sync("full"));
        HubClient hub = s.hub();
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + s.integration() + "/webhooks", s.key(),
                Map.of("scheme", "microsoft_graph", "events", List.of("note.*")));
        assertThat(registration.get("providerRegistration").asText()).as(registration.toString()).isEqualTo("registered");
        String url = registration.get("url").asText();
        String registrationId = registration.get("id").asText();
        assertThat(url).startsWith("https://");
        // one subscription a channel, to the registration's URL, validated by the handshake
        List<JsonNode> subscriptions = graph.subscriptions(url);
        assertThat(subscriptions).hasSize(2);
        assertThat(subscriptions).extracting(sub -> sub.get("resource").asText()).containsExactlyInAnyOrder(
                "/teams/" + graph.teamId() + "/channels/" + graph.channelId(0) + "/messages",
                "/teams/" + graph.teamId() + "/channels/" + graph.channelId(1) + "/messages");
        assertThat(subscriptions).allSatisfy(sub -> assertThat(sub.get("changeType").asText()).isEqualTo("created,updated,deleted"));
        assertThat(registration.get("providerWebhookId").asText().split(" "))
                .containsExactlyInAnyOrderElementsOf(subscriptions.stream().map(sub -> sub.get("id").asText()).toList());

        // a message posted in Teams reaches its shard through the notification and the incremental pass it starts
        long sent = System.nanoTime();
        String posted = graph.post(1, "Pushed from Teams", null, null).get("id").asText();
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> s.notes().containsKey(s.id(1, posted)));
        System.out.printf("Teams push -> shard: %d ms%n", (System.nanoTime() - sent) / 1_000_000);
        graph.delete(1, posted);
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> s.notes().get(s.id(1, posted)).get("deleted").asBoolean());

        // the renewal sweep extends subscriptions before they expire (renew-before is longer than their life here)
        Instant before = OffsetDateTime.parse(hub.ok("GET", "/api/tenant/integrations/" + s.integration() + "/webhooks/" + registrationId,
                s.key(), null).get("expiresAt").asText()).toInstant();
        Awaitility.await().atMost(TIMEOUT).until(() -> {
            bean(WebhookRenewal.class).renewExpiring();
            JsonNode now = hub.ok("GET", "/api/tenant/integrations/" + s.integration() + "/webhooks/" + registrationId, s.key(), null);
            return OffsetDateTime.parse(now.get("expiresAt").asText()).toInstant().isAfter(before);
        });
        List<JsonNode> renewed = graph.subscriptions(url);
        assertThat(renewed).extracting(sub -> sub.get("id").asText())
                .containsExactlyInAnyOrderElementsOf(subscriptions.stream().map(sub -> sub.get("id").asText()).toList());
        assertThat(renewed).allSatisfy(sub -> assertThat(Instant.parse(sub.get("expirationDateTime").asText())).isAfter(before));

        // reauthorizationRequired: renewed at once, the same subscription
        String first = subscriptions.get(0).get("id").asText();
        Instant expiry = Instant.parse(renewed.stream().filter(sub -> sub.get("id").asText().equals(first)).findFirst().orElseThrow()
                .get("expirationDateTime").asText());
        graph.setup("POST", "/subscriptions/" + first + "/lifecycle", Map.of("lifecycleEvent", "reauthorizationRequired"));
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> graph.subscriptions(url).stream()
                .anyMatch(sub -> sub.get("id").asText().equals(first) && Instant.parse(sub.get("expirationDateTime").asText()).isAfter(expiry)));

        // subscriptionRemoved: a message posted while it is gone reaches its shard through the catch-up pass
        String removed = subscriptions.stream().filter(sub -> sub.get("resource").asText().endsWith(graph.channelId(0) + "/messages"))
                .findFirst().orElseThrow().get("id").asText();
        graph.setup("POST", "/subscriptions/" + removed + "/lifecycle", Map.of("lifecycleEvent", "subscriptionRemoved"));
        String unnotified = graph.post(0, "Posted while the subscription was gone", null, null).get("id").asText();
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> graph.subscriptions(url).size() == 2
                && graph.subscriptions(url).stream().noneMatch(sub -> sub.get("id").asText().equals(removed)));
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> s.notes().containsKey(s.id(0, unnotified)));
        JsonNode now = hub.ok("GET", "/api/tenant/integrations/" + s.integration() + "/webhooks/" + registrationId, s.key(), null);
        assertThat(now.get("providerWebhookId").asText()).doesNotContain(removed);
        JsonNode deliveries = hub.ok("GET", "/api/webhooks/deliveries?registrationId=" + registrationId, s.key(), null);
        assertThat(deliveries.get("items").toString()).contains("the provider removed the subscription").contains("catch-up sync queued");
        // the re-made subscription is heard
        String after = graph.post(0, "Heard through the new subscription", null, null).get("id").asText();
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> s.notes().containsKey(s.id(0, after)));

        // a notification with another clientState is refused, and nothing is enqueued
        int notes = s.notes().size();
        String forged = "{\"value\":[{\"subscriptionId\":\"" + removed + "\",\"clientState\":\"not-the-secret\",\"changeType\":\"created\","
                + "\"resource\":\"teams('" + graph.teamId() + "')/channels('" + graph.channelId(0) + "')/messages('1')\","
                + "\"resourceData\":{\"id\":\"1\"}}]}";
        HubClient.Response refused = graph.call("POST", url, Map.of("Content-Type", "application/json"), forged);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(401);
        JsonNode logged = hub.ok("GET", "/api/webhooks/deliveries?registrationId=" + registrationId, s.key(), null);
        assertThat(logged.get("items")).anySatisfy(d -> assertThat(d.get("verification").asText()).isEqualTo("failed"));
        assertThat(logged.get("items")).filteredOn(d -> d.get("verification").asText().equals("failed"))
                .allSatisfy(d -> assertThat(d.get("status").asText()).isEqualTo("rejected"));
        assertThat(s.notes()).hasSize(notes);

        // the registration deleted: its Graph subscriptions go with it
        assertThat(hub.call("DELETE", "/api/tenant/integrations/" + s.integration() + "/webhooks/" + registrationId, s.key(), null).status())
                .isEqualTo(204);
        assertThat(graph.subscriptions(url)).isEmpty();
    }
}
