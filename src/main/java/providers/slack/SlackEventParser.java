package providers.slack;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import providers.webhooks.EventTypes;
import providers.webhooks.Forms;
import providers.webhooks.HubEvent;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Json;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.Signatures;
import providers.webhooks.WebhookEventParser;
import providers.webhooks.WebhookScheme;

/**
 * Slack. Events API (JSON): messages are notes (message_changed/message_replied update, message_deleted deletes,
 * externalId {@code channel:ts}); files are documents; channel_* events keep Slack's noun; other events
 * split at the first '_' (reaction_added -> reaction.added). Interactivity (form {@code payload=}) gives
 * {@code interaction.<type>}; slash commands give {@code command.invoked}. A reply, and an edit of one, names its thread
 * ({@code parentId}, {@code channel:thread_ts}): incremental passes read edits, deletions and replies from the delivery log
 * ({@link SlackChanges}), since Slack's history does not show them.
 */
@Component
public final class SlackEventParser implements WebhookEventParser {

    private static final Map<String, String> FILE_VERBS = Map.of(
            "file_created", EventTypes.CREATED, "file_shared", EventTypes.CREATED, "file_public", EventTypes.CREATED,
            "file_change", EventTypes.UPDATED, "file_unshared", EventTypes.UPDATED,
            "file_deleted", EventTypes.DELETED);
    private static final Map<String, String> CHANNEL_VERBS = Map.of(
            "channel_created", EventTypes.CREATED, "channel_deleted", EventTypes.DELETED,
            "channel_rename", EventTypes.UPDATED, "channel_archive", EventTypes.UPDATED,
            "channel_unarchive", EventTypes.UPDATED);

    @Override
    public WebhookScheme scheme() {
        return SlackVerifier.SCHEME;
    }

    @Override
    public List<HubEvent> parse(InboundWebhook request) {
        if (Forms.isForm(request)) {
            return form(Forms.fields(request.body()));
        }
        JsonNode body = Json.object(request.body());
        String type = Json.text(body, "type");
        if (type == null) {
            throw new MalformedWebhookException("body without type");
        }
        if (type.equals("url_verification") || type.equals("app_rate_limited")) {
            return List.of();
        }
        if (!type.equals("event_callback")) {
            return List.of(new HubEvent(EventTypes.of(type, "received"), type, null, type));
        }
        JsonNode event = body.get("event");
        String eventType = Json.text(event, "type");
        if (eventType == null) {
            throw new MalformedWebhookException("event_callback without event.type");
        }
        return List.of(event(event, eventType));
    }

    private static HubEvent event(JsonNode event, String type) {
        if (type.equals("message")) {
            return message(event);
        }
        String fileVerb = FILE_VERBS.get(type);
        if (fileVerb != null) {
            String fileId = Json.text(event, "file_id");
            return new HubEvent(EventTypes.of(EventTypes.DOCUMENT, fileVerb), "file",
                    fileId != null ? fileId : Json.text(event, "file", "id"), type);
        }
        if (type.startsWith("channel_")) {
            String verb = CHANNEL_VERBS.getOrDefault(type, type.substring("channel_".length()));
            String channelId = Json.text(event, "channel", "id");
            return new HubEvent(EventTypes.of("channel", verb), "channel",
                    channelId != null ? channelId : Json.text(event, "channel"), type);
        }
        int underscore = type.indexOf('_');
        if (underscore < 0) {
            return new HubEvent(EventTypes.of(type, "received"), type, null, type);
        }
        String noun = type.substring(0, underscore);
        return new HubEvent(EventTypes.of(noun, type.substring(underscore + 1)), noun, null, type);
    }

    private static HubEvent message(JsonNode event) {
        String subtype = Json.text(event, "subtype");
        String channel = Json.text(event, "channel");
        String providerType = subtype == null ? "message" : "message." + subtype;
        if ("message_changed".equals(subtype) || "message_replied".equals(subtype)) {
            String ts = Json.text(event, "message", "ts");
            return new HubEvent(EventTypes.of(EventTypes.NOTE, EventTypes.UPDATED), "message",
                    messageId(channel, ts), providerType, thread(channel, ts, Json.text(event, "message", "thread_ts")));
        }
        if ("message_deleted".equals(subtype)) {
            return new HubEvent(EventTypes.of(EventTypes.NOTE, EventTypes.DELETED), "message",
                    messageId(channel, Json.text(event, "deleted_ts")), providerType);
        }
        String ts = Json.text(event, "ts");
        return new HubEvent(EventTypes.of(EventTypes.NOTE, EventTypes.CREATED), "message",
                messageId(channel, ts), providerType, thread(channel, ts, Json.text(event, "thread_ts")));
    }

    // a reply's thread is its parent message; a thread's parent (thread_ts = ts) belongs to none
    private static String thread(String channel, String ts, String threadTs) {
        return threadTs == null || threadTs.equals(ts) ? null : messageId(channel, threadTs);
    }

    // a Slack message is identified by its channel and its ts
    private static String messageId(String channel, String ts) {
        if (ts == null) {
            return null;
        }
        return channel == null ? ts : channel + ":" + ts;
    }

    private static List<HubEvent> form(Map<String, String> fields) {
        String payload = fields.get("payload");
        if (payload != null) {
            JsonNode interaction = Json.object(Signatures.utf8(payload));
            String type = Json.text(interaction, "type");
            if (type == null) {
                throw new MalformedWebhookException("interaction payload without type");
            }
            String externalId = messageId(Json.text(interaction, "channel", "id"),
                    Json.text(interaction, "message", "ts"));
            return List.of(new HubEvent(EventTypes.of("interaction", type), "interaction", externalId, type));
        }
        String command = fields.get("command");
        if (command != null) {
            return List.of(new HubEvent("command.invoked", "command", null, command));
        }
        throw new MalformedWebhookException("form body is neither an interaction nor a slash command");
    }
}
