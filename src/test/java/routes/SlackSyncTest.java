package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;
import hub.PacedByProviderLimits;

/**
 * Slack end to end against the hub's Slack sandbox, as a user drives it: connect a bot token, select channels, sync their
 * messages and thread replies into notes, then change Slack (new messages, a late reply to an old thread, an edit, a
 * deletion) and see the Events API push them through the receiver into an incremental sync.
 */
@PacedByProviderLimits
class SlackSyncTest extends EmbeddedHubTest implements SlackSyncScenario {

    static final Duration TIMEOUT = Duration.ofSeconds(120);


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

    static JsonNode shard(HubClient hub, String key, JsonNode listed) {
        return hub.ok("GET", "/api/tenant/shards/" + listed.get("id").asText(), key, null);
    }
}
