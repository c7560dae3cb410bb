package sandbox.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a workspace was sent to post, as tests read it: every {@code chat.postMessage} call and incoming-webhook post
 * with its text, blocks and the sandbox's answer (HTTP status, Slack error, Retry-After). Posting is paced as Slack
 * paces it: one message a second a channel, a faster one answered 429 with {@code Retry-After}.
 */
final class SlackPosts {

    static final long MIN_INTERVAL_MS = 1000;

    /** One post: {@code via} chat.postMessage or incoming-webhook. */
    record Post(String via, String channel, String text, JsonNode blocks, int status, String error, Long retryAfter, Instant at) {
    }

    private final Clock clock;
    private final List<Post> posts = new ArrayList<>();
    private final Map<String, Long> lastAccepted = new ConcurrentHashMap<>();

    SlackPosts(Clock clock) {
        this.clock = clock;
    }

    /** Seconds to wait before the channel takes another message (0: it takes one now, counted as taken). */
    synchronized long admit(String channelId) {
        long now = clock.millis();
        Long last = lastAccepted.get(channelId);
        if (last != null && now - last < MIN_INTERVAL_MS) {
            return Math.max(1, (MIN_INTERVAL_MS - (now - last) + 999) / 1000);
        }
        lastAccepted.put(channelId, now);
        return 0;
    }

    synchronized void record(String via, String channel, String text, JsonNode blocks, int status, String error, Long retryAfter) {
        posts.add(new Post(via, channel, text, blocks, status, error, retryAfter, clock.instant()));
    }

    /** The posts to a channel (null: all), oldest first, and how many the pace refused. */
    synchronized ObjectNode json(String channelId) {
        ObjectNode answer = SlackEvents.JSON.createObjectNode();
        ArrayNode list = answer.putArray("posts");
        int limited = 0;
        for (Post p : posts) {
            if (channelId != null && !channelId.equals(p.channel())) {
                continue;
            }
            ObjectNode node = list.addObject().put("via", p.via()).put("channel", p.channel()).put("text", p.text())
                    .put("status", p.status()).put("at", p.at().toString());
            node.set("blocks", p.blocks());
            if (p.error() != null) {
                node.put("error", p.error());
            }
            if (p.retryAfter() != null) {
                node.put("retryAfter", p.retryAfter());
                limited++;
            }
        }
        answer.put("rateLimited", limited);
        return answer;
    }
}
