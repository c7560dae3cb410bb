package sandbox.google;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import sandbox.kit.CallAdmission;
import sandbox.kit.TokenText;
import sandbox.kit.WebhookSender;

/**
 * One Google Workspace domain of the sandbox: its folders, shared drive and files, the change log that
 * {@code changes.list} reads (one entry per change, numbered; a page token is the number to read from), the
 * {@code changes.watch} channels that hear of each change, and the rate window of its users.
 */
final class DriveDomain {

    static final String USER_WINDOW = "user";

    /** One entry of the change log. */
    record Change(long seq, String fileId, Instant time) {
    }

    /** A changes.watch channel: notifications go to its address with its token, numbered from 1. */
    static final class Channel {
        final String id;
        final String resourceId;
        final String token;
        final URI address;
        final Instant expiration;
        final AtomicLong messages = new AtomicLong();
        WebhookSender.Queue<Notification> queue;

        Channel(String id, String token, URI address, Instant expiration) {
            this.id = id;
            this.resourceId = TokenText.urlSafe(20);
            this.token = token;
            this.address = address;
            this.expiration = expiration;
        }
    }

    /** One notification of a channel: {@code sync} first, then {@code change}. */
    record Notification(Channel channel, String state, long number, String pageToken) {
    }

    final String name;
    final String emailDomain;
    final CallAdmission calls;
    private final Clock clock;
    private final Map<String, DriveFile> files = new LinkedHashMap<>();
    /** Shared drives by id, with their names. */
    private final Map<String, String> drives = new LinkedHashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    /** Numbers below this are page tokens of an earlier life of the domain (before a reset): refused. */
    final long firstSeq;
    private long nextSeq;
    /** What a call past the rate window gets: 403 userRateLimitExceeded (Drive's usual) or 429. */
    volatile int rateStatus = 403;
    /** Setup revoked the domain's grants: refresh tokens and service-account assertions are refused. */
    volatile boolean revoked;

    DriveDomain(String name, long firstSeq, GoogleSandboxProperties properties, Clock clock) {
        this.name = name;
        this.emailDomain = name.isEmpty() ? GoogleDomains.DEFAULT_EMAIL_DOMAIN : name + "." + GoogleDomains.DEFAULT_EMAIL_DOMAIN;
        this.clock = clock;
        this.firstSeq = firstSeq;
        this.nextSeq = firstSeq;
        this.calls = new CallAdmission(clock, properties.latencyMs());
        calls.window(USER_WINDOW, properties.rateLimit(), properties.rateWindow());
    }

    Instant now() {
        return clock.instant();
    }

    synchronized void addDrive(String id, String name) {
        drives.put(id, name);
    }

    synchronized String driveName(String id) {
        return drives.get(id);
    }

    synchronized Map<String, String> drives() {
        return new LinkedHashMap<>(drives);
    }

    /** Adds a seeded file without a change (the log starts after the seed). */
    synchronized void seed(DriveFile file) {
        files.put(file.id, file);
    }

    synchronized DriveFile file(String id) {
        return files.get(id);
    }

    synchronized List<DriveFile> files() {
        return new ArrayList<>(files.values());
    }

    /** A new file: one change. */
    synchronized DriveFile create(DriveFile file) {
        files.put(file.id, file);
        changed(file.id);
        return file;
    }

    /** A new name and text (a new version and modified time): one change. */
    synchronized DriveFile update(String id, String newName, String newText) {
        DriveFile file = files.get(id);
        if (file == null) {
            return null;
        }
        if (newName != null) {
            file.name = newName;
        }
        if (newText != null) {
            file.text = newText;
        }
        touch(file);
        changed(id);
        return file;
    }

    /** Into the trash or out of it: one change, the file still listed with {@code trashed}. */
    synchronized DriveFile trash(String id, boolean trashed) {
        DriveFile file = files.get(id);
        if (file == null) {
            return null;
        }
        file.trashed = trashed;
        touch(file);
        changed(id);
        return file;
    }

    /** Gone for good: one change, reported {@code removed}. */
    synchronized boolean delete(String id) {
        if (files.remove(id) == null) {
            return false;
        }
        changed(id);
        return true;
    }

    private void touch(DriveFile file) {
        Instant now = clock.instant();
        file.modifiedTime = now.isAfter(file.modifiedTime) ? now : file.modifiedTime.plusMillis(1);
        file.version++;
    }

    private void changed(String fileId) {
        changes.add(new Change(nextSeq++, fileId, clock.instant()));
        for (Channel channel : liveChannels()) {
            if (channel.queue != null) {
                channel.queue.enqueue(new Notification(channel, "change", channel.messages.incrementAndGet(), Long.toString(nextSeq)));
            }
        }
    }

    synchronized long startPageToken() {
        return nextSeq;
    }

    /** Whether a page token is one this domain handed out (a number from its log, not past its end). */
    synchronized boolean knows(long token) {
        return token >= firstSeq && token <= nextSeq;
    }

    /** Changes from {@code token} on, at most {@code limit}. */
    synchronized List<Change> changesFrom(long token, int limit) {
        List<Change> page = new ArrayList<>();
        int start = (int) Math.max(0, token - firstSeq);
        for (int i = start; i < changes.size() && page.size() < limit; i++) {
            page.add(changes.get(i));
        }
        return page;
    }

    synchronized Channel addChannel(Channel channel) {
        channels.put(channel.id, channel);
        return channel;
    }

    /** Stops a channel: its id and resource id must match. */
    synchronized Channel stopChannel(String id, String resourceId) {
        Channel channel = channels.get(id);
        if (channel == null || !channel.resourceId.equals(resourceId)) {
            return null;
        }
        channels.remove(id);
        if (channel.queue != null) {
            channel.queue.close();
        }
        return channel;
    }

    synchronized List<Channel> liveChannels() {
        Instant now = clock.instant();
        channels.values().removeIf(c -> {
            boolean expired = !c.expiration.isAfter(now);
            if (expired && c.queue != null) {
                c.queue.close();
            }
            return expired;
        });
        return new ArrayList<>(channels.values());
    }

    synchronized void closeChannels() {
        channels.values().forEach(c -> {
            if (c.queue != null) {
                c.queue.close();
            }
        });
        channels.clear();
    }

    Duration rateWindow() {
        return calls.length(USER_WINDOW);
    }
}
