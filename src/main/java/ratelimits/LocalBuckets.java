package ratelimits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

/** Buckets in this process's memory (Bucket4j lock-free local buckets): the embedded default. */
final class LocalBuckets extends Buckets {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final TimeMeter time;

    LocalBuckets() {
        this(TimeMeter.SYSTEM_NANOTIME);
    }

    /** Buckets on a given clock (tests move it by hand). */
    LocalBuckets(TimeMeter time) {
        this.time = time;
    }

    @Override
    protected Bucket bucket(String storageKey, Limit limit) {
        return buckets.computeIfAbsent(storageKey,
                k -> Bucket.builder().addLimit(BucketShapes.bandwidth(limit)).withCustomTimePrecision(time).build());
    }

    @Override
    protected void forget(String storageKey) {
        buckets.remove(storageKey);
    }
}
