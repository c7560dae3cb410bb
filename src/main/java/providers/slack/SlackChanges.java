package providers.slack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import providers.webhooks.AnnouncedChanges;
import providers.webhooks.EventTypes;
import providers.webhooks.HubEvent;

/**
 * What the Events API told of an integration's messages that its Web API cannot tell an incremental pass: edits
 * ({@code message_changed}), deletions ({@code message_deleted}) and replies (a thread's new message, whose parent's
 * history entry does not move). {@link SlackEventParser} names them in each delivery's events, the receiver writes those to
 * the delivery log before it acknowledges the delivery, and a pass reads them back from there ({@link AnnouncedChanges}):
 * nothing is lost on a restart, and every instance sees the same.
 */
final class SlackChanges {

    enum Kind { EDITED, DELETED, REPLIED }

    /** One change: {@code threadTs} is the parent of a reply (null otherwise); {@code at} is when the hub received it. */
    record Change(Kind kind, String channel, String ts, String threadTs, Instant at) {

        /** Names this announcement (not the message: two edits of one message are two keys). */
        String key() {
            return at.toEpochMilli() + ":" + kind + ":" + channel + ":" + ts;
        }
    }

    private SlackChanges() {
    }

    /** The Slack message changes among announced events, in the order received (other events are left out). */
    static List<Change> of(List<AnnouncedChanges.Announced> announced) {
        List<Change> changes = new ArrayList<>();
        for (AnnouncedChanges.Announced a : announced) {
            HubEvent event = a.event();
            String[] id = split(event.externalId());
            if (!"message".equals(event.providerEntity()) || id == null) {
                continue;
            }
            String[] parent = split(event.parentId());
            String threadTs = parent == null ? null : parent[1];
            Kind kind = switch (event.type()) {
                case EventTypes.NOTE + "." + EventTypes.DELETED -> Kind.DELETED;
                case EventTypes.NOTE + "." + EventTypes.UPDATED -> Kind.EDITED;
                case EventTypes.NOTE + "." + EventTypes.CREATED -> threadTs == null ? null : Kind.REPLIED;
                default -> null;
            };
            if (kind != null) {
                changes.add(new Change(kind, id[0], id[1], threadTs, a.receivedAt()));
            }
        }
        return changes;
    }

    // channel:ts
    private static String[] split(String id) {
        int colon = id == null ? -1 : id.indexOf(':');
        return colon <= 0 || colon == id.length() - 1 ? null : new String[] {id.substring(0, colon), id.substring(colon + 1)};
    }
}
