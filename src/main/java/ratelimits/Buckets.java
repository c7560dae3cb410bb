package ratelimits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Token buckets by key, each enforcing a {@link Limit} over a sliding window (shaped by
 * {@link BucketShapes}). Tokens are counted in thousandths, so a call can cost more than one token
 * when the adaptive multiplier slows an integration down. Where the buckets live is the subclass's:
 * this process ({@link LocalBuckets}) or PostgreSQL, shared by every instance ({@link PostgresBuckets}).
 */
abstract class Buckets {

    /** Thousandths of a token per call at full rate. */
    static final long UNIT = 1000;

    record Probe(boolean consumed, long nanosToWait) {
    }

    /** The bucket stored under this key (the key names the limit too), created full on first use. */
    protected abstract Bucket bucket(String storageKey, Limit limit);

    /** Drops the bucket stored under this key. */
    protected abstract void forget(String storageKey);

    /** Takes {@code cost} if the bucket holds it; otherwise takes nothing and says how long until it would. */
    Probe tryConsume(String key, Limit limit, long cost) {
        ConsumptionProbe probe = bucket(BucketShapes.key(key, limit), limit).tryConsumeAndReturnRemaining(cost);
        return new Probe(probe.isConsumed(), probe.getNanosToWaitForRefill());
    }

    /** Gives back tokens taken by a call that was not made after all. */
    void refund(String key, Limit limit, long cost) {
        bucket(BucketShapes.key(key, limit), limit).addTokens(cost);
    }

    /** Tokens (in thousandths) the bucket holds now. */
    long available(String key, Limit limit) {
        return bucket(BucketShapes.key(key, limit), limit).getAvailableTokens();
    }

    /** Forgets the bucket: it starts full again. */
    void reset(String key, Limit limit) {
        forget(BucketShapes.key(key, limit));
    }
}
