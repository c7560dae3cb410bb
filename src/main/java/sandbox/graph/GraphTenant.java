package sandbox.graph;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The sandbox tenant's Teams and OneDrive content: teams with channels and their messages (root messages and replies),
 * drives with folders and files. Every change gets the tenant's next sequence number, which is what delta tokens
 * remember; deleted messages and items are kept (marked) so a delta can report them. Each change is handed to the
 * listener (the subscriptions). All state is guarded by this object.
 */
final class GraphTenant {

    /** A change for the subscriptions: a channel message (or reply) or a drive's content. */
    record Change(String changeType, String teamId, String channelId, String rootId, String messageId, String driveId) {

        static Change message(String changeType, Message m) {
            return new Change(changeType, m.teamId, m.channelId, m.replyToId, m.id, null);
        }

        static Change drive(String driveId) {
            return new Change("updated", null, null, null, null, driveId);
        }
    }

    static final class Team {
        final String id;
        final String displayName;
        final String description;
        final Instant created;
        final Map<String, Channel> channels = new LinkedHashMap<>();

        Team(String id, String displayName, String description, Instant created) {
            this.id = id;
            this.displayName = displayName;
            this.description = description;
            this.created = created;
        }
    }

    static final class Channel {
        final String id;
        final String teamId;
        final String displayName;
        final String description;
        final Instant created;
        /** Root messages and replies by id. */
        final Map<String, Message> messages = new LinkedHashMap<>();

        Channel(String id, String teamId, String displayName, String description, Instant created) {
            this.id = id;
            this.teamId = teamId;
            this.displayName = displayName;
            this.description = description;
            this.created = created;
        }

        List<Message> roots() {
            return messages.values().stream().filter(m -> m.replyToId == null).toList();
        }
    }

    /** Who wrote a message or changed a file. */
    record User(String id, String displayName) {
    }

    static final class Message {
        final String id;
        final String teamId;
        final String channelId;
        final String replyToId;
        final Instant created;
        final User from;
        final String subject;
        final List<Message> replies = new ArrayList<>();
        String contentType;
        String content;
        Instant lastModified;
        Instant lastEdited;
        Instant deleted;
        /** Sequence of this message's last change; a root's {@code threadSeq} also counts its replies'. */
        long seq;
        long threadSeq;
        /** When the thread (a root and its replies) last changed. */
        Instant threadModified;

        Message(String id, String teamId, String channelId, String replyToId, Instant created, User from, String subject) {
            this.id = id;
            this.teamId = teamId;
            this.channelId = channelId;
            this.replyToId = replyToId;
            this.created = created;
            this.from = from;
            this.subject = subject;
        }
    }

    static final class Drive {
        final String id;
        final String name;
        final User owner;
        final Instant created;
        final String rootId;
        final Map<String, DriveItem> items = new LinkedHashMap<>();
        /** Tokens made before the drive's last resync (setup) are stale: 410 Gone. */
        long epoch = 1;

        Drive(String id, String name, User owner, Instant created, String rootId) {
            this.id = id;
            this.name = name;
            this.owner = owner;
            this.created = created;
            this.rootId = rootId;
        }
    }

    static final class DriveItem {
        final String id;
        final String driveId;
        final boolean folder;
        final Instant created;
        final User createdBy;
        final String guid = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
        String name;
        String parentId;
        String mimeType;
        byte[] content = new byte[0];
        Instant lastModified;
        User lastModifiedBy;
        int version = 1;
        int contentVersion = 1;
        boolean deleted;
        long seq;

        DriveItem(String id, String driveId, boolean folder, Instant created, User createdBy) {
            this.id = id;
            this.driveId = driveId;
            this.folder = folder;
            this.created = created;
            this.createdBy = createdBy;
        }
    }

    /** One page of a delta round: the items, and the sequence the next page starts after (or the round's end). */
    record Page<T>(List<T> items, long after, boolean more) {
    }

    final Map<String, Team> teams = new LinkedHashMap<>();
    final Map<String, Drive> drives = new LinkedHashMap<>();
    private final Clock clock;
    private final Consumer<Change> listener;
    private long seq;
    private long lastMessageId;

    GraphTenant(Clock clock, Consumer<Change> listener) {
        this.clock = clock;
        this.listener = listener;
    }

    Instant now() {
        return clock.instant();
    }

    synchronized long seq() {
        return seq;
    }

    private long next() {
        return ++seq;
    }

    // ------------------------------------------------------------------ teams

    synchronized Team addTeam(String id, String displayName, String description) {
        Team team = new Team(id, displayName, description, now());
        teams.put(id, team);
        return team;
    }

    synchronized Channel addChannel(Team team, String id, String displayName, String description) {
        Channel channel = new Channel(id, team.id, displayName, description, now());
        team.channels.put(id, channel);
        return channel;
    }

    synchronized Team team(String id) {
        Team team = teams.get(id);
        if (team == null) {
            throw GraphApiException.notFound("Team '" + id + "'");
        }
        return team;
    }

    synchronized Channel channel(String teamId, String channelId) {
        Channel channel = team(teamId).channels.get(channelId);
        if (channel == null) {
            throw GraphApiException.notFound("Channel '" + channelId + "'");
        }
        return channel;
    }

    synchronized Message message(String teamId, String channelId, String messageId) {
        Message message = channel(teamId, channelId).messages.get(messageId);
        if (message == null) {
            throw GraphApiException.notFound("Message '" + messageId + "'");
        }
        return message;
    }

    /** A new root message, or a reply when {@code replyToId} is given; {@code at} null: now. */
    synchronized Message post(String teamId, String channelId, String replyToId, User from, String contentType, String content,
            String subject, Instant at) {
        Channel channel = channel(teamId, channelId);
        Message root = null;
        if (replyToId != null) {
            root = channel.messages.get(replyToId);
            if (root == null || root.replyToId != null) {
                throw GraphApiException.notFound("Message '" + replyToId + "'");
            }
        }
        Instant created = at == null ? now() : at;
        long id = Math.max(created.toEpochMilli(), lastMessageId + 1);
        lastMessageId = id;
        Message message = new Message(Long.toString(id), teamId, channelId, replyToId, created, from,
                root == null ? subject : null);
        message.contentType = contentType;
        message.content = content;
        message.lastModified = created;
        channel.messages.put(message.id, message);
        if (root != null) {
            root.replies.add(message);
        }
        touch(channel, message);
        listener.accept(Change.message("created", message));
        return message;
    }

    synchronized Message edit(String teamId, String channelId, String messageId, String content) {
        Message message = live(message(teamId, channelId, messageId));
        message.content = content;
        message.lastModified = now();
        message.lastEdited = message.lastModified;
        touch(channel(teamId, channelId), message);
        listener.accept(Change.message("updated", message));
        return message;
    }

    synchronized Message delete(String teamId, String channelId, String messageId) {
        Message message = live(message(teamId, channelId, messageId));
        message.deleted = now();
        message.lastModified = message.deleted;
        message.content = "";
        touch(channel(teamId, channelId), message);
        listener.accept(Change.message("deleted", message));
        return message;
    }

    private static Message live(Message message) {
        if (message.deleted != null) {
            throw GraphApiException.notFound("Message '" + message.id + "'");
        }
        return message;
    }

    /** A change to a message is a change to its thread: the root comes back in the next delta (with its replies). */
    private void touch(Channel channel, Message message) {
        message.seq = next();
        message.threadSeq = message.seq;
        message.threadModified = message.lastModified;
        if (message.replyToId != null) {
            Message root = channel.messages.get(message.replyToId);
            root.threadSeq = message.seq;
            root.threadModified = message.lastModified;
        }
    }

    /** Root messages whose thread changed after {@code after} up to {@code until}, in change order, at most {@code top}. */
    synchronized Page<Message> messageDelta(Channel channel, long after, long until, int top, Predicate<Message> filter) {
        List<Message> changed = channel.roots().stream()
                .filter(m -> m.threadSeq > after && m.threadSeq <= until && filter.test(m))
                .sorted(Comparator.comparingLong(m -> m.threadSeq)).toList();
        List<Message> page = changed.subList(0, Math.min(top, changed.size()));
        boolean more = changed.size() > page.size();
        return new Page<>(List.copyOf(page), more ? page.get(page.size() - 1).threadSeq : until, more);
    }

    // ------------------------------------------------------------------ drives

    synchronized Drive addDrive(String id, String name, User owner, String rootId) {
        Drive drive = new Drive(id, name, owner, now(), rootId);
        DriveItem root = new DriveItem(rootId, id, true, drive.created, owner);
        root.name = "root";
        root.lastModified = drive.created;
        root.lastModifiedBy = owner;
        root.seq = next();
        drive.items.put(rootId, root);
        drives.put(id, drive);
        return drive;
    }

    synchronized Drive drive(String id) {
        Drive drive = drives.get(id);
        if (drive == null) {
            throw GraphApiException.notFound("Drive '" + id + "'");
        }
        return drive;
    }

    synchronized DriveItem item(String driveId, String itemId) {
        Drive drive = drive(driveId);
        DriveItem item = drive.items.get("root".equals(itemId) ? drive.rootId : itemId);
        if (item == null || item.deleted) {
            throw GraphApiException.notFound("Item '" + itemId + "'");
        }
        return item;
    }

    synchronized List<DriveItem> children(DriveItem folder) {
        return drive(folder.driveId).items.values().stream().filter(i -> !i.deleted && folder.id.equals(i.parentId)).toList();
    }

    /** A new file or folder under {@code parentId} (the root when null); {@code at} null: now. */
    synchronized DriveItem addItem(String driveId, String id, String parentId, String name, boolean folder, String mimeType,
            byte[] content, User by, Instant at) {
        Drive drive = drive(driveId);
        DriveItem parent = item(driveId, parentId == null ? drive.rootId : parentId);
        if (!parent.folder) {
            throw GraphApiException.invalid("parent '" + parent.id + "' is not a folder");
        }
        Instant created = at == null ? now() : at;
        DriveItem item = new DriveItem(id, driveId, folder, created, by);
        item.name = name;
        item.parentId = parent.id;
        item.mimeType = folder ? null : mimeType;
        item.content = content == null ? new byte[0] : content;
        item.lastModified = created;
        item.lastModifiedBy = by;
        item.seq = next();
        drive.items.put(id, item);
        listener.accept(Change.drive(driveId));
        return item;
    }

    /** Renames and/or replaces the content of a file (null: unchanged). */
    synchronized DriveItem changeItem(String driveId, String itemId, String name, byte[] content, User by) {
        DriveItem item = item(driveId, itemId);
        if (name != null) {
            item.name = name;
        }
        if (content != null) {
            item.content = content;
            item.contentVersion++;
        }
        item.version++;
        item.lastModified = now();
        item.lastModifiedBy = by;
        item.seq = next();
        listener.accept(Change.drive(driveId));
        return item;
    }

    /** Deletes an item and everything under it. */
    synchronized void deleteItem(String driveId, String itemId) {
        DriveItem item = item(driveId, itemId);
        if (item.id.equals(drive(driveId).rootId)) {
            throw GraphApiException.invalid("the root of a drive cannot be deleted");
        }
        for (DriveItem child : children(item)) {
            deleteItem(driveId, child.id);
        }
        item.deleted = true;
        item.lastModified = now();
        item.seq = next();
        listener.accept(Change.drive(driveId));
    }

    /** Items changed after {@code after} up to {@code until} (deleted ones only when {@code withDeleted}), at most {@code top}. */
    synchronized Page<DriveItem> driveDelta(Drive drive, long after, long until, int top, boolean withDeleted) {
        List<DriveItem> changed = drive.items.values().stream()
                .filter(i -> i.seq > after && i.seq <= until && (withDeleted || !i.deleted))
                .sorted(Comparator.comparingLong(i -> i.seq)).toList();
        List<DriveItem> page = changed.subList(0, Math.min(top, changed.size()));
        boolean more = changed.size() > page.size();
        return new Page<>(List.copyOf(page), more ? page.get(page.size() - 1).seq : until, more);
    }

    /** Makes the drive's earlier delta tokens stale (410 Gone with a resync hint). */
    synchronized void resync(String driveId) {
        drive(driveId).epoch++;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
