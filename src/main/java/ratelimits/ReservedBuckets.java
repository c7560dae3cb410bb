package ratelimits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.github.bucket4j.Bucket;

/**
 * Shared buckets ({@link PostgresBuckets}) drawn from in blocks: a check takes a block of tokens from the shared bucket
 * and the checks after it spend the block in this process, so most checks make no round trip. Blocks are sized to the
 * demand (doubled while they are spent in time, halved when they lapse mostly unspent), at most a sixteenth of the
 * bucket's capacity and never less than a check's cost. A block is spendable only for a hundredth of the limit's window after it
 * was taken, then what is left of it lapses. The instances together still stay within every limit: a call is made within
 * a hundredth of a window of its tokens' being taken, so the calls of any window were taken within that window
 * stretched by a hundredth, and the shared bucket's refill is stretched by a hundredth too ({@link BucketShapes}): it lets
 * no more through over that stretch than the limit. A limit too small for a block (a burst under sixteen calls) is
 * checked against the shared bucket each time, as before. A refusal says when the shared bucket will hold a call's cost
 * again; checks before then are refused here, without a trip.
 */
final class ReservedBuckets extends Buckets {

    /** Blocks a full bucket splits into. */
    static final int BLOCKS_PER_CAPACITY = 16;

    /** What this process holds of one shared bucket: tokens, when they lapse, and the size of the next block. */
    private static final class Reserve {
        long tokens;
        long lapsesAtNanos;
        long block;
        long refusedUntilNanos;
    }

    private final Buckets shared;
    private final LongSupplier nanoTime;
    private final Map<String, Reserve> reserves = new ConcurrentHashMap<>();

    ReservedBuckets(Buckets shared) {
        this(shared, System::nanoTime);
    }

    ReservedBuckets(Buckets shared, LongSupplier nanoTime) {
        this.shared = shared;
        this.nanoTime = nanoTime;
    }

    @Override
    Probe tryConsume(String key, Limit limit, long cost) {
        long largest = BucketShapes.capacity(limit) / BLOCKS_PER_CAPACITY;
        if (largest <= cost) {
            return shared.tryConsume(key, limit, cost);
        }
        Reserve reserve = reserves.computeIfAbsent(BucketShapes.key(key, limit), k -> new Reserve());
        synchronized (reserve) {
            long now = nanoTime.getAsLong();
            boolean live = now - reserve.lapsesAtNanos < 0;
            if (live && reserve.tokens >= cost) {
                reserve.tokens -= cost;
                return new Probe(true, 0);
            }
            if (now - reserve.refusedUntilNanos < 0) {
                // the shared bucket said when it would hold a call's cost again: no trip before then
                return new Probe(false, reserve.refusedUntilNanos - now);
            }
            // the next block is sized to the demand the last one met: twice as large when it was spent before it lapsed,
            // half when it lapsed mostly unspent (what lapses is budget no instance gets)
            if (reserve.block == 0) {
                reserve.block = cost;
            } else if (live) {
                reserve.block = Math.min(largest, reserve.block * 2);
            } else if (reserve.tokens > reserve.block / 2) {
                reserve.block = Math.max(cost, reserve.block / 2);
            }
            long block = Math.max(cost, reserve.block);
            Probe taken = block > cost ? shared.tryConsume(key, limit, block) : new Probe(false, 0);
            if (taken.consumed()) {
                // what was left of the last block lapses with it: less than one call's cost
                reserve.tokens = block - cost;
                reserve.lapsesAtNanos = now + limit.window().toNanos() / 100;
                return new Probe(true, 0);
            }
            // the shared bucket cannot spare a block: the next one is smaller
            reserve.block = Math.max(cost, reserve.block / 2);
            Probe single = shared.tryConsume(key, limit, cost);
            if (single.consumed()) {
                reserve.tokens = 0;
                reserve.lapsesAtNanos = now + limit.window().toNanos() / 100;
            } else {
                reserve.refusedUntilNanos = now + single.nanosToWait();
            }
            return single;
        }
    }

    /** Tokens given back go to this process's block while it lasts, else to the shared bucket. */
    @Override
    void refund(String key, Limit limit, long cost) {
        Reserve reserve = reserves.get(BucketShapes.key(key, limit));
        if (reserve != null) {
            synchronized (reserve) {
                if (nanoTime.getAsLong() - reserve.lapsesAtNanos < 0) {
                    reserve.tokens += cost;
                    return;
                }
            }
        }
        shared.refund(key, limit, cost);
    }

    @Override
    long available(String key, Limit limit) {
        Reserve reserve = reserves.get(BucketShapes.key(key, limit));
        long held = 0;
        if (reserve != null) {
            synchronized (reserve) {
                held = nanoTime.getAsLong() - reserve.lapsesAtNanos < 0 ? reserve.tokens : 0;
            }
        }
        return shared.available(key, limit) + held;
    }

    @Override
    void reset(String key, Limit limit) {
        reserves.remove(BucketShapes.key(key, limit));
        shared.reset(key, limit);
    }

    @Override
    protected Bucket bucket(String storageKey, Limit limit) {
        return shared.bucket(storageKey, limit);
    }

    @Override
    protected void forget(String storageKey) {
        reserves.remove(storageKey);
        shared.forget(storageKey);
    }
}
