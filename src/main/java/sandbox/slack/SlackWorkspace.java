package sandbox.slack;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import sandbox.kit.CallAdmission;
import sandbox.kit.Population;

/**
 * One Slack workspace of the sandbox: its team, users, channels and their messages (top-level messages per channel by
 * {@code ts}, each thread's replies under its parent), its call admission by method tier, whether its bot token has been
 * revoked, and where its Events API requests go. Every change goes through here, under the workspace's lock, and tells
 * the {@link Listener} (the events sender).
 */
final class SlackWorkspace {

    static final String TIER3 = "tier3";
    static final String TIER4 = "tier4";

    /** A message as Slack holds it; replies carry their parent's ts as {@code threadTs}. */
    static final class Message {
        final long ts;
        final String user;
        String text;
        final Long threadTs;
        Long editedTs;
        String subtype;
        final NavigableMap<Long, Message> replies = new TreeMap<>();

        Message(long ts, String user, String text, Long threadTs) {
            this.ts = ts;
            this.user = user;
            this.text = text;
            this.threadTs = threadTs;
        }
    }

    record User(String id, String name, String realName, String displayName, String email, String title, boolean bot) {
    }

    static final class Channel {
        final String id;
        final String name;
        final long created;
        final String creator;
        final boolean member;
        final String purpose;
        final NavigableMap<Long, Message> messages = new TreeMap<>();

        Channel(String id, String name, long created, String creator, boolean member, String purpose) {
            this.id = id;
            this.name = name;
            this.created = created;
            this.creator = creator;
            this.member = member;
            this.purpose = purpose;
        }
    }

    /** What happened to a message, for the Events API. */
    interface Listener {
        void posted(SlackWorkspace workspace, Channel channel, Message message);

        void changed(SlackWorkspace workspace, Channel channel, Message message, String previousText, long eventTs);

        void deleted(SlackWorkspace workspace, Channel channel, Message message, long eventTs);
    }

    final String name;
    final String teamId;
    final String domain;
    final String botUserId;
    final String botId;
    final CallAdmission calls;
    final Clock clock;
    final Map<String, User> users = new LinkedHashMap<>();
    final Map<String, Channel> channels = new LinkedHashMap<>();
    /** Web API calls let in, every method together (the benchmark's count). */
    final AtomicLong apiCalls = new AtomicLong();
    /** chat.postMessage calls and incoming-webhook posts with their answers, paced one a second a channel. */
    final SlackPosts posts;
    private long lastTs;
    private volatile boolean revoked;
    private volatile Duration accessTokenTtl;
    private volatile Listener listener;

    SlackWorkspace(String name, SlackSandboxProperties p, Clock clock) {
        this.name = name;
        this.clock = clock;
        this.posts = new SlackPosts(clock);
        String key = name.isEmpty() ? "default" : name;
        this.teamId = "T" + id(key, 10);
        this.domain = "sandbox-" + key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        this.botUserId = "U" + id(key + "/bot", 10);
        this.botId = "B" + id(key + "/bot", 10);
        this.calls = new CallAdmission(clock, p.latencyMs())
                .window(TIER3, p.rateLimit(), p.rateWindow())
                .window(TIER4, p.usersRateLimit(), p.rateWindow());
    }

    /** Seeds users, channels and messages from the shared world: channel k is about the provider's k-th company. */
    synchronized SlackWorkspace seed(Population population, int channelCount, int messagesPerChannel, int threadEvery) {
        users.clear();
        channels.clear();
        users.put(botUserId, new User(botUserId, "castiel-sandbox", "Castiel Sandbox", "castiel", null, null, true));
        long now = clock.millis() * 1000;
        // seeded messages lie in the past, one a minute, so the clock's ts of later messages are always newer
        long start = now - (long) (channelCount * (long) messagesPerChannel * 3 + 60) * 60_000_000L;
        long ts = start;
        for (int k = 0; k < channelCount; k++) {
            Population.Account account = population.account("slack", k);
            List<User> people = new ArrayList<>();
            for (Population.Person person : account.people()) {
                User user = user(person);
                users.putIfAbsent(user.id(), user);
                people.add(user);
            }
            String channelName = channelName(account.company().name(), k);
            Channel channel = new Channel("C" + id(name + "/" + channelName, 10), channelName, start / 1_000_000, people.get(0).id(), true,
                    "Conversations with " + account.company().name());
            channels.put(channel.id, channel);
            for (int i = 0; i < messagesPerChannel; i++) {
                ts += 60_000_000L;
                User author = people.get(i % people.size());
                Message message = new Message(ts, author.id(), text(account, author, i), null);
                channel.messages.put(ts, message);
                if (threadEvery > 0 && i % threadEvery == threadEvery - 1) {
                    for (int r = 0; r < 2; r++) {
                        ts += 60_000_000L;
                        User replier = people.get((i + r + 1) % people.size());
                        message.replies.put(ts, new Message(ts, replier.id(), reply(account, replier, r), message.ts));
                    }
                }
            }
        }
        lastTs = Math.max(lastTs, ts);
        return this;
    }

    private static User user(Population.Person person) {
        String display = (person.firstName().charAt(0) + person.lastName()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return new User("U" + id(person.entityId(), 10), display, person.firstName() + " " + person.lastName(), display, person.email(),
                person.title(), false);
    }

    private static String channelName(String company, int k) {
        String slug = company.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60);
        }
        return "acct-" + slug + "-" + k;
    }

    private static final String[] OPENERS = {
        "Call with %s went well: %s wants the renewal quote by Friday.",
        "%s asked about the onboarding plan for %s.",
        "Heads-up: %s is evaluating a competitor, %s needs a follow-up.",
        "Sent the proposal to %s; %s will review it with their team.",
        "%s reported an issue with the invoice from %s.",
        "Great demo today with %s, %s loved the reporting part.",
    };

    private static String text(Population.Account account, User author, int i) {
        Population.Person person = account.people().get(i % account.people().size());
        String opener = OPENERS[i % OPENERS.length];
        String company = account.company().name();
        return i % 2 == 0 ? String.format(opener, company, person.firstName() + " " + person.lastName())
                : String.format(opener, person.firstName() + " " + person.lastName(), company);
    }

    private static String reply(Population.Account account, User replier, int r) {
        return r == 0 ? "Thanks " + replier.realName().split(" ")[0] + ", I'll loop in the " + account.company().name() + " account team."
                : "Done, notes are in the CRM under " + account.company().name() + ".";
    }

    /** A stable Slack-looking id (upper-case letters and digits) for a name. */
    static String id(String name, int length) {
        String hex = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
        return new BigInteger(hex, 16).toString(36).toUpperCase(Locale.ROOT).substring(0, length);
    }

    void listen(Listener listener) {
        this.listener = listener;
    }

    boolean revoked() {
        return revoked;
    }

    void revoke(boolean revoked) {
        this.revoked = revoked;
    }

    Duration accessTokenTtl() {
        return accessTokenTtl;
    }

    void accessTokenTtl(Duration ttl) {
        this.accessTokenTtl = ttl;
    }

    String url() {
        return "https://" + domain + ".slack.com/";
    }

    /** The next ts: the clock's microseconds, always past the last one given. */
    synchronized long nextTs() {
        lastTs = Math.max(lastTs + 1, clock.millis() * 1000);
        return lastTs;
    }

    synchronized Channel channel(String idOrName) {
        if (idOrName == null) {
            return null;
        }
        Channel byId = channels.get(idOrName);
        if (byId != null) {
            return byId;
        }
        String name = idOrName.startsWith("#") ? idOrName.substring(1) : idOrName;
        return channels.values().stream().filter(c -> c.name.equals(name)).findFirst().orElse(null);
    }

    synchronized Channel createChannel(String channelName, boolean member) {
        Channel channel = new Channel("C" + id(this.name + "/" + channelName + "/" + nextTs(), 10), channelName, clock.millis() / 1000,
                botUserId, member, "");
        channels.put(channel.id, channel);
        return channel;
    }

    /** Posts a message, or a reply when {@code threadTs} names a parent; null when the parent does not exist. */
    Message post(Channel channel, String user, String text, Long threadTs) {
        Message message;
        synchronized (this) {
            Message parent = threadTs == null ? null : channel.messages.get(threadTs);
            if (threadTs != null && parent == null) {
                return null;
            }
            message = new Message(nextTs(), user, text, threadTs);
            if (parent == null) {
                channel.messages.put(message.ts, message);
            } else {
                parent.replies.put(message.ts, message);
            }
        }
        Listener l = listener;
        if (l != null) {
            l.posted(this, channel, message);
        }
        return message;
    }

    /** A message or reply of the channel by ts, or null. */
    synchronized Message find(Channel channel, long ts) {
        Message top = channel.messages.get(ts);
        if (top != null) {
            return top;
        }
        for (Message parent : channel.messages.values()) {
            Message reply = parent.replies.get(ts);
            if (reply != null) {
                return reply;
            }
        }
        return null;
    }

    Message edit(Channel channel, long ts, String text) {
        Message message;
        String previous;
        long eventTs;
        synchronized (this) {
            message = find(channel, ts);
            if (message == null) {
                return null;
            }
            previous = message.text;
            eventTs = nextTs();
            message.text = text;
            message.editedTs = eventTs;
        }
        Listener l = listener;
        if (l != null) {
            l.changed(this, channel, message, previous, eventTs);
        }
        return message;
    }

    Message delete(Channel channel, long ts) {
        Message message;
        long eventTs;
        synchronized (this) {
            message = find(channel, ts);
            if (message == null) {
                return null;
            }
            if (message.threadTs == null) {
                channel.messages.remove(ts);
            } else {
                Message parent = channel.messages.get(message.threadTs);
                if (parent != null) {
                    parent.replies.remove(ts);
                }
            }
            eventTs = nextTs();
        }
        Listener l = listener;
        if (l != null) {
            l.deleted(this, channel, message, eventTs);
        }
        return message;
    }

    /** Every message of the channel, replies after their parent, oldest first (setup's ground truth). */
    synchronized List<Message> everything(Channel channel) {
        List<Message> all = new ArrayList<>();
        for (Message top : channel.messages.values()) {
            all.add(top);
            all.addAll(top.replies.values());
        }
        return all;
    }

    static String ts(long micros) {
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    /** A ts as Slack writes it ("1512085950.000216", or whole seconds); null when it is none. */
    static Long parseTs(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        int dot = t.indexOf('.');
        try {
            long seconds = Long.parseLong(dot < 0 ? t : t.substring(0, dot));
            long micros = 0;
            if (dot >= 0) {
                String fraction = (t.substring(dot + 1) + "000000").substring(0, 6);
                if (!t.substring(dot + 1).chars().allMatch(Character::isDigit)) {
                    return null;
                }
                micros = Long.parseLong(fraction);
            }
            return seconds < 0 ? null : seconds * 1_000_000 + micros;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    Duration rateWindow() {
        return calls.length(TIER3);
    }
}
