package sandbox.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import sandbox.kit.Hmac;
import sandbox.kit.TokenText;
import sandbox.kit.WebhookSender;

/**
 * The Events API of the sandbox app, per workspace: the Request URL and signing secret set through the setup API
 * (standing in for the app's Event Subscriptions screen, which checks the URL with a signed {@code url_verification}
 * first), and one event per request on the kit's {@link WebhookSender}, wrapped as Slack wraps them
 * ({@code event_callback}) and signed as Slack signs them: {@code X-Slack-Signature: v0=<hex HMAC-SHA256(secret,
 * "v0:" + timestamp + ":" + body)>} with {@code X-Slack-Request-Timestamp} in seconds, re-signed on every retry, which
 * also carries {@code X-Slack-Retry-Num} and {@code X-Slack-Retry-Reason}. Messages posted, edited
 * ({@code message_changed}) and deleted ({@code message_deleted}) in the workspace's channels are sent.
 */
final class SlackEvents implements SlackWorkspace.Listener {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PENDING = 50_000;
    private static final ThreadLocal<Integer> RETRY = new ThreadLocal<>();

    /** A workspace's subscription and its queue. */
    record Subscription(URI requestUrl, String signingSecret, WebhookSender.Queue<ObjectNode> queue) {
    }

    private final WebhookSender sender;
    private final Clock clock;
    private final Map<SlackWorkspace, Subscription> subscriptions = Collections.synchronizedMap(new WeakHashMap<>());
    private final AtomicLong eventIds;
    private final HttpClient http;

    SlackEvents(SlackSandboxProperties properties, Clock clock) {
        this.clock = clock;
        this.eventIds = new AtomicLong(clock.millis());
        this.sender = new WebhookSender("sandbox-slack-events", 2, new WebhookSender.Policy(Duration.ZERO, 1, MAX_PENDING,
                properties.webhookRetryInitial(), properties.webhookRetryMax(), properties.webhookMaxAttempts(), null,
                properties.webhookTimeout(), properties.webhookAllowedHosts(), "hub.sandbox.slack.webhook-allowed-hosts"), clock);
        this.http = HttpClient.newBuilder().connectTimeout(properties.webhookTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Sets the workspace's Request URL after checking it as Slack does: a signed {@code url_verification} whose challenge the
     * URL must answer (as text, a form {@code challenge=} or JSON {@code {"challenge"}}). Throws a setup error naming what failed.
     */
    Subscription subscribe(SlackWorkspace workspace, String url, int ownPort, String signingSecret) {
        URI target = sender.destination(url, ownPort);
        String challenge = TokenText.urlSafe(40);
        ObjectNode verification = JSON.createObjectNode().put("token", "sandbox-verification-token").put("challenge", challenge)
                .put("type", "url_verification");
        byte[] body = bytes(verification);
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(sender.policy().timeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers(signingSecret, body, clock.instant()).forEach(request::header);
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = answer.body() == null ? "" : answer.body();
            if (answer.statusCode() != 200 || !text.contains(challenge)) {
                throw SlackApiError.setup("Your URL didn't respond with the value of the challenge parameter (HTTP " + answer.statusCode() + ")");
            }
        } catch (IOException e) {
            throw SlackApiError.setup("Your request URL could not be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SlackApiError.setup("interrupted while verifying the request URL");
        }
        unsubscribe(workspace);
        WebhookSender.Queue<ObjectNode> queue = sender.open("slack workspace " + workspace.teamId, target, new WebhookSender.Format<>() {
            @Override
            public byte[] body(List<WebhookSender.Attempt<ObjectNode>> batch) {
                // the sender asks for the headers right after the body, on the same thread
                RETRY.set(batch.get(0).previousAttempts());
                return bytes(batch.get(0).item());
            }

            @Override
            public Map<String, String> headers(URI to, byte[] bytes, Instant sentAt) {
                Map<String, String> headers = new LinkedHashMap<>(SlackEvents.headers(signingSecret, bytes, sentAt));
                Integer retry = RETRY.get();
                if (retry != null && retry > 0) {
                    headers.put("X-Slack-Retry-Num", Integer.toString(retry));
                    headers.put("X-Slack-Retry-Reason", "http_error");
                }
                return headers;
            }
        });
        Subscription subscription = new Subscription(target, signingSecret, queue);
        subscriptions.put(workspace, subscription);
        workspace.listen(this);
        return subscription;
    }

    void unsubscribe(SlackWorkspace workspace) {
        Subscription old = subscriptions.remove(workspace);
        if (old != null) {
            old.queue().close();
        }
    }

    Subscription subscription(SlackWorkspace workspace) {
        return subscriptions.get(workspace);
    }

    static Map<String, String> headers(String secret, byte[] body, Instant at) {
        String timestamp = Long.toString(at.getEpochSecond());
        String signature = "v0=" + HexFormat.of().formatHex(Hmac.sha256(secret, Hmac.utf8("v0:" + timestamp + ":"), body));
        return Map.of("Content-Type", "application/json", "X-Slack-Signature", signature, "X-Slack-Request-Timestamp", timestamp,
                "User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)");
    }

    @Override
    public void posted(SlackWorkspace workspace, SlackWorkspace.Channel channel, SlackWorkspace.Message message) {
        ObjectNode event = SlackJson.message(message, false).put("channel", channel.id).put("event_ts", SlackWorkspace.ts(message.ts))
                .put("channel_type", "channel");
        send(workspace, event);
    }

    @Override
    public void changed(SlackWorkspace workspace, SlackWorkspace.Channel channel, SlackWorkspace.Message message, String previousText,
                        long eventTs) {
        ObjectNode event = JSON.createObjectNode().put("type", "message").put("subtype", "message_changed").put("hidden", true)
                .put("channel", channel.id).put("ts", SlackWorkspace.ts(eventTs)).put("event_ts", SlackWorkspace.ts(eventTs))
                .put("channel_type", "channel");
        event.set("message", SlackJson.message(message, false));
        ObjectNode previous = SlackJson.message(message, false);
        previous.put("text", previousText);
        previous.remove("edited");
        event.set("previous_message", previous);
        send(workspace, event);
    }

    @Override
    public void deleted(SlackWorkspace workspace, SlackWorkspace.Channel channel, SlackWorkspace.Message message, long eventTs) {
        ObjectNode event = JSON.createObjectNode().put("type", "message").put("subtype", "message_deleted").put("hidden", true)
                .put("channel", channel.id).put("ts", SlackWorkspace.ts(eventTs)).put("event_ts", SlackWorkspace.ts(eventTs))
                .put("deleted_ts", SlackWorkspace.ts(message.ts)).put("channel_type", "channel");
        if (message.threadTs != null) {
            event.put("thread_ts", SlackWorkspace.ts(message.threadTs));
        }
        event.set("previous_message", SlackJson.message(message, false));
        send(workspace, event);
    }

    private void send(SlackWorkspace workspace, ObjectNode event) {
        Subscription subscription = subscriptions.get(workspace);
        if (subscription == null) {
            return;
        }
        long now = clock.millis();
        ObjectNode wrapper = JSON.createObjectNode().put("token", "sandbox-verification-token").put("team_id", workspace.teamId)
                .put("api_app_id", "A" + SlackWorkspace.id("castiel-sandbox-app", 10)).put("type", "event_callback")
                .put("event_id", "Ev" + Long.toString(eventIds.incrementAndGet(), 36).toUpperCase(Locale.ROOT))
                .put("event_time", now / 1000);
        wrapper.set("event", event);
        wrapper.putArray("authed_users").add(workspace.botUserId);
        wrapper.putArray("authorizations").addObject().put("team_id", workspace.teamId).put("user_id", workspace.botUserId)
                .put("is_bot", true).put("is_enterprise_install", false);
        subscription.queue().enqueue(wrapper);
    }

    @PreDestroy
    public int shutdown() {
        return sender.shutdown();
    }

    static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
