package providers.slack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsListResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.model.Conversation;
import com.slack.api.model.ConversationType;
import com.slack.api.model.Message;
import com.slack.api.model.ResponseMetadata;
import com.slack.api.model.User;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import hub.InvalidInputException;
import providers.AdapterHealth;
import providers.ConnectionContext;
import providers.ConnectionTestResult;
import providers.DeletedRecord;
import providers.DeletedRecords;
import providers.EntityInfo;
import providers.FetchPage;
import providers.FetchRequest;
import providers.FieldInfo;
import providers.IntegrationAdapter;
import providers.PermanentProviderException;
import providers.ProviderDescriptor;
import providers.ProviderDescriptor.CredentialField;
import providers.ProviderException;
import providers.WebhookSubscription;
import providers.webhooks.AnnouncedChanges;
import security.InvalidCredentialsException;
import security.OutboundGuard;

/**
 * Slack: the messages of the channels an integration selects become notes, through the Web API
 * ({@link SlackClient}, slack-api-client). One entity, {@code messages}, whose records are top-level messages and thread
 * replies (a reply names its parent), id {@code <channel>:<ts>} as the Events API parser names them. See the package's
 * README for how one pass walks several channels ({@link SlackPass}) and how edits and deletions arrive.
 */
@Component
public class SlackAdapter implements IntegrationAdapter {

    public static final String PROVIDER_ID = SlackClient.PROVIDER_ID;
    public static final String MESSAGES = "messages";
    public static final String BOT_TOKEN_AUTH = "bot_token";
    /** Slack's recommended page size for cursor paging. */
    static final int MAX_PAGE = 200;
    private static final Pattern CHANNEL_ID = Pattern.compile("[CG][A-Z0-9]{6,}");
    /** Subtypes that are not something a person said. */
    private static final Set<String> SKIPPED = Set.of("channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name",
            "tombstone", "message_changed", "message_deleted");

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(
            PROVIDER_ID, "Slack", "communication", "active", "tenant",
            List.of(BOT_TOKEN_AUTH, "oauth2_authorization_code"),
            List.of(MESSAGES),
            List.of(new CredentialField(SlackClient.ACCESS_TOKEN, true, true, "Bot user OAuth token (xoxb-...)"),
                    new CredentialField(SlackClient.API_URL, false, false, "Web API URL, default " + SlackClient.DEFAULT_API_URL)),
            60);

    /** How far before the previous pass's end a pass reads announced changes again. */
    static final Duration OVERLAP = Duration.ofSeconds(30);

    private final SlackClient client;
    private final AnnouncedChanges announced;
    private final OutboundGuard guard;
    private final Clock clock;
    private final Duration threadWatch;
    /** Authors by user id, per integration; a pass starts with an empty one. */
    private final Map<String, Map<String, String>> authors = new ConcurrentHashMap<>();

    @Autowired
    SlackAdapter(SlackClient client, AnnouncedChanges announced, OutboundGuard guard,
                 @Value("${hub.providers.slack.thread-watch:7d}") Duration threadWatch) {
        this(client, announced, guard, threadWatch, Clock.systemUTC());
    }

    SlackAdapter(SlackClient client, AnnouncedChanges announced, OutboundGuard guard, Duration threadWatch, Clock clock) {
        this.client = client;
        this.announced = announced;
        this.guard = guard;
        this.threadWatch = threadWatch == null || threadWatch.isNegative() ? Duration.ofDays(7) : threadWatch;
        this.clock = clock;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** A bot token is {@code xoxb-...} without whitespace; the API URL an http(s) URL the outbound guard allows. */
    @Override
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        if (credentials.containsKey("clientId")) {
            return credentials;
        }
        Map<String, String> normalized = new LinkedHashMap<>(credentials);
        String token = normalized.get(SlackClient.ACCESS_TOKEN);
        if (token != null && (token.chars().anyMatch(Character::isWhitespace) || !token.startsWith("xox"))) {
            throw new InvalidCredentialsException(SlackClient.ACCESS_TOKEN, "must be a Slack token (xoxb-...) without whitespace");
        }
        String url = normalized.get(SlackClient.API_URL);
        if (url != null) {
            guard.checkBaseUrl(SlackClient.API_URL, url, SlackClient.DEFAULT_API_URL);
            normalized.put(SlackClient.API_URL, url.endsWith("/") ? url : url + "/");
        }
        return normalized;
    }

    @Override
    public void connect(ConnectionContext connection) {
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        client.forget(connection.integrationId());
        authors.remove(connection.integrationId());
    }

    /** {@code auth.test}: the workspace and bot user the token belongs to. */
    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        try {
            AuthTestResponse auth = client.call(connection, "auth.test", null, m -> m.authTest(r -> r));
            return ConnectionTestResult.success("Slack workspace " + auth.getTeam() + " (" + auth.getTeamId() + ") as " + auth.getUser());
        } catch (ProviderException e) {
            return ConnectionTestResult.failure(e.getMessage());
        }
    }

    /** Every selected channel (id, {@code name} or {@code #name}) must be a channel the app sees and is a member of. */
    @Override
    public void checkSources(ConnectionContext connection) {
        List<String> selected = connection.sources(MESSAGES);
        if (selected.isEmpty()) {
            return;
        }
        String field = connection.sources().containsKey(MESSAGES) ? "sources." + MESSAGES : "sources." + ConnectionContext.ANY_ENTITY;
        List<Conversation> channels = listChannels(connection);
        for (String source : selected) {
            Conversation found = find(channels, source);
            if (found == null) {
                throw new InvalidInputException(field, "unknown channel '" + source + "'");
            }
            if (!found.isMember()) {
                throw new InvalidInputException(field, "the app is not a member of channel '" + source + "': invite it to the channel first");
            }
        }
    }

    private static Conversation find(List<Conversation> channels, String source) {
        String name = source.startsWith("#") ? source.substring(1) : source;
        for (Conversation c : channels) {
            if (source.equals(c.getId()) || name.equals(c.getName())) {
                return c;
            }
        }
        return null;
    }

    /** Every public and private channel the token sees, paged by Slack's cursor. */
    private List<Conversation> listChannels(ConnectionContext connection) {
        List<Conversation> all = new ArrayList<>();
        String cursor = null;
        Set<String> seen = new LinkedHashSet<>();
        do {
            String at = cursor;
            ConversationsListResponse page = client.call(connection, "conversations.list", null, m -> m.conversationsList(r -> r
                    .types(List.of(ConversationType.PUBLIC_CHANNEL, ConversationType.PRIVATE_CHANNEL)).excludeArchived(true).limit(MAX_PAGE)
                    .cursor(at)));
            if (page.getChannels() != null) {
                all.addAll(page.getChannels());
            }
            cursor = nextCursor(page.getResponseMetadata());
            if (cursor != null && !seen.add(cursor)) {
                throw new PermanentProviderException("Slack conversations.list repeated a page cursor");
            }
        } while (cursor != null);
        return all;
    }

    private static String nextCursor(ResponseMetadata metadata) {
        String next = metadata == null ? null : metadata.getNextCursor();
        return next == null || next.isEmpty() ? null : next;
    }

    /**
     * Records are not in one marker order (several channels, threads after their channel): a pass goes on from the page
     * cursor, which carries where it stands ({@link SlackPass}), and ends with the next pass's marker.
     */
    @Override
    public boolean recordsInMarkerOrder() {
        return false;
    }

    /** Deletions come from the Events API's message_deleted, with the pass's last pages. */
    @Override
    public boolean deletionsInPages() {
        return true;
    }

    /**
     * One Slack call per page (the rate gate takes one token), plus a {@code users.info} for each author not yet known in
     * the pass (Tier 4, counted by Slack apart from the Tier 3 conversations methods).
     */
    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        entity(request.entity());
        if (request.pageCursor() == null) {
            return start(connection, request);
        }
        SlackPass pass = SlackPass.decode(request.pageCursor());
        int limit = Math.max(1, Math.min(MAX_PAGE, request.pageSize()));
        return switch (pass.ph) {
            case SlackPass.LIST -> resolve(connection, pass);
            case SlackPass.HISTORY -> history(connection, pass, limit);
            case SlackPass.REPLIES -> replies(connection, pass, limit);
            case SlackPass.CHANGES -> changes(connection, pass);
            default -> throw new PermanentProviderException("not a Slack page cursor");
        };
    }

    /** The first page: {@code auth.test} (the team the Events API names, the URL permalinks start with). */
    private FetchPage start(ConnectionContext connection, FetchRequest request) {
        SlackPass pass = new SlackPass();
        pass.full = request.since() == null;
        pass.from = pass.full ? new SlackPass.Marker() : SlackPass.Marker.decode(request.since());
        pass.to.c.putAll(pass.from.c);
        AuthTestResponse auth = client.call(connection, "auth.test", null, m -> m.authTest(r -> r));
        pass.team = auth.getTeamId();
        pass.url = auth.getUrl() == null ? "https://slack.com/" : auth.getUrl().endsWith("/") ? auth.getUrl() : auth.getUrl() + "/";
        // a full pass takes in every deletion the delivery log still holds; edits it reads anyway
        pass.e0 = pass.full ? 0 : Math.min(pass.from.e, clock.millis());
        pass.e1 = clock.millis();
        authors.put(connection.integrationId(), new ConcurrentHashMap<>());
        List<String> selected = connection.sources(MESSAGES);
        if (selected.isEmpty() || !selected.stream().allMatch(s -> CHANNEL_ID.matcher(s).matches())) {
            pass.sel = new ArrayList<>(selected);
            pass.ph = SlackPass.LIST;
        } else {
            pass.q = new ArrayList<>(new LinkedHashSet<>(selected));
            beginChannel(pass);
        }
        return new FetchPage(List.of(), pass.encode(), 0);
    }

    /** Channel names (and no selection: every channel the app is a member of) through {@code conversations.list}. */
    private FetchPage resolve(ConnectionContext connection, SlackPass pass) {
        String at = pass.k;
        ConversationsListResponse page = client.call(connection, "conversations.list", null, m -> m.conversationsList(r -> r
                .types(List.of(ConversationType.PUBLIC_CHANNEL, ConversationType.PRIVATE_CHANNEL)).excludeArchived(true).limit(MAX_PAGE)
                .cursor(at)));
        List<Conversation> channels = page.getChannels() == null ? List.of() : page.getChannels();
        if (pass.sel.isEmpty()) {
            channels.stream().filter(Conversation::isMember).forEach(c -> {
                pass.q.add(c.getId());
                pass.names.put(c.getId(), c.getName());
            });
        } else {
            for (String source : new ArrayList<>(pass.sel)) {
                Conversation found = find(channels, source);
                if (found != null) {
                    pass.q.add(found.getId());
                    pass.names.put(found.getId(), found.getName());
                    pass.sel.remove(source);
                }
            }
        }
        pass.k = nextCursor(page.getResponseMetadata());
        if (pass.k == null) {
            for (String source : pass.sel) {
                if (CHANNEL_ID.matcher(source).matches()) {
                    pass.q.add(source);
                } else {
                    throw new PermanentProviderException("Slack channel '" + source + "' is not a channel the app can see "
                            + "(unknown channel; check the integration's sources)");
                }
            }
            pass.sel = new ArrayList<>();
            pass.q = new ArrayList<>(new LinkedHashSet<>(pass.q));
            beginChannel(pass);
        }
        return new FetchPage(List.of(), pass.encode(), 0);
    }

    /**
     * The next channel's history walk, or the changes once every channel is done. An incremental walk reads from the older of
     * the channel's marker and the thread-watch window, so threads whose {@code latest_reply} moved are seen.
     */
    private void beginChannel(SlackPass pass) {
        pass.k = null;
        pass.hk = null;
        pass.hd = false;
        pass.th = new ArrayList<>();
        pass.seenThreads = new ArrayList<>();
        String channel = pass.channel();
        if (channel == null) {
            pass.ph = SlackPass.CHANGES;
            return;
        }
        pass.done.add(channel);
        pass.ph = SlackPass.HISTORY;
        String seen = pass.from.c.get(channel);
        pass.hw = seen;
        if (pass.full || seen == null) {
            pass.oldest = null;
        } else {
            String watch = ts(clock.instant().minus(threadWatch));
            pass.oldest = compareTs(watch, seen) < 0 ? watch : seen;
        }
    }

    private FetchPage history(ConnectionContext connection, SlackPass pass, int limit) {
        String channel = pass.channel();
        String cursor = pass.k;
        String oldest = pass.oldest;
        ConversationsHistoryResponse page = client.call(connection, "conversations.history", pass.channelName(channel),
                m -> m.conversationsHistory(r -> r.channel(channel).oldest(oldest).limit(limit).cursor(cursor)));
        String seen = pass.from.c.get(channel);
        List<Message> fresh = new ArrayList<>();
        for (Message message : page.getMessages() == null ? List.<Message>of() : page.getMessages()) {
            if (message.getTs() == null || (message.getSubtype() != null && SKIPPED.contains(message.getSubtype()))) {
                continue;
            }
            boolean isNew = pass.full || seen == null || compareTs(message.getTs(), seen) > 0;
            if (isNew) {
                fresh.add(message);
            }
            if (pass.hw == null || compareTs(message.getTs(), pass.hw) > 0) {
                pass.hw = message.getTs();
            }
            Integer replies = message.getReplyCount();
            String latest = message.getLatestReply();
            if (replies != null && replies > 0 && latest != null && (pass.full || seen == null || compareTs(latest, seen) > 0)) {
                pass.th.add(List.of(message.getTs(), pass.full || seen == null ? "" : seen));
                if (!pass.full) {
                    pass.seenThreads.add(message.getTs());
                }
            }
        }
        List<Map<String, Object>> records = records(connection, pass, channel, fresh);
        String next = nextCursor(page.getResponseMetadata());
        if (next == null) {
            historyDone(connection, pass, channel);
        }
        // the threads this page showed are read before the history goes on, so the cursor holds one page's threads at most
        pass.hk = next;
        pass.k = pass.th.isEmpty() ? next : null;
        if (!pass.th.isEmpty()) {
            pass.ph = SlackPass.REPLIES;
        } else if (next == null) {
            nextChannel(pass);
        }
        return new FetchPage(records, pass.encode(), records.size());
    }

    /**
     * The channel's history is read: its new mark is the newest top-level ts the read saw; an incremental pass also reads the
     * threads the Events API told of replies to (threads older than the watch, whose parents the history read did not show).
     */
    private void historyDone(ConnectionContext connection, SlackPass pass, String channel) {
        pass.hd = true;
        if (pass.hw != null) {
            pass.to.c.put(channel, pass.hw);
        }
        if (!pass.full) {
            Set<String> queued = new LinkedHashSet<>(pass.seenThreads);
            pass.th.forEach(t -> queued.add(t.get(0)));
            for (SlackChanges.Change change : announcedChanges(connection, pass)) {
                if (change.kind() == SlackChanges.Kind.REPLIED && change.channel().equals(channel) && queued.add(change.threadTs())) {
                    pass.th.add(List.of(change.threadTs(), ""));
                }
            }
        }
    }

    /**
     * The edits, deletions and replies the integration's deliveries announced in the pass's window, from {@link #OVERLAP}
     * before the previous pass's end (a delivery received just before that end may have been committed after it was read),
     * less those the previous pass took in within that overlap (its marker lists them), so an edit is re-read once.
     */
    private List<SlackChanges.Change> announcedChanges(ConnectionContext connection, SlackPass pass) {
        Set<String> taken = new HashSet<>(pass.from.s);
        return announcedWindow(connection, pass).stream().filter(c -> !taken.contains(c.key())).toList();
    }

    /** Every change announced in the window, those the previous pass took in within its overlap included. */
    private List<SlackChanges.Change> announcedWindow(ConnectionContext connection, SlackPass pass) {
        Instant after = pass.e0 == 0 ? Instant.EPOCH : Instant.ofEpochMilli(pass.e0).minus(OVERLAP);
        return SlackChanges.of(announced.between(connection.integrationId(), after, Instant.ofEpochMilli(pass.e1)));
    }

    private void nextChannel(SlackPass pass) {
        pass.q.remove(0);
        beginChannel(pass);
    }

    private FetchPage replies(ConnectionContext connection, SlackPass pass, int limit) {
        String channel = pass.channel();
        List<String> thread = pass.th.get(0);
        String parent = thread.get(0);
        String after = thread.get(1).isEmpty() ? null : thread.get(1);
        String cursor = pass.k;
        List<Map<String, Object>> records = List.of();
        try {
            ConversationsRepliesResponse page = client.call(connection, "conversations.replies", pass.channelName(channel),
                    m -> m.conversationsReplies(r -> r.channel(channel).ts(parent).oldest(after).limit(limit).cursor(cursor)));
            List<Message> fresh = new ArrayList<>();
            for (Message message : page.getMessages() == null ? List.<Message>of() : page.getMessages()) {
                if (message.getTs() == null || message.getTs().equals(parent) || (after != null && compareTs(message.getTs(), after) <= 0)
                        || (message.getSubtype() != null && SKIPPED.contains(message.getSubtype()))) {
                    continue;
                }
                fresh.add(message);
            }
            records = records(connection, pass, channel, fresh);
            pass.k = nextCursor(page.getResponseMetadata());
        } catch (PermanentProviderException e) {
            if (!e.getMessage().contains("(thread_not_found)")) {
                throw e;
            }
            // the parent was deleted since the history showed it: its replies went with it
            pass.k = null;
        }
        if (pass.k == null) {
            pass.th.remove(0);
            if (pass.th.isEmpty()) {
                if (!pass.hd) {
                    // back to the history, where it stopped
                    pass.ph = SlackPass.HISTORY;
                    pass.k = pass.hk;
                } else {
                    nextChannel(pass);
                }
            }
        }
        return new FetchPage(records, pass.encode(), records.size());
    }

    /**
     * The Events API's changes since the marker: deletions (no call, with the first of these pages) and edits, each re-read
     * (one call a page) so the note carries the message as Slack now holds it. The last page gives the next marker.
     */
    private FetchPage changes(ConnectionContext connection, SlackPass pass) {
        Set<String> channels = new LinkedHashSet<>(pass.done);
        List<SlackChanges.Change> all = announcedChanges(connection, pass).stream()
                .filter(c -> channels.contains(c.channel())).toList();
        List<DeletedRecord> deleted = new ArrayList<>();
        Set<String> gone = new LinkedHashSet<>();
        for (SlackChanges.Change change : all) {
            if (change.kind() == SlackChanges.Kind.DELETED) {
                gone.add(id(change.channel(), change.ts()));
                if (!pass.deletionsSent) {
                    deleted.add(new DeletedRecord(id(change.channel(), change.ts()), change.at()));
                }
            }
        }
        pass.deletionsSent = true;
        List<SlackChanges.Change> edits = pass.full ? List.of() : all.stream()
                .filter(c -> c.kind() == SlackChanges.Kind.EDITED && !gone.contains(id(c.channel(), c.ts()))).toList();
        List<Map<String, Object>> records = new ArrayList<>();
        if (pass.x < edits.size()) {
            SlackChanges.Change edit = edits.get(pass.x++);
            Message now = reread(connection, pass, edit);
            if (now != null) {
                records = records(connection, pass, edit.channel(), List.of(now));
            }
        }
        if (pass.x < edits.size()) {
            return new FetchPage(records, pass.encode(), records.size(), deleted, null);
        }
        pass.to.e = Math.max(pass.from.e, pass.e1);
        // what this pass took in within the next pass's overlap, so that pass does not take it in again
        Instant overlap = Instant.ofEpochMilli(pass.to.e).minus(OVERLAP);
        pass.to.s = announcedWindow(connection, pass).stream().filter(c -> c.at().isAfter(overlap)).map(SlackChanges.Change::key).toList();
        return new FetchPage(records, null, records.size(), deleted, pass.to.encode());
    }

    /** An edited message as Slack holds it now: from its thread when it is a reply, else from the history; null once gone. */
    private Message reread(ConnectionContext connection, SlackPass pass, SlackChanges.Change edit) {
        String channel = edit.channel();
        String ts = edit.ts();
        List<Message> found;
        try {
            if (edit.threadTs() != null && !edit.threadTs().equals(ts)) {
                ConversationsRepliesResponse page = client.call(connection, "conversations.replies", pass.channelName(channel),
                        m -> m.conversationsReplies(r -> r.channel(channel).ts(edit.threadTs()).oldest(ts).latest(ts).inclusive(true).limit(2)));
                found = page.getMessages();
            } else {
                ConversationsHistoryResponse page = client.call(connection, "conversations.history", pass.channelName(channel),
                        m -> m.conversationsHistory(r -> r.channel(channel).oldest(ts).latest(ts).inclusive(true).limit(1)));
                found = page.getMessages();
            }
        } catch (PermanentProviderException e) {
            if (e.getMessage().contains("(thread_not_found)")) {
                return null;
            }
            throw e;
        }
        return found == null ? null : found.stream().filter(m -> ts.equals(m.getTs())).findFirst().orElse(null);
    }

    // ------------------------------------------------------------------ records

    private List<Map<String, Object>> records(ConnectionContext connection, SlackPass pass, String channel, List<Message> messages) {
        List<Map<String, Object>> records = new ArrayList<>(messages.size());
        for (Message message : messages) {
            records.add(record(connection, pass, channel, message));
        }
        return records;
    }

    /**
     * A message as the hub reads it: {@code id} ({@code <channel>:<ts>}), {@code ts}, {@code text}, {@code user} and its
     * {@code author} (users.info's real name), {@code channel} and {@code channelName}, a reply's {@code threadTs} and its
     * parent's {@code parentId}, a parent's {@code replyCount}, {@code edited} with {@code editedAt}, {@code createdAt},
     * {@code updatedAt}, {@code version} (the edit's ts, else the message's) and {@code permalink}.
     */
    private Map<String, Object> record(ConnectionContext connection, SlackPass pass, String channel, Message message) {
        Map<String, Object> record = new LinkedHashMap<>();
        String ts = message.getTs();
        record.put("id", id(channel, ts));
        record.put("ts", ts);
        record.put("channel", channel);
        record.put("channelName", pass.names.containsKey(channel) ? "#" + pass.names.get(channel) : channel);
        record.put("text", message.getText() == null ? "" : message.getText());
        record.put("subtype", message.getSubtype());
        String user = message.getUser() != null ? message.getUser() : message.getBotId();
        record.put("user", user);
        record.put("author", author(connection, message));
        boolean reply = message.getThreadTs() != null && !message.getThreadTs().equals(ts);
        record.put("threadTs", reply ? message.getThreadTs() : null);
        record.put("parentId", reply ? id(channel, message.getThreadTs()) : null);
        record.put("replyCount", message.getReplyCount() == null ? 0 : message.getReplyCount());
        String edited = message.getEdited() == null ? null : message.getEdited().getTs();
        record.put("edited", edited != null);
        record.put("editedAt", edited == null ? null : instant(edited).toString());
        record.put("createdAt", instant(ts).toString());
        record.put("updatedAt", instant(edited != null ? edited : ts).toString());
        record.put("version", edited != null ? edited : ts);
        record.put("permalink", permalink(pass.url, channel, ts, reply ? message.getThreadTs() : null));
        return record;
    }

    /** Slack's permalink, built as {@code chat.getPermalink} builds it (no call per message). */
    static String permalink(String workspaceUrl, String channel, String ts, String threadTs) {
        String link = workspaceUrl + "archives/" + channel + "/p" + ts.replace(".", "");
        return threadTs == null ? link : link + "?thread_ts=" + threadTs + "&cid=" + channel;
    }

    /** The author's real name (else display name, else handle), through users.info once per user and pass; a bot's name. */
    private String author(ConnectionContext connection, Message message) {
        String user = message.getUser();
        if (user == null) {
            return message.getUsername() != null ? message.getUsername() : message.getBotId();
        }
        Map<String, String> known = authors.computeIfAbsent(connection.integrationId(), i -> new ConcurrentHashMap<>());
        String name = known.get(user);
        if (name != null) {
            return name;
        }
        try {
            UsersInfoResponse info = client.call(connection, "users.info", null, m -> m.usersInfo(r -> r.user(user)));
            name = displayName(info.getUser(), user);
        } catch (PermanentProviderException e) {
            // user_not_found, user_not_visible: the id is all there is
            name = user;
        }
        known.put(user, name);
        return name;
    }

    private static String displayName(User user, String fallback) {
        if (user == null) {
            return fallback;
        }
        if (user.getRealName() != null && !user.getRealName().isBlank()) {
            return user.getRealName();
        }
        if (user.getProfile() != null && user.getProfile().getDisplayName() != null && !user.getProfile().getDisplayName().isBlank()) {
            return user.getProfile().getDisplayName();
        }
        return user.getName() != null ? user.getName() : fallback;
    }

    static String id(String channel, String ts) {
        return channel + ":" + ts;
    }

    static Instant instant(String ts) {
        int dot = ts.indexOf('.');
        long seconds = Long.parseLong(dot < 0 ? ts : ts.substring(0, dot));
        long micros = dot < 0 ? 0 : Long.parseLong((ts.substring(dot + 1) + "000000").substring(0, 6));
        return Instant.ofEpochSecond(seconds, micros * 1000);
    }

    static String ts(Instant at) {
        return String.format(Locale.ROOT, "%d.%06d", at.getEpochSecond(), at.getNano() / 1000);
    }

    /** Compares two ts numerically (seconds, then microseconds). */
    static int compareTs(String a, String b) {
        return instant(a).compareTo(instant(b));
    }

    private static void entity(String entity) {
        if (!MESSAGES.equalsIgnoreCase(entity)) {
            throw new PermanentProviderException("Slack has one entity, '" + MESSAGES + "', not '" + entity + "'");
        }
    }

    /** Deletions come with the pages ({@link #deletionsInPages()}): nothing to ask. */
    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        return new DeletedRecords(List.of(), to);
    }

    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        throw readOnly();
    }

    @Override
    public void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields, String expectedVersion) {
        throw readOnly();
    }

    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        throw readOnly();
    }

    private static PermanentProviderException readOnly() {
        return new PermanentProviderException("Slack messages are read-only in the hub: notes are not written back to Slack");
    }

    /** One message as Slack holds it now (a top-level message from the history, a reply from its thread). */
    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        entity(entity);
        int colon = externalId == null ? -1 : externalId.indexOf(':');
        if (colon <= 0 || !CHANNEL_ID.matcher(externalId.substring(0, colon)).matches()) {
            throw new PermanentProviderException("not a Slack message id (<channel>:<ts>): '" + (externalId == null ? "" : externalId) + "'");
        }
        String channel = externalId.substring(0, colon);
        String ts = externalId.substring(colon + 1);
        try {
            instant(ts);
        } catch (NumberFormatException e) {
            throw new PermanentProviderException("not a Slack message ts: '" + ts + "'");
        }
        SlackPass pass = new SlackPass();
        AuthTestResponse auth = client.call(connection, "auth.test", null, m -> m.authTest(r -> r));
        pass.url = auth.getUrl() == null ? "https://slack.com/" : auth.getUrl().endsWith("/") ? auth.getUrl() : auth.getUrl() + "/";
        Message found = reread(connection, pass, new SlackChanges.Change(SlackChanges.Kind.EDITED, channel, ts, null, Instant.now()));
        return Optional.ofNullable(found).map(m -> record(connection, pass, channel, m));
    }

    /**
     * Slack's Events API subscription belongs to the app (its Event Subscriptions screen: one Request URL, signed with the
     * app's signing secret), not to a workspace's token: it is set there, and a registration of the {@code slack} scheme with
     * that signing secret receives it.
     */
    @Override
    public WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        throw new PermanentProviderException("Slack event subscriptions are set in the app's Event Subscriptions settings (Request URL), "
                + "not through a workspace's token");
    }

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        return List.of(new EntityInfo(MESSAGES, "Messages", true, false, false, false));
    }

    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        entity(entity);
        List<FieldInfo> fields = new ArrayList<>();
        for (String[] f : new String[][] {{"id", "Id", "string"}, {"ts", "Timestamp", "string"}, {"channel", "Channel id", "string"},
            {"channelName", "Channel", "string"}, {"text", "Text", "textarea"}, {"subtype", "Subtype", "string"}, {"user", "User id", "string"},
            {"author", "Author", "string"}, {"threadTs", "Thread", "string"}, {"parentId", "Parent message", "reference"},
            {"replyCount", "Replies", "int"}, {"edited", "Edited", "boolean"}, {"editedAt", "Edited at", "datetime"},
            {"createdAt", "Created at", "datetime"}, {"updatedAt", "Updated at", "datetime"}, {"version", "Version", "string"},
            {"permalink", "Permalink", "url"}}) {
            fields.add(new FieldInfo(f[0], f[1], f[2], false, false, !f[0].equals("id")));
        }
        return fields;
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return client.health(connection);
    }
}
