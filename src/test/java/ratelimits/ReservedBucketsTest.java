package ratelimits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Blocks drawn from a shared bucket: two instances (two reserves on one shared store, on one hand-moved clock) checking
 * at full demand make few trips to the shared bucket, and together never let more calls through in any window than the
 * limit; a limit too small for blocks goes to the shared bucket on every check; tokens given back stay with the block.
 */
class ReservedBucketsTest {

    private static final long COST = Buckets.UNIT;

    @Test
    void twoInstancesAtFullDemandNeverLetMoreThanTheLimitThroughInAnyWindow() {
        ProviderGateTest.ManualTime time = new ProviderGateTest.ManualTime();
        CountingBuckets shared = new CountingBuckets(new LocalBuckets(time));
        Limit limit = new Limit(6000, Duration.ofMinutes(1));
        // three windows of demand five times the limit, on either instance at random
        List<Long> calls = drive(time, shared, limit, Duration.ofMinutes(3), Duration.ofMillis(2));

        assertThat(busiestWindow(calls, limit)).as("calls in the busiest window").isLessThanOrEqualTo(6000).isGreaterThan(5000);
    }

    @Test
    void demandUnderTheLimitMakesFewTripsToTheSharedBucket() {
        ProviderGateTest.ManualTime time = new ProviderGateTest.ManualTime();
        CountingBuckets shared = new CountingBuckets(new LocalBuckets(time));
        Limit limit = new Limit(60_000, Duration.ofMinutes(1));
        List<Long> calls = drive(time, shared, limit, Duration.ofMinutes(2), Duration.ofMillis(2));

        assertThat(calls).as("every check let through").hasSize(60_000);
        assertThat(shared.checks.get()).as("checks reaching the shared bucket").isLessThan(60_000 / 10);
        assertThat(busiestWindow(calls, limit)).isLessThanOrEqualTo(60_000);
    }

    /** Checks every {@code every} for {@code span}, each on one of two instances at random; the times of those let through. */
    private static List<Long> drive(ProviderGateTest.ManualTime time, Buckets shared, Limit limit, Duration span, Duration every) {
        List<ReservedBuckets> instances = List.of(new ReservedBuckets(shared, time::nanos), new ReservedBuckets(shared, time::nanos));
        Random random = new Random(7);
        List<Long> calls = new ArrayList<>();
        for (long t = 0; t < span.toNanos(); t += every.toNanos()) {
            time.advance(every);
            if (instances.get(random.nextInt(2)).tryConsume("i:x", limit, COST).consumed()) {
                calls.add(time.nanos());
            }
        }
        return calls;
    }

    private static int busiestWindow(List<Long> calls, Limit limit) {
        long window = limit.window().toNanos();
        int most = 0;
        for (int first = 0, last = 0; last < calls.size(); last++) {
            while (calls.get(last) - calls.get(first) >= window) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    @Test
    void aLimitTooSmallForBlocksIsCheckedAgainstTheSharedBucketEachTime() {
        ProviderGateTest.ManualTime time = new ProviderGateTest.ManualTime();
        CountingBuckets shared = new CountingBuckets(new LocalBuckets(time));
        ReservedBuckets reserved = new ReservedBuckets(shared, time::nanos);
        Limit limit = new Limit(20, Duration.ofHours(1));

        assertThat(reserved.tryConsume("i:small", limit, COST).consumed()).isTrue();
        assertThat(reserved.tryConsume("i:small", limit, COST).consumed()).isTrue();
        assertThat(reserved.tryConsume("i:small", limit, COST).consumed()).isFalse();
        assertThat(shared.checks.get()).isEqualTo(3);
    }

    @Test
    void tokensGivenBackStayWithTheBlockAndWhatLapsesIsGone() {
        ProviderGateTest.ManualTime time = new ProviderGateTest.ManualTime();
        CountingBuckets shared = new CountingBuckets(new LocalBuckets(time));
        ReservedBuckets reserved = new ReservedBuckets(shared, time::nanos);
        Limit limit = new Limit(60_000, Duration.ofMinutes(1));
        for (int i = 0; i < 20; i++) {
            reserved.tryConsume("i:r", limit, COST);
        }
        int trips = shared.checks.get();
        reserved.refund("i:r", limit, COST);
        assertThat(reserved.tryConsume("i:r", limit, COST).consumed()).isTrue();
        assertThat(shared.checks.get()).as("the refunded token was spent from the block").isEqualTo(trips);

        assertThat(reserved.available("i:r", limit)).as("the block's tokens count as available while it lasts")
                .isGreaterThan(shared.available("i:r", limit));
        time.advance(Duration.ofMillis(700));
        assertThat(reserved.available("i:r", limit)).as("the block lapsed after a hundredth of the window")
                .isEqualTo(shared.available("i:r", limit));
        reserved.reset("i:r", limit);
        assertThat(reserved.available("i:r", limit)).isEqualTo(BucketShapes.capacity(limit));
    }

    /** The shared store, counting the checks that reach it. */
    private static final class CountingBuckets extends Buckets {
        private final Buckets store;
        final AtomicInteger checks = new AtomicInteger();

        CountingBuckets(Buckets store) {
            this.store = store;
        }

        @Override
        Probe tryConsume(String key, Limit limit, long cost) {
            checks.incrementAndGet();
            return store.tryConsume(key, limit, cost);
        }

        @Override
        long available(String key, Limit limit) {
            return store.available(key, limit);
        }

        @Override
        protected io.github.bucket4j.Bucket bucket(String storageKey, Limit limit) {
            return store.bucket(storageKey, limit);
        }

        @Override
        protected void forget(String storageKey) {
            store.forget(storageKey);
        }
    }
}
