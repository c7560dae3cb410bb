package sandbox.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import sandbox.kit.SetupResources;
import sandbox.kit.WebhookDestinations;
import sandbox.kit.WebhookSender;

/**
 * Sandbox only, not a Slack API: what a test or a demo sets up in its workspace, authenticated with the workspace's static
 * bot token ({@code xoxb-sandbox[-name]}, also once revoked), not counted against its limits; refusals are 400
 * {@code {"ok": false, "error": "invalid_arguments", "detail"}}.
 *
 * <ul>
 *   <li>{@code GET /setup/workspace}: team id, url, bot user, Web API calls let in so far ({@code apiCalls}), channels
 *       (id, name, member, messages), users.
 *       {@code POST /setup/reset} {@code {"channels", "messagesPerChannel", "threadEvery"}} (each optional): seeded anew.</li>
 *   <li>{@code GET|POST /setup/limits} {@code {"rateLimit", "windowSeconds"}}: the Tier 3 window, with calls used and
 *       violations (429s); {@code GET /setup/limits/users} the Tier 4 one. {@code GET|POST /setup/latency}
 *       {@code {"latencyMs"}}: what every API call waits (null: the configured {@code latency-ms}).</li>
 *   <li>{@code POST /setup/revoke} {@code {"revoked": true|false}}: every token of the workspace answers
 *       {@code token_revoked} (as after {@code auth.revoke} or an uninstall), or works again.
 *       {@code GET|POST /setup/tokens} {@code {"accessTokenTtlSeconds"}}: the lifetime of rotating OAuth access tokens
 *       issued from now on; {@code POST /setup/tokens/expire}: its rotating OAuth access tokens expire now.</li>
 *   <li>{@code GET|PUT|DELETE /setup/events} {@code {"requestUrl", "signingSecret"}}: the app's Event Subscriptions
 *       (verified with a signed {@code url_verification} first), with delivery counters.</li>
 *   <li>{@code POST /setup/channels} {@code {"name", "member"}}: a new public channel (the bot a member or not).</li>
 *   <li>{@code GET /setup/messages?channel=}: every message of a channel, replies after their parent (ground truth).
 *       {@code POST /setup/messages} {@code {"channel", "text", "user", "threadTs"}} posts as a person of the workspace
 *       (the first one without {@code user}); {@code PATCH} {@code {"channel", "ts", "text"}} edits;
 *       {@code DELETE} {@code {"channel", "ts"}} deletes. Each sends its event when events are set up.</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.slack.enabled"}, havingValue = "true")
public class SlackSetupController extends SlackApiSupport {

    static final String SETUP = BASE + "/setup";
    private static final Function<String, RuntimeException> INVALID = SlackApiError::setup;

    SlackSetupController(SlackSandbox sandbox) {
        super(sandbox);
    }

    @GetMapping(SETUP + "/workspace")
    public ResponseEntity<byte[]> describe(HttpServletRequest request) {
        return ok(describe(workspace(request)));
    }

    @PostMapping(SETUP + "/reset")
    public ResponseEntity<byte[]> reset(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SlackWorkspace workspace = workspace(request);
        JsonNode root = SetupResources.optionalObject(body, INVALID);
        Long channels = SetupResources.wholeNumber(root, "channels", INVALID);
        Long messages = SetupResources.wholeNumber(root, "messagesPerChannel", INVALID);
        Long threadEvery = SetupResources.wholeNumber(root, "threadEvery", INVALID);
        if (channels != null && (channels < 0 || channels > SlackSandboxProperties.MAX_CHANNELS)) {
            throw INVALID.apply("channels: must be between 0 and " + SlackSandboxProperties.MAX_CHANNELS + ", not " + channels);
        }
        if (messages != null && (messages < 0 || messages > SlackSandboxProperties.MAX_MESSAGES)) {
            throw INVALID.apply("messagesPerChannel: must be between 0 and " + SlackSandboxProperties.MAX_MESSAGES + ", not " + messages);
        }
        if (threadEvery != null && (threadEvery < 0 || threadEvery > 1000)) {
            throw INVALID.apply("threadEvery: must be between 0 (no threads) and 1000, not " + threadEvery);
        }
        SlackSandboxProperties p = sandbox.properties;
        SlackWorkspace fresh = sandbox.reset(workspace, channels == null ? p.channels() : channels.intValue(),
                messages == null ? p.messagesPerChannel() : messages.intValue(), threadEvery == null ? p.threadEvery() : threadEvery.intValue());
        return ok(describe(fresh));
    }

    @GetMapping(SETUP + "/limits")
    public ResponseEntity<byte[]> limits(HttpServletRequest request) {
        return ok(SlackEvents.JSON.valueToTree(SetupResources.limits(workspace(request).calls, SlackWorkspace.TIER3)));
    }

    @GetMapping(SETUP + "/limits/users")
    public ResponseEntity<byte[]> userLimits(HttpServletRequest request) {
        return ok(SlackEvents.JSON.valueToTree(SetupResources.limits(workspace(request).calls, SlackWorkspace.TIER4)));
    }

    @PostMapping(SETUP + "/limits")
    public ResponseEntity<byte[]> configureLimits(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        return ok(SlackEvents.JSON.valueToTree(SetupResources.configureLimits(workspace(request).calls, SlackWorkspace.TIER3, body, INVALID)));
    }

    @GetMapping(SETUP + "/latency")
    public ResponseEntity<byte[]> latency(HttpServletRequest request) {
        return ok(SlackEvents.JSON.valueToTree(SetupResources.latency(workspace(request).calls)));
    }

    @PostMapping(SETUP + "/latency")
    public ResponseEntity<byte[]> configureLatency(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        return ok(SlackEvents.JSON.valueToTree(SetupResources.configureLatency(workspace(request).calls, body, INVALID)));
    }

    @PostMapping(SETUP + "/revoke")
    public ResponseEntity<byte[]> revoke(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SlackWorkspace workspace = workspace(request);
        JsonNode root = SetupResources.optionalObject(body, INVALID);
        JsonNode revoked = root.get("revoked");
        if (revoked != null && !revoked.isBoolean()) {
            throw INVALID.apply("revoked: must be true or false");
        }
        workspace.revoke(revoked == null || revoked.booleanValue());
        return ok(object().put("revoked", workspace.revoked()));
    }

    @GetMapping(SETUP + "/tokens")
    public ResponseEntity<byte[]> tokenLifetime(HttpServletRequest request) {
        return ok(object().put("accessTokenTtlSeconds", sandbox.ttl(workspace(request)).toSeconds()));
    }

    @PostMapping(SETUP + "/tokens")
    public ResponseEntity<byte[]> setTokenLifetime(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SlackWorkspace workspace = workspace(request);
        Long seconds = SetupResources.wholeNumber(SetupResources.object(body, INVALID), "accessTokenTtlSeconds", INVALID);
        if (seconds == null || seconds < 1 || seconds > 86_400 * 30) {
            throw INVALID.apply("accessTokenTtlSeconds: required, between 1 and 2592000");
        }
        workspace.accessTokenTtl(Duration.ofSeconds(seconds));
        return tokenLifetime(request);
    }

    @PostMapping(SETUP + "/tokens/expire")
    public ResponseEntity<byte[]> expire(HttpServletRequest request) {
        return ok(object().put("expired", sandbox.expireAccessTokens(workspace(request))));
    }

    @GetMapping(SETUP + "/events")
    public ResponseEntity<byte[]> events(HttpServletRequest request) {
        return ok(events(workspace(request)));
    }

    @PutMapping(SETUP + "/events")
    public ResponseEntity<byte[]> subscribe(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SlackWorkspace workspace = workspace(request);
        JsonNode root = SetupResources.object(body, INVALID);
        String url = root.path("requestUrl").asText(null);
        String secret = root.path("signingSecret").asText(null);
        if (secret == null || secret.length() < 16) {
            throw INVALID.apply("signingSecret: required, at least 16 characters (Slack's are 32 hex characters)");
        }
        try {
            sandbox.events.subscribe(workspace, url, request.getLocalPort(), secret);
        } catch (WebhookDestinations.Refused e) {
            throw INVALID.apply("requestUrl: " + e.getMessage());
        }
        return ok(events(workspace));
    }

    @DeleteMapping(SETUP + "/events")
    public ResponseEntity<byte[]> unsubscribe(HttpServletRequest request) {
        SlackWorkspace workspace = workspace(request);
        sandbox.events.unsubscribe(workspace);
        return ok(events(workspace));
    }

    @PostMapping(SETUP + "/channels")
    public ResponseEntity<byte[]> createChannel(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SlackWorkspace workspace = workspace(request);
        JsonNode root = SetupResources.object(body, INVALID);
        String name = root.path("name").asText("");
        if (!name.matches("[a-z0-9_-]{1,80}")) {
            throw INVALID.apply("name: lower-case letters, digits, '-' and '_', at most 80");
        }
        if (workspace.channel(name) != null) {
            throw INVALID.apply("name: a channel '" + name + "' exists");
        }
        ObjectNode answer = object();
        answer.set("channel", SlackJson.channel(workspace.createChannel(name, root.path("member").asBoolean(true))));
        return ok(answer);
    }

    @GetMapping(SETUP + "/messages")
    public ResponseEntity<byte[]> messages(HttpServletRequest request) {
        SlackWorkspace workspace = workspace(request);
        SlackWorkspace.Channel channel = channel(workspace, request.getParameter("channel"));
        ObjectNode answer = object().put("channel", channel.id);
        ArrayNode messages = answer.putArray("messages");
        synchronized (workspace) {
            workspace.everything(channel).forEach(m -> messages.add(SlackJson.message(m, true)));
        }
        return ok(answer);
    }

    @PostMapping(SETUP + "/messages")
    public ResponseEntity<byte[]> post(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SlackWorkspace workspace = workspace(request);
        JsonNode root = SetupResources.object(body, INVALID);
        SlackWorkspace.Channel channel = channel(workspace, root.path("channel").asText(null));
        String text = text(root);
        String user = root.path("user").asText(null);
        if (user == null) {
            user = workspace.users.values().stream().filter(u -> !u.bot()).map(SlackWorkspace.User::id).findFirst().orElse(workspace.botUserId);
        } else if (!workspace.users.containsKey(user)) {
            throw INVALID.apply("user: no user " + user + " in the workspace");
        }
        Long threadTs = null;
        if (root.hasNonNull("threadTs")) {
            threadTs = SlackWorkspace.parseTs(root.get("threadTs").asText());
            if (threadTs == null) {
                throw INVALID.apply("threadTs: not a ts");
            }
        }
        SlackWorkspace.Message message = workspace.post(channel, user, text, threadTs);
        if (message == null) {
            throw INVALID.apply("threadTs: no message " + root.get("threadTs").asText() + " in " + channel.id);
        }
        return ok(posted(channel, message));
    }

    @PatchMapping(SETUP + "/messages")
    public ResponseEntity<byte[]> edit(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        return change(body, request, (workspace, channel, root) -> workspace.edit(channel, ts(root), text(root)));
    }

    @DeleteMapping(SETUP + "/messages")
    public ResponseEntity<byte[]> delete(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        return change(body, request, (workspace, channel, root) -> workspace.delete(channel, ts(root)));
    }

    /** A change to an existing message of the body's channel; null from the change: no such message. */
    private interface MessageChange {
        SlackWorkspace.Message apply(SlackWorkspace workspace, SlackWorkspace.Channel channel, JsonNode root);
    }

    private ResponseEntity<byte[]> change(byte[] body, HttpServletRequest request, MessageChange change) {
        SlackWorkspace workspace = workspace(request);
        JsonNode root = SetupResources.object(body, INVALID);
        SlackWorkspace.Channel channel = channel(workspace, root.path("channel").asText(null));
        SlackWorkspace.Message message = change.apply(workspace, channel, root);
        if (message == null) {
            throw INVALID.apply("ts: no message " + root.path("ts").asText() + " in " + channel.id);
        }
        return ok(posted(channel, message));
    }

    private static ObjectNode posted(SlackWorkspace.Channel channel, SlackWorkspace.Message message) {
        ObjectNode answer = object().put("channel", channel.id).put("ts", SlackWorkspace.ts(message.ts));
        answer.set("message", SlackJson.message(message, true));
        return answer;
    }

    private static SlackWorkspace.Channel channel(SlackWorkspace workspace, String idOrName) {
        SlackWorkspace.Channel channel = workspace.channel(idOrName);
        if (channel == null) {
            throw INVALID.apply("channel: no channel '" + idOrName + "' in the workspace");
        }
        return channel;
    }

    private static long ts(JsonNode root) {
        Long ts = SlackWorkspace.parseTs(root.path("ts").asText(null));
        if (ts == null) {
            throw INVALID.apply("ts: required, a message ts such as 1512085950.000216");
        }
        return ts;
    }

    private static String text(JsonNode root) {
        String text = root.path("text").asText("");
        if (text.isEmpty() || text.length() > 40_000) {
            throw INVALID.apply("text: required, at most 40,000 characters");
        }
        return text;
    }

    private ObjectNode describe(SlackWorkspace workspace) {
        ObjectNode answer = object().put("name", workspace.name).put("teamId", workspace.teamId).put("url", workspace.url())
                .put("botUserId", workspace.botUserId).put("revoked", workspace.revoked()).put("apiCalls", workspace.apiCalls.get());
        ArrayNode channels = answer.putArray("channels");
        ArrayNode users = answer.putArray("users");
        synchronized (workspace) {
            for (SlackWorkspace.Channel c : workspace.channels.values()) {
                channels.addObject().put("id", c.id).put("name", c.name).put("member", c.member).put("messages", workspace.everything(c).size())
                        .put("topLevel", c.messages.size());
            }
            workspace.users.values().forEach(u -> users.addObject().put("id", u.id()).put("name", u.name()).put("realName", u.realName())
                    .put("bot", u.bot()));
        }
        return answer;
    }

    private ObjectNode events(SlackWorkspace workspace) {
        SlackEvents.Subscription subscription = sandbox.events.subscription(workspace);
        ObjectNode answer = object().put("subscribed", subscription != null);
        if (subscription != null) {
            WebhookSender.Status<ObjectNode> status = subscription.queue().status();
            answer.put("requestUrl", subscription.requestUrl().toString()).put("delivered", status.delivered())
                    .put("dropped", status.dropped()).put("requests", status.requests()).put("failedRequests", status.failedRequests())
                    .put("pending", status.pending().size());
            if (status.lastStatusCode() != null) {
                answer.put("lastStatusCode", status.lastStatusCode());
            }
            if (status.lastError() != null) {
                answer.put("lastError", status.lastError());
            }
        }
        return answer;
    }
}
