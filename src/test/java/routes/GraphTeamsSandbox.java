package routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import hub.HubClient;

/**
 * The hub's Graph sandbox as Teams tests use it, over the sandbox TLS port (Graph at {@code /v1.0}, Entra beside it): a
 * team of its own per test (the setup API standing in for people posting in Teams), and a tenant's Microsoft Teams
 * integration connected to it with the Entra sandbox's app registration, its sources the test's team.
 */
public final class GraphTeamsSandbox {

    public static final String CLIENT_ID = "sandbox-client";
    public static final String CLIENT_SECRET = "sandbox-secret";

    private final HubClient hub;
    private final String origin;
    private final HttpClient https;
    private final String teamName;
    private String token;
    private JsonNode team;

    public GraphTeamsSandbox(HubClient hub, int tlsPort, HttpClient https, String prefix) {
        this.hub = hub;
        this.origin = "https://localhost:" + tlsPort;
        this.https = https;
        this.teamName = prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    public String authority() {
        return origin + "/sandbox/entra/sandbox-tenant";
    }

    public String graphUrl() {
        return origin + "/v1.0";
    }

    /** App-only credentials of the Entra sandbox's app for the Graph sandbox. */
    public Map<String, Object> credentials() {
        return Map.of("authority", authority(), "clientId", CLIENT_ID, "clientSecret", CLIENT_SECRET, "graphUrl", graphUrl());
    }

    /** A request with these headers and a body (a String as is, else JSON). */
    public HubClient.Response call(String method, String url, Map<String, String> headers, Object body) {
        return HubClient.send(https, method, url.startsWith("http") ? url : origin + url, headers, body);
    }

    /** Plays the browser at the Entra sandbox's authorization endpoint (over https): where its redirect points. */
    public String authorizationRedirect(String authorizationUrl) {
        HubClient.Response r = call("GET", authorizationUrl, Map.of(), null);
        assertThat(r.status()).as(r.raw()).isEqualTo(302);
        java.util.regex.Matcher location = java.util.regex.Pattern.compile("(?i)location=\\[([^\\]]+)\\]").matcher(r.raw());
        assertThat(location.find()).as(r.raw()).isTrue();
        return location.group(1);
    }

    /** An app-only Graph token from the Entra sandbox (a fresh one after the sandbox expired the others). */
    public String token(boolean fresh) {
        if (token == null || fresh) {
            HubClient.Response r = call("POST", authority() + "/oauth2/v2.0/token", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                    "grant_type=client_credentials&client_id=" + CLIENT_ID + "&client_secret=" + CLIENT_SECRET
                            + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            token = r.body().get("access_token").asText();
        }
        return token;
    }

    /** A setup call ({@code /sandbox/graph/setup...}) that must succeed. */
    public JsonNode setup(String method, String path, Object body) {
        HubClient.Response r = call(method, "/sandbox/graph/setup" + path, Map.of("Authorization", "Bearer " + token(false)), body);
        if (r.status() == 401) {
            r = call(method, "/sandbox/graph/setup" + path, Map.of("Authorization", "Bearer " + token(true)), body);
        }
        assertThat(r.status()).as(method + " setup" + path + " -> " + r.raw()).isBetween(200, 299);
        return r.body();
    }

    /** A Graph API read ({@code /v1.0...}) that must succeed. */
    public JsonNode api(String path) {
        HubClient.Response r = call("GET", graphUrl() + path, Map.of("Authorization", "Bearer " + token(false)), null);
        if (r.status() == 401) {
            r = call("GET", graphUrl() + path, Map.of("Authorization", "Bearer " + token(true)), null);
        }
        assertThat(r.status()).as("GET " + path + " -> " + r.raw()).isEqualTo(200);
        return r.body();
    }

    /** The test's team, made with these many channels and root messages a channel (every other one with a reply). */
    public JsonNode team(int channels, int messages) {
        team = setup("POST", "/teams", Map.of("displayName", teamName, "channels", channels, "messages", messages));
        return team;
    }

    public String teamId() {
        return team.get("id").asText();
    }

    public String channelId(int index) {
        return team.get("channels").get(index).get("id").asText();
    }

    public String channelName(int index) {
        return team.get("channels").get(index).get("displayName").asText();
    }

    public String teamName() {
        return teamName;
    }

    /** Posts a message (a reply with {@code replyToId}) in a channel of the team. */
    public JsonNode post(int channel, String content, String replyToId, String contentType) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", content);
        if (replyToId != null) {
            body.put("replyToId", replyToId);
        }
        if (contentType != null) {
            body.put("contentType", contentType);
        }
        return setup("POST", "/teams/" + teamId() + "/channels/" + channelId(channel) + "/messages", body);
    }

    public JsonNode edit(int channel, String messageId, String content) {
        return setup("PATCH", "/teams/" + teamId() + "/channels/" + channelId(channel) + "/messages/" + messageId, Map.of("content", content));
    }

    public JsonNode delete(int channel, String messageId) {
        return setup("DELETE", "/teams/" + teamId() + "/channels/" + channelId(channel) + "/messages/" + messageId, null);
    }

    /** A channel's root messages as Graph lists them, each with its replies. */
    public List<JsonNode> messages(int channel) {
        List<JsonNode> all = new ArrayList<>();
        String link = graphUrl() + "/teams/" + teamId() + "/channels/" + channelId(channel) + "/messages?$top=50&$expand=replies";
        while (link != null) {
            JsonNode page = api(link.substring(graphUrl().length()));
            page.get("value").forEach(all::add);
            link = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        return all;
    }

    /** The app's Graph subscriptions whose notification URL is this one. */
    public List<JsonNode> subscriptions(String notificationUrl) {
        List<JsonNode> found = new ArrayList<>();
        api("/subscriptions").get("value").forEach(s -> {
            if (s.get("notificationUrl").asText().equals(notificationUrl)) {
                found.add(s);
            }
        });
        return found;
    }

    /** A tenant's Microsoft Teams integration connected with app-only credentials, reading the test's team. */
    public String connect(String tenantKey, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("providerId", "microsoft_teams");
        body.putIfAbsent("name", "Teams " + teamName);
        body.putIfAbsent("sources", Map.of("messages", List.of(teamId())));
        String integration = hub.ok("POST", "/api/tenant/integrations", tenantKey, body).get("id").asText();
        JsonNode connected = hub.ok("POST", "/api/tenant/integrations/" + integration + "/connect/api-key", tenantKey,
                Map.of("type", "oauth2_entra_client_credentials", "credentials", credentials()));
        assertThat(connected.get("ok").asBoolean()).as(connected.toString()).isTrue();
        // the tests' calls come in bursts (a save's source check right after the last): the catalog's 20 a second would
        // throttle them, and a throttled source check lets the save through unchecked
        hub.ok("PUT", "/api/tenant/integrations/" + integration + "/rate-limits", tenantKey,
                Map.of("integration", Map.of("requests", 6000, "windowSeconds", 60)));
        return integration;
    }
}
