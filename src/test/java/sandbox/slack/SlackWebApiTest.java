package sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;

/** The sandbox's Web API answers as Slack's: ok:false codes on HTTP 200, 429 with Retry-After, cursor paging, OAuth v2. */
class SlackWebApiTest extends EmbeddedHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private String base() {
        return hub().baseUrl() + "/sandbox/slack";
    }

    private Answer call(String method, String token, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/api/" + method))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String token() {
        return "xoxb-sandbox-api-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void tokenProblemsAreOkFalseOnHttp200() {
        assertThat(call("auth.test", null, Map.of()).body().get("error").asText()).isEqualTo("not_authed");
        Answer unknown = call("auth.test", "xoxb-not-a-sandbox-token", Map.of());
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.body().get("ok").asBoolean()).isFalse();
        assertThat(unknown.body().get("error").asText()).isEqualTo("invalid_auth");
        assertThat(unknown.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");

        String token = token();
        JsonNode auth = call("auth.test", token, Map.of()).body();
        assertThat(auth.get("ok").asBoolean()).isTrue();
        assertThat(auth.get("team_id").asText()).startsWith("T");
        assertThat(auth.get("url").asText()).startsWith("https://").endsWith(".slack.com/");
        hub().ok("POST", base() + "/setup/revoke", token, Map.of("revoked", true));
        assertThat(call("auth.test", token, Map.of()).body().get("error").asText()).isEqualTo("token_revoked");
        assertThat(call("conversations.list", token, Map.of()).body().get("error").asText()).isEqualTo("token_revoked");
    }

    @Test
    void historyPagesNewestFirstWithCursorsAndPagesForwardFromOldest() {
        String token = token();
        String channel = call("conversations.list", token, Map.of("limit", "1")).body().at("/channels/0/id").asText();
        List<String> all = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            Map<String, String> form = new LinkedHashMap<>(Map.of("channel", channel, "limit", "7"));
            if (!cursor.isEmpty()) {
                form.put("cursor", cursor);
            }
            JsonNode page = call("conversations.history", token, form).body();
            assertThat(page.get("ok").asBoolean()).as(page.toString()).isTrue();
            page.get("messages").forEach(m -> all.add(m.get("ts").asText()));
            cursor = page.at("/response_metadata/next_cursor").asText();
            assertThat(page.get("has_more").asBoolean()).isEqualTo(!cursor.isEmpty());
            pages++;
        } while (!cursor.isEmpty());
        assertThat(pages).isEqualTo(5);
        assertThat(all).hasSize(30).doesNotHaveDuplicates();
        List<String> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> b.compareTo(a));
        assertThat(all).isEqualTo(sorted);

        // only oldest: the messages closest to it, newest first, so moving oldest to messages[0].ts loses none
        JsonNode forward = call("conversations.history", token, Map.of("channel", channel, "oldest", all.get(29), "limit", "3")).body();
        List<String> window = new ArrayList<>();
        forward.get("messages").forEach(m -> window.add(m.get("ts").asText()));
        assertThat(window).containsExactly(all.get(26), all.get(27), all.get(28));

        JsonNode thread = null;
        for (JsonNode m : call("conversations.history", token, Map.of("channel", channel)).body().get("messages")) {
            if (m.has("reply_count")) {
                thread = m;
            }
        }
        JsonNode replies = call("conversations.replies", token, Map.of("channel", channel, "ts", thread.get("ts").asText())).body();
        assertThat(replies.get("messages")).hasSize(3);
        assertThat(replies.at("/messages/0/ts").asText()).isEqualTo(thread.get("ts").asText());
        assertThat(replies.at("/messages/1/thread_ts").asText()).isEqualTo(thread.get("ts").asText());
        assertThat(replies.at("/messages/2/ts").asText()).isEqualTo(thread.get("latest_reply").asText());
    }

    @Test
    void channelErrorsAndTheTierLimitAnswerAsSlackDoes() {
        String token = token();
        assertThat(call("conversations.history", token, Map.of("channel", "C0NOSUCH")).body().get("error").asText())
                .isEqualTo("channel_not_found");
        String outside = hub().ok("POST", base() + "/setup/channels", token, Map.of("name", "no-bot-here", "member", false))
                .at("/channel/id").asText();
        assertThat(call("conversations.history", token, Map.of("channel", outside)).body().get("error").asText()).isEqualTo("not_in_channel");
        assertThat(call("users.info", token, Map.of("user", "U0NOSUCH")).body().get("error").asText()).isEqualTo("user_not_found");
        String member = call("conversations.list", token, Map.of()).body().at("/channels/0/id").asText();
        assertThat(call("conversations.history", token, Map.of("channel", member, "oldest", "yesterday")).body().get("error").asText())
                .isEqualTo("invalid_ts_oldest");

        // a fresh workspace with two Tier 3 calls a minute
        token = token();
        hub().ok("POST", base() + "/setup/limits", token, Map.of("rateLimit", 2, "windowSeconds", 60));
        String channel = call("conversations.list", token, Map.of()).body().at("/channels/0/id").asText();
        Answer second = call("conversations.info", token, Map.of("channel", channel));
        assertThat(second.status()).isEqualTo(200);
        Answer refused = call("conversations.history", token, Map.of("channel", channel));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body().get("error").asText()).isEqualTo("ratelimited");
        assertThat(Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        // auth.test is not in the tier
        assertThat(call("auth.test", token, Map.of()).body().get("ok").asBoolean()).isTrue();
        JsonNode limits = hub().ok("GET", base() + "/setup/limits", token, null);
        assertThat(limits.get("violations").asLong()).isEqualTo(1);
    }

    @Test
    void oauthV2IssuesRotatingBotTokens() {
        HubClient hub = hub();
        String name = "oauth-" + UUID.randomUUID().toString().substring(0, 8);
        String redirect = "http://localhost:9/callback";
        String location = HubClient.authorizationRedirect(base() + "/oauth/v2/authorize?client_id=sandbox-client&scope=channels:history"
                + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8) + "&state=s1&team=" + name);
        assertThat(location).startsWith(redirect + "?code=").endsWith("&state=s1");
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf("&state"));

        Answer badSecret = call("oauth.v2.access", null, Map.of("client_id", "sandbox-client", "client_secret", "nope", "code", code));
        assertThat(badSecret.body().get("error").asText()).isEqualTo("bad_client_secret");
        JsonNode granted = call("oauth.v2.access", null, Map.of("client_id", "sandbox-client", "client_secret", "sandbox-secret",
                "code", code, "redirect_uri", redirect)).body();
        assertThat(granted.get("ok").asBoolean()).as(granted.toString()).isTrue();
        assertThat(granted.get("access_token").asText()).startsWith("xoxb-");
        assertThat(granted.get("token_type").asText()).isEqualTo("bot");
        assertThat(granted.get("expires_in").asLong()).isEqualTo(43200);
        assertThat(call("auth.test", granted.get("access_token").asText(), Map.of()).body().get("team_id").asText())
                .isEqualTo(call("auth.test", "xoxb-sandbox-" + name, Map.of()).body().get("team_id").asText());
        // a code is used once
        assertThat(call("oauth.v2.access", null, Map.of("client_id", "sandbox-client", "client_secret", "sandbox-secret", "code", code))
                .body().get("error").asText()).isEqualTo("invalid_code");

        String refresh = granted.get("refresh_token").asText();
        JsonNode renewed = call("oauth.v2.access", null, Map.of("client_id", "sandbox-client", "client_secret", "sandbox-secret",
                "grant_type", "refresh_token", "refresh_token", refresh)).body();
        assertThat(renewed.get("ok").asBoolean()).isTrue();
        assertThat(renewed.get("refresh_token").asText()).isNotEqualTo(refresh);
        assertThat(call("oauth.v2.access", null, Map.of("client_id", "sandbox-client", "client_secret", "sandbox-secret",
                "grant_type", "refresh_token", "refresh_token", refresh)).body().get("error").asText()).isEqualTo("invalid_refresh_token");
        hub.ok("POST", base() + "/setup/tokens/expire", "xoxb-sandbox-" + name, null);
        assertThat(call("auth.test", renewed.get("access_token").asText(), Map.of()).body().get("error").asText()).isEqualTo("token_expired");
    }

    @Test
    void theEventSubscriptionIsRefusedWhenTheRequestUrlDoesNotAnswerTheChallenge() {
        String token = token();
        // the hub's own health endpoint answers 200, but not with the challenge
        HubClient.Response refused = hub().call("PUT", base() + "/setup/events", token, Map.of(
                "requestUrl", hub().baseUrl() + "/actuator/health", "signingSecret", "0123456789abcdef0123456789abcdef"));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.body().get("detail").asText()).contains("challenge");
        HubClient.Response elsewhere = hub().call("PUT", base() + "/setup/events", token, Map.of(
                "requestUrl", "http://example.com/slack/events", "signingSecret", "0123456789abcdef0123456789abcdef"));
        assertThat(elsewhere.status()).as(elsewhere.raw()).isEqualTo(400);
        assertThat(elsewhere.body().get("detail").asText()).startsWith("requestUrl: ");
        assertThat(hub().ok("GET", base() + "/setup/events", token, null).get("subscribed").asBoolean()).isFalse();

        assertThat(hub().ok("POST", base() + "/setup/latency", token, Map.of("latencyMs", 5)).get("latencyMs").asInt()).isEqualTo(5);
    }
}
