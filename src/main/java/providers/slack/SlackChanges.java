package providers.slack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * What the Events API told of a workspace's messages that its Web API cannot tell an incremental pass: edits
 * ({@code message_changed}), deletions ({@code message_deleted}) and replies (a thread's new message, whose parent's
 * history entry does not move). {@link SlackEventParser} records them as verified deliveries arrive; an incremental pass
 * reads those after the marker it started from ({@link #since}). Held in memory, per team, bounded
 * ({@link #MAX_PER_TEAM}, {@link #KEEP}): what a restart loses, a later full pass recovers (edits; deletions need the event).
 */
@Component
public class SlackChanges {

    static final int MAX_PER_TEAM = 20_000;
    static final Duration KEEP = Duration.ofDays(7);

    enum Kind { EDITED, DELETED, REPLIED }

    /** One change, numbered in the order it arrived: {@code threadTs} is the parent of a reply (null otherwise). */
    record Change(long seq, Kind kind, String channel, String ts, String threadTs, Instant at) {
    }

    private final Map<String, Deque<Change>> byTeam = new ConcurrentHashMap<>();
    private final Clock clock;
    // numbers keep growing across restarts: a marker from before one stays below every change after it
    private final AtomicLong seq;

    public SlackChanges() {
        this(Clock.systemUTC());
    }

    SlackChanges(Clock clock) {
        this.clock = clock;
        this.seq = new AtomicLong(clock.millis() * 1000);
    }

    /** Numbered and stored under one lock, so a change numbered up to {@link #last()} is always there to read. */
    synchronized void record(String team, Kind kind, String channel, String ts, String threadTs) {
        if (team == null || channel == null || ts == null) {
            return;
        }
        Instant now = clock.instant();
        Deque<Change> changes = byTeam.computeIfAbsent(team, t -> new ArrayDeque<>());
        synchronized (changes) {
            changes.addLast(new Change(seq.incrementAndGet(), kind, channel, ts, threadTs, now));
            while (changes.size() > MAX_PER_TEAM || (!changes.isEmpty() && changes.peekFirst().at().isBefore(now.minus(KEEP)))) {
                changes.removeFirst();
            }
        }
    }

    /** The number of the last change recorded (of any team): a pass reads changes up to it. */
    synchronized long last() {
        return seq.get();
    }

    /** The team's changes numbered after {@code after} and up to {@code upTo}, in order. */
    List<Change> since(String team, long after, long upTo) {
        Deque<Change> changes = byTeam.get(team);
        if (changes == null) {
            return List.of();
        }
        List<Change> found = new ArrayList<>();
        synchronized (changes) {
            for (Change c : changes) {
                if (c.seq() > after && c.seq() <= upTo) {
                    found.add(c);
                }
            }
        }
        return found;
    }
}
