package routes;

import static org.assertj.core.api.Assertions.assertThat;
import static routes.SalesforceSyncScenario.byExternalId;

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
 * Slack end to end against the hub's Slack sandbox, as a user drives it: connect a bot token, select channels, sync their
 * messages and thread replies into notes, then change Slack (new messages, a late reply to an old thread, an edit, a
 * deletion) and see the Events API push them through the receiver into an incremental sync.
 */
class SlackSyncTest extends EmbeddedHubTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void fullSyncOfTheSelectedChannelsThenEventsPushEditsDeletionsAndRepliesIntoTheNotes() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
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

        // an incremental pass now finds nothing new: it reads what changed since its marker only
        JsonNode incremental = hub.runAndWait(key, integration, hub.task(key, integration, "messages", "incremental"), TIMEOUT);
        assertThat(incremental.get("status").asText()).as(incremental.toString()).isEqualTo("completed");
        assertThat(incremental.get("recordsCreated").asLong()).isZero();
        assertThat(incremental.get("recordsProcessed").asLong()).isLessThan(10);
        assertThat(byExternalId(hub.allShards(key, "c_note"))).hasSize(128);
        assertThat(slack.setup("GET", "/limits", null).get("violations").asLong()).isZero();
    }

    @Test
    void theHubPacesItsCallsUnderTheIntegrationsLimitSoSlackRefusesNone() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        SlackTestWorkspace slack = new SlackTestWorkspace(hub, "paced");
        // Slack lets in 6 Tier 3 calls per 5 s; the integration's limit is 4 per 5 s
        slack.setup("POST", "/limits", Map.of("rateLimit", 6, "windowSeconds", 5));
        String integration = slack.connect(key, slack.channelIds(), false);
        hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", key,
                Map.of("integration", Map.of("requests", 4, "windowSeconds", 5)));

        JsonNode full = hub.runAndWait(key, integration, hub.task(key, integration, "messages", "full"), TIMEOUT);
        assertThat(full.get("status").asText()).as(full.toString()).isEqualTo("completed");
        assertThat(full.get("recordsCreated").asLong()).isEqualTo(126);
        JsonNode limits = slack.setup("GET", "/limits", null);
        assertThat(limits.get("violations").asLong()).as(limits.toString()).isZero();
        // auth.test, three histories and eighteen threads: 22 calls at 4 per 5 s cannot take less than 25 s
        assertThat(full.get("durationMs").asLong()).isGreaterThan(20_000);
    }

    @Test
    void anUnknownChannelIsRefusedAtSaveAndFailsTheSyncNamingIt() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        SlackTestWorkspace slack = new SlackTestWorkspace(hub, "unknown");
        List<String> ids = slack.channelIds();
        String integration = slack.connect(key, List.of("C0NOSUCHCHANNEL"), true);

        HubClient.Response refused = hub.call("PATCH", "/api/tenant/integrations/" + integration, key,
                Map.of("sources", Map.of("messages", List.of(ids.get(0), "#no-such-channel"))));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.raw()).contains("sources.messages").contains("unknown channel '#no-such-channel'");

        // selected before the integration was connected, so never checked: the sync says which channel it cannot read
        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "messages", "full"), TIMEOUT);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("failed");
        assertThat(run.toString()).contains("C0NOSUCHCHANNEL").contains("channel_not_found");
    }

    @Test
    void aRevokedTokenMakesTheIntegrationAuthFailed() {
        HubClient hub = hub();
        String key = hub.newTenantKey(ADMIN_KEY);
        SlackTestWorkspace slack = new SlackTestWorkspace(hub, "revoked");
        String integration = slack.connect(key, List.of(slack.channelIds().get(0)), true);
        slack.setup("POST", "/revoke", Map.of("revoked", true));

        JsonNode run = hub.runAndWait(key, integration, hub.task(key, integration, "messages", "full"), TIMEOUT);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("failed");
        assertThat(run.toString()).contains("token_revoked");
        Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                hub.ok("GET", "/api/tenant/integrations/" + integration, key, null).get("status").asText()).isEqualTo("auth_failed"));
    }

    private static JsonNode shard(HubClient hub, String key, JsonNode listed) {
        return hub.ok("GET", "/api/tenant/shards/" + listed.get("id").asText(), key, null);
    }
}
