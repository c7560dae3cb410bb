package sandbox.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import sandbox.kit.SetupResources;
import sandbox.kit.TokenText;

/**
 * Slack's incoming webhooks as the sandbox serves them, and what tests read of the posts a workspace got.
 *
 * <ul>
 *   <li>{@code POST /sandbox/slack/services/<team>/<bot>/<secret>} with JSON {@code {"text", "blocks"}}: 200 {@code ok}
 *       (text/html, as Slack answers); 400 {@code invalid_payload} (not JSON), {@code no_text}, {@code invalid_blocks};
 *       404 {@code no_service} (no such webhook, or removed); 404 {@code channel_not_found}; 429 with {@code Retry-After}
 *       above one message a second a channel. Recorded with the answer.</li>
 *   <li>Setup (the workspace's static token): {@code POST /setup/incoming-webhooks} {@code {"channel"}} answers the
 *       webhook's {@code url} (on the host the request came to); {@code DELETE /setup/incoming-webhooks/<secret>} removes it
 *       (then 404 {@code no_service}); {@code GET /setup/posts?channel=} lists chat.postMessage calls and webhook posts with
 *       the answers and how many were rate limited.</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.slack.enabled"}, havingValue = "true")
public class SlackIncomingWebhooks extends SlackApiSupport {

    static final int MAX_BLOCKS = 50;
    static final int MAX_SECTION_TEXT = 3000;
    private static final String SETUP = SlackSetupController.SETUP;
    private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);
    private static final Function<String, RuntimeException> INVALID = SlackApiError::setup;

    SlackIncomingWebhooks(SlackSandbox sandbox) {
        super(sandbox);
    }

    @PostMapping(BASE + "/services/{team}/{bot}/{secret}")
    public ResponseEntity<byte[]> post(@PathVariable String team, @PathVariable String bot, @PathVariable String secret,
                                       @RequestBody(required = false) byte[] body) {
        SlackSandbox.IncomingWebhook hook = sandbox.incomingWebhooks.get(secret);
        if (hook == null || !hook.teamId().equals(team) || !hook.botId().equals(bot)) {
            return answer(404, "no_service", null);
        }
        SlackWorkspace workspace = sandbox.find(hook.workspace());
        SlackWorkspace.Channel channel = workspace == null ? null : workspace.channel(hook.channelId());
        if (channel == null) {
            return answer(404, "channel_not_found", null);
        }
        JsonNode root;
        try {
            root = body == null ? null : SlackEvents.JSON.readTree(body);
        } catch (java.io.IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            workspace.posts.record("incoming-webhook", channel.id, null, null, 400, "invalid_payload", null);
            return answer(400, "invalid_payload", null);
        }
        String text = root.path("text").asText("");
        JsonNode blocks = root.get("blocks");
        String refusal = text.isEmpty() && blocks == null ? "no_text" : invalidBlocks(blocks);
        if (refusal != null) {
            workspace.posts.record("incoming-webhook", channel.id, text, blocks, 400, refusal, null);
            return answer(400, refusal, null);
        }
        long wait = workspace.posts.admit(channel.id);
        if (wait > 0) {
            workspace.posts.record("incoming-webhook", channel.id, text, blocks, 429, "rate_limited", wait);
            return answer(429, "rate_limited", wait);
        }
        workspace.post(channel, workspace.botUserId, text.isEmpty() ? "(blocks)" : text, null);
        workspace.posts.record("incoming-webhook", channel.id, text, blocks, 200, null, null);
        return answer(200, "ok", null);
    }

    @PostMapping(SETUP + "/incoming-webhooks")
    public ResponseEntity<byte[]> create(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SlackWorkspace workspace = workspace(request);
        JsonNode root = SetupResources.object(body, INVALID);
        SlackWorkspace.Channel channel = workspace.channel(root.path("channel").asText(""));
        if (channel == null) {
            throw INVALID.apply("channel: no such channel");
        }
        SlackSandbox.IncomingWebhook hook = new SlackSandbox.IncomingWebhook(workspace.name, channel.id, workspace.teamId,
                "B" + TokenText.urlSafe(10).toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "X"), TokenText.urlSafe(24));
        sandbox.incomingWebhooks.put(hook.secret(), hook);
        String base = request.getRequestURL().toString();
        base = base.substring(0, base.indexOf(BASE));
        return ok(object().put("url", base + BASE + hook.path()).put("channel", channel.id).put("secret", hook.secret()));
    }

    @DeleteMapping(SETUP + "/incoming-webhooks/{secret}")
    public ResponseEntity<byte[]> remove(@PathVariable String secret, HttpServletRequest request) {
        SlackWorkspace workspace = workspace(request);
        SlackSandbox.IncomingWebhook hook = sandbox.incomingWebhooks.get(secret);
        if (hook == null || !hook.workspace().equals(workspace.name)) {
            throw INVALID.apply("secret: no such incoming webhook");
        }
        sandbox.incomingWebhooks.remove(secret);
        return ok(object().put("removed", secret));
    }

    @GetMapping(SETUP + "/posts")
    public ResponseEntity<byte[]> posts(HttpServletRequest request) {
        SlackWorkspace workspace = workspace(request);
        String name = request.getParameter("channel");
        SlackWorkspace.Channel channel = name == null ? null : workspace.channel(name);
        if (name != null && channel == null) {
            throw INVALID.apply("channel: no such channel");
        }
        return ok(workspace.posts.json(channel == null ? null : channel.id));
    }

    private static ResponseEntity<byte[]> answer(int status, String text, Long retryAfter) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(HTML);
        if (retryAfter != null) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        }
        return answer.body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Block Kit JSON of a chat.postMessage {@code blocks} parameter; null when absent, a text node when not JSON. */
    static JsonNode blocks(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return SlackEvents.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return SlackEvents.JSON.getNodeFactory().textNode(text);
        }
    }

    /** Slack's error for blocks past its limits ({@code invalid_blocks}), or null when they pass. */
    static String invalidBlocks(JsonNode blocks) {
        if (blocks == null) {
            return null;
        }
        if (!blocks.isArray() || blocks.size() > MAX_BLOCKS) {
            return "invalid_blocks";
        }
        for (JsonNode block : blocks) {
            if (!block.path("type").isTextual() || block.path("text").path("text").asText("").length() > MAX_SECTION_TEXT) {
                return "invalid_blocks";
            }
        }
        return null;
    }

}
