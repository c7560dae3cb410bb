package routes;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.SalesforceSyncScenario.byExternalId;
import static routes.SlackSyncTest.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * The end-to-end sync of {@link SlackSyncTest} against its sandbox, on each store: H2 there, PostgreSQL in
 * {@link ContentSyncOnPostgresTest}.
 */
interface SlackSyncScenario {

    HubClient hub();

    @Test
    default void fullSyncOfTheSelectedChannelsThenEventsPushEditsDeletionsAndRepliesIntoTheNotes() {
        HubClient hub = hub();
        String key = hub.newTenantKey(EmbeddedHubTest.ADMIN_KEY);
        SlackTestWorkspace slack = new SlackTestWorkspace(hub, "sync");
        JsonNode workspace = slack.describe();
        List<String> ids = slack.channelIds();
        String byName = "#" + workspace.at("/channels/2/name").asText();
        // two channels by id, one by name
        String integration = slack.connect(key, List.of(ids.get(0), ids.get(1), byName), false);

        JsonNode full = hub.runAndWait(key, integration, hub.task(key, integration, "messages", "full"), TIMEOUT);
        assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
        // 30 messages a channel, every 5th with two replies
        assertThat(full.get("recordsCreated").asLong()).isEqualTo(3 * (30 + 12));
        Map<String, JsonNode> notes = byExternalId(hub.allShards(key, "c_note"));
        assertThat(notes).hasSize(126);

        JsonNode truth = slack.messages(ids.get(0));
        JsonNode parent = null;
        JsonNode reply = null;
        for (JsonNode m : truth) {
            if (m.has("reply_count") && parent == null) {
                parent = m;
            }
            if (m.has("thread_ts") && !m.get("thread_ts").asText().equals(m.get("ts").asText()) && reply == null) {
                reply = m;
            }
        }
        String channel = ids.get(0);
        JsonNode replyShard = shard(hub, key, notes.get(channel + ":" + reply.get("ts").asText()));
        assertThat(replyShard.at("/structuredData/kind").asText()).isEqualTo("message");
        assertThat(replyShard.at("/structuredData/body").asText()).isEqualTo(reply.get("text").asText());
        assertThat(replyShard.at("/structuredData/container").asText()).isEqualTo("#" + workspace.at("/channels/0/name").asText());
        assertThat(replyShard.at("/structuredData/url").asText()).startsWith(workspace.get("url").asText() + "archives/" + channel + "/p")
                .contains("thread_ts=" + reply.get("thread_ts").asText());
        String realName = null;
        for (JsonNode u : workspace.get("users")) {
            if (u.get("id").asText().equals(reply.get("user").asText())) {
                realName = u.get("realName").asText();
            }
        }
        assertThat(replyShard.at("/structuredData/author").asText()).isEqualTo(realName);
        JsonNode replyTo = replyShard.get("relationships").get(0);
        assertThat(replyTo.get("type").asText()).isEqualTo("reply_to");
        assertThat(replyTo.get("targetExternalId").asText()).isEqualTo(channel + ":" + parent.get("ts").asText());
        assertThat(replyTo.get("targetShardId").asText()).isEqualTo(notes.get(channel + ":" + parent.get("ts").asText()).get("id").asText());

        // the Events API to the hub's receiver, signed with the app's signing secret
        String secret = "slack-signing-" + UUID.randomUUID().toString().replace("-", "");
        JsonNode registration = hub.ok("POST", "/api/tenant/integrations/" + integration + "/webhooks", key, Map.of(
                "scheme", "slack", "events", List.of("note.*"), "secret", secret));
        JsonNode events = slack.setup("PUT", "/events", Map.of("requestUrl", registration.get("url").asText(), "signingSecret", secret));
        assertThat(events.get("subscribed").asBoolean()).isTrue();

        JsonNode first = truth.get(0);
        String edited = first.get("ts").asText();
        String deleted = truth.get(1).get("ts").asText();
        slack.setup("PATCH", "/messages", Map.of("channel", channel, "ts", edited, "text", "Edited: renewal moved to next quarter"));
        slack.setup("DELETE", "/messages", Map.of("channel", channel, "ts", deleted));
        String posted = slack.setup("POST", "/messages", Map.of("channel", channel, "text", "New message about the renewal"))
                .get("ts").asText();
        // a late reply to the oldest thread, whose parent the history does not move
        String lateReply = slack.setup("POST", "/messages", Map.of("channel", channel, "text", "Late reply",
                "threadTs", parent.get("ts").asText())).get("ts").asText();

        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Map<String, JsonNode> now = byExternalId(hub.allShards(key, "c_note"));
            assertThat(now.get(channel + ":" + deleted).get("deleted").asBoolean()).isTrue();
            assertThat(now.get(channel + ":" + edited).at("/structuredData/body").asText()).isEqualTo("Edited: renewal moved to next quarter");
            assertThat(now.get(channel + ":" + edited).at("/structuredData/extras/edited").asBoolean()).isTrue();
            assertThat(now).containsKey(channel + ":" + posted);
            assertThat(now).containsKey(channel + ":" + lateReply);
        });
        JsonNode late = shard(hub, key, byExternalId(hub.allShards(key, "c_note")).get(channel + ":" + lateReply));
        assertThat(late.at("/relationships/0/targetExternalId").asText()).isEqualTo(channel + ":" + parent.get("ts").asText());

        // the runs the events queued are done (one run per entity at a time: a run queued behind them would wait its turn,
        // and with the PostgreSQL context's 5 s maximum wait that turn can count against it)
        Awaitility.await().atMost(TIMEOUT).until(() -> {
            for (JsonNode e : hub.ok("GET", "/api/tenant/integrations/" + integration + "/executions", key, null).get("items")) {
                String status = e.get("status").asText();
                if (status.equals("pending") || status.equals("running")) {
                    return false;
                }
            }
            return true;
        });
        // an incremental pass now finds nothing new: it reads what changed since its marker only
        JsonNode incremental = hub.runAndWait(key, integration, hub.task(key, integration, "messages", "incremental"), TIMEOUT);
        assertThat(incremental.get("status").asText()).as(incremental.toString()).isEqualTo("completed");
        assertThat(incremental.get("recordsCreated").asLong()).isZero();
        assertThat(incremental.get("recordsProcessed").asLong()).isLessThan(10);
        assertThat(byExternalId(hub.allShards(key, "c_note"))).hasSize(128);
        assertThat(slack.setup("GET", "/limits", null).get("violations").asLong()).isZero();
    }
}
