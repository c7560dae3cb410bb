package sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import hub.EmbeddedHubTest;
import hub.HubClient;

/**
 * The sandbox records chat.postMessage calls and incoming-webhook posts with Slack's answers, and paces posting as Slack
 * does: one message a second a channel, the next one 429 with Retry-After.
 */
class SlackPostsTest extends EmbeddedHubTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private String base() {
        return hub().baseUrl() + "/sandbox/slack";
    }

    private HttpResponse<String> send(String url, String contentType, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void chatPostMessageIsPacedPerChannelAndRecordedWithItsBlocks() throws Exception {
        String token = "xoxb-sandbox-posts-" + UUID.randomUUID().toString().substring(0, 8);
        hub().ok("POST", base() + "/setup/channels", token, Map.of("name", "paced", "member", true));
        hub().ok("POST", base() + "/setup/channels", token, Map.of("name", "other", "member", true));
        String blocks = "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*hello*\"}}]";
        String form = "channel=paced&text=hello&blocks=" + URLEncoder.encode(blocks, StandardCharsets.UTF_8);
        HttpResponse<String> first = send(base() + "/api/chat.postMessage", "application/x-www-form-urlencoded", token, form);
        HttpResponse<String> second = send(base() + "/api/chat.postMessage", "application/x-www-form-urlencoded", token, form);
        HttpResponse<String> elsewhere = send(base() + "/api/chat.postMessage", "application/x-www-form-urlencoded", token,
                "channel=other&text=hello");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(HubClient.JSON.readTree(first.body()).path("ok").asBoolean()).isTrue();
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(elsewhere.statusCode()).as("another channel has its own pace").isEqualTo(200);

        JsonNode posts = hub().ok("GET", base() + "/setup/posts?channel=paced", token, null);
        assertThat(posts.path("posts")).hasSize(2);
        assertThat(posts.path("posts").get(0).path("blocks").get(0).path("text").path("text").asText()).isEqualTo("*hello*");
        assertThat(posts.path("posts").get(1).path("status").asInt()).isEqualTo(429);
        assertThat(posts.path("rateLimited").asInt()).isEqualTo(1);

        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(51, "{\"type\":\"divider\"}")) + "]";
        JsonNode refused = HubClient.JSON.readTree(send(base() + "/api/chat.postMessage", "application/x-www-form-urlencoded", token,
                "channel=other&text=x&blocks=" + URLEncoder.encode(tooMany, StandardCharsets.UTF_8)).body());
        assertThat(refused.path("error").asText()).isEqualTo("invalid_blocks");
    }

    @Test
    void incomingWebhooksAnswerAsSlackDoes() throws Exception {
        String token = "xoxb-sandbox-hooks-" + UUID.randomUUID().toString().substring(0, 8);
        hub().ok("POST", base() + "/setup/channels", token, Map.of("name", "hooked", "member", true));
        JsonNode hook = hub().ok("POST", base() + "/setup/incoming-webhooks", token, Map.of("channel", "hooked"));
        String url = hook.path("url").asText();
        assertThat(url).startsWith(base() + "/services/T");

        HttpResponse<String> ok = send(url, "application/json", null, "{\"text\":\"deploy done\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok");
        HttpResponse<String> limited = send(url, "application/json", null, "{\"text\":\"again\"}");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).isEqualTo("rate_limited");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(send(url, "application/json", null, "not json").body()).isEqualTo("invalid_payload");
        assertThat(send(url + "x", "application/json", null, "{\"text\":\"x\"}").statusCode()).isEqualTo(404);

        JsonNode messages = hub().ok("GET", base() + "/setup/messages?channel=hooked", token, null).path("messages");
        assertThat(messages.toString()).contains("deploy done").doesNotContain("again");
        List<String> vias = HubClient.JSON.convertValue(hub().ok("GET", base() + "/setup/posts?channel=hooked", token, null).path("posts")
                .findValuesAsText("via"), List.class);
        assertThat(vias).containsOnly("incoming-webhook");

        hub().ok("DELETE", base() + "/setup/incoming-webhooks/" + hook.path("secret").asText(), token, null);
        HttpResponse<String> gone = send(url, "application/json", null, "{\"text\":\"x\"}");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).isEqualTo("no_service");
    }
}
