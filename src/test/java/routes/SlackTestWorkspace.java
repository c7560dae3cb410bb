package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import hub.HubClient;

/**
 * A workspace of the hub's Slack sandbox of its own (bot token {@code xoxb-sandbox-<name>}), changed as its people would
 * change it (through the setup API, which sends the Events API's events) and a tenant's Slack integration connected to it.
 */
final class SlackTestWorkspace {

    private final HubClient hub;
    private final String name;

    SlackTestWorkspace(HubClient hub, String prefix) {
        this.hub = hub;
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String token() {
        return "xoxb-sandbox-" + name;
    }

    String baseUrl() {
        return hub.baseUrl() + "/sandbox/slack";
    }

    JsonNode setup(String method, String path, Object body) {
        HubClient.Response r = hub.call(method, baseUrl() + "/setup" + path, token(), body);
        assertThat(r.status()).as(method + " " + path + " -> " + r.raw()).isBetween(200, 299);
        assertThat(r.body().get("ok").asBoolean()).as(r.raw()).isTrue();
        return r.body();
    }

    JsonNode describe() {
        return setup("GET", "/workspace", null);
    }

    /** The channels' ids, in seeding order. */
    List<String> channelIds() {
        List<String> ids = new ArrayList<>();
        describe().get("channels").forEach(c -> ids.add(c.get("id").asText()));
        return ids;
    }

    JsonNode messages(String channel) {
        return setup("GET", "/messages?channel=" + channel, null).get("messages");
    }

    /** An integration of the tenant with a bot token on this workspace, selecting these channels. */
    String connect(String tenantKey, List<String> channels, boolean raiseLimit) {
        Map<String, Object> body = new HashMap<>();
        body.put("providerId", "slack");
        body.put("name", "Slack " + name);
        body.put("sources", Map.of("messages", channels));
        String integrationId = hub.ok("POST", "/api/tenant/integrations", tenantKey, body).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integrationId + "/connect/api-key", tenantKey,
                Map.of("type", "bot_token", "credentials", Map.of("accessToken", token(), "apiUrl", baseUrl() + "/api/")));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        if (raiseLimit) {
            hub.ok("PUT", "/api/tenant/integrations/" + integrationId + "/rate-limits", tenantKey,
                    Map.of("integration", Map.of("requests", 6000, "windowSeconds", 60)));
        }
        return integrationId;
    }
}
