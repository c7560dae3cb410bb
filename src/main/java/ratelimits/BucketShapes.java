package ratelimits;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

/**
 * The one bucket shape behind every limit: a burst of about one second's share (at most a tenth of the
 * limit, at least two calls where the limit is three or more, else one) and a greedy refill of the rest over the window, stretched by 1 %. Over any
 * window of that length the bucket lets through at most the burst plus the refill, that is the limit:
 * a provider counting calls in a sliding window sees no more than it allows.
 */
final class BucketShapes {

    private BucketShapes() {
    }

    static long burst(Limit limit) {
        long perSecond = (long) Math.ceil(limit.requests() / (double) Math.max(1, limit.window().toSeconds()));
        long burst = Math.max(1, Math.min(limit.requests() / 10, perSecond));
        // room for one call at the lowest multiplier (two tokens) wherever the limit leaves it
        return limit.requests() >= 3 ? Math.max(2, burst) : burst;
    }

    /** Tokens (thousandths) the bucket holds when full. */
    static long capacity(Limit limit) {
        return burst(limit) * Buckets.UNIT;
    }

    static Bandwidth bandwidth(Limit limit) {
        long burst = burst(limit);
        long refill = Math.max(1, limit.requests() - burst);
        Duration period = limit.window().plus(limit.window().dividedBy(100));
        return Bandwidth.builder().capacity(burst * Buckets.UNIT).refillGreedy(refill * Buckets.UNIT, period).build();
    }

    static BucketConfiguration configuration(Limit limit) {
        return BucketConfiguration.builder().addLimit(bandwidth(limit)).build();
    }

    /** Storage key of a bucket: the limit is part of it, so a changed limit starts a bucket of its own. */
    static String key(String key, Limit limit) {
        return key + "|" + limit.requests() + "/" + limit.window().toMillis();
    }
}
