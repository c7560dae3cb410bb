package ratelimits;

import java.time.Duration;
import java.time.Instant;

/** Counts events per second over the last hour, to report how many fell in a window (up to an hour). */
final class WindowCounter {

    private static final int SLOTS = 3600;

    private final long[] seconds = new long[SLOTS];
    private final long[] counts = new long[SLOTS];

    synchronized void add(Instant at, long n) {
        long second = at.getEpochSecond();
        int slot = (int) (second % SLOTS);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot] += n;
    }

    /** Events in the window ending now (windows longer than an hour count the last hour). */
    synchronized long total(Instant now, Duration window) {
        long to = now.getEpochSecond();
        long from = to - Math.min(SLOTS, Math.max(1, window.toSeconds())) + 1;
        long total = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (seconds[i] >= from && seconds[i] <= to) {
                total += counts[i];
            }
        }
        return total;
    }
}
