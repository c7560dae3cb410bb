package ratelimits;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import providers.ThrottledException;

/**
 * Settings of provider protection ({@code hub.rate-limits.*}); integration and tenant overrides come
 * through the API and live in the store.
 *
 * @param store where token buckets live: {@code local} (this process) or {@code postgres} (shared by every
 *     instance on the database)
 * @param providers per-minute integration limits by provider id, replacing the catalog's default for that provider
 *     (an operator aligning the hub with the allocation of the orgs it serves)
 * @param tenantPerMinute provider calls a tenant's integrations may make together per minute
 * @param operationDefaults per-minute limits per operation (fetch, create, update, delete) for every
 *     integration; an operation not listed is bounded by the integration's limit only
 * @param maxConcurrentSyncs sync runs a tenant may have running at once
 * @param maxConcurrentSyncsCap the most a tenant may raise its concurrent syncs to
 * @param maxWait how long throttled work may wait in total before it fails to the dead letter
 * @param minMultiplier the lowest adaptive multiplier (the effective rate never drops below this share)
 * @param slowDownBelow remaining share of the provider's budget below which the multiplier falls
 * @param backoffInitial wait after a refusal that says nothing of when to retry; doubles per refusal in a row
 * @param backoffMax longest such wait
 * @param overridesCacheTtl how long an instance uses overrides before reading them again (changes made through
 *     this instance apply at once)
 * @param circuit circuit breaker per integration
 */
@ConfigurationProperties(prefix = "hub.rate-limits")
public record RateLimitSettings(
        @DefaultValue("local") String store,
        @DefaultValue Map<String, Long> providers,
        @DefaultValue("5000") long tenantPerMinute,
        @DefaultValue Map<String, Long> operationDefaults,
        @DefaultValue("3") int maxConcurrentSyncs,
        @DefaultValue("10") int maxConcurrentSyncsCap,
        @DefaultValue("1h") Duration maxWait,
        @DefaultValue("0.5") double minMultiplier,
        @DefaultValue("0.5") double slowDownBelow,
        @DefaultValue("1s") Duration backoffInitial,
        @DefaultValue("60s") Duration backoffMax,
        @DefaultValue("5s") Duration overridesCacheTtl,
        @DefaultValue Circuit circuit) {

    /**
     * @param failureRate percentage of failed calls (I/O errors, 5xx) that opens the circuit
     * @param minimumCalls calls in the window before the failure rate counts
     * @param window the last calls the failure rate is taken over
     * @param openFor how long an open circuit fails fast before it lets probe calls through
     * @param halfOpenCalls probe calls whose outcome closes or re-opens the circuit
     */
    public record Circuit(@DefaultValue("50") float failureRate, @DefaultValue("10") int minimumCalls, @DefaultValue("20") int window,
                          @DefaultValue("30s") Duration openFor, @DefaultValue("3") int halfOpenCalls) {
    }

    public RateLimitSettings {
        providers = providers == null ? Map.of() : Map.copyOf(providers);
        // each a limit the hub can enforce, or the hub does not start
        providers.forEach((provider, perMinute) -> Limit.perMinute(perMinute));
        Limit.perMinute(tenantPerMinute);
        operationDefaults = operationDefaults == null ? Map.of() : Map.copyOf(operationDefaults);
        operationDefaults.values().forEach(Limit::perMinute);
        for (String op : operationDefaults.keySet()) {
            if (Operation.of(op).isEmpty()) {
                throw new IllegalArgumentException("hub.rate-limits.operation-defaults." + op + ": unknown operation (fetch, create, update, delete)");
            }
        }
        if (maxConcurrentSyncs < 1 || maxConcurrentSyncs > maxConcurrentSyncsCap) {
            throw new IllegalArgumentException("hub.rate-limits.max-concurrent-syncs must be between 1 and max-concurrent-syncs-cap");
        }
        if (minMultiplier <= 0 || minMultiplier > 1 || slowDownBelow <= 0 || slowDownBelow > 1) {
            throw new IllegalArgumentException("hub.rate-limits.min-multiplier and slow-down-below must be in (0, 1]");
        }
    }

    /**
     * Why throttled work gives up now, or null while it may wait on: the wait it has had since
     * {@code waitingSinceMs} and the one it is told to take would together pass {@code maxWait}.
     */
    public String giveUpReason(long waitingSinceMs, long nowMs, ThrottledException throttled) {
        return giveUpReason(waitingSinceMs, nowMs, throttled.retryAfter(), "throttled", throttled.getMessage());
    }

    /**
     * The same for any waiting work: {@code waitingFor} names what it waits for ("throttled", "the provider was unavailable"),
     * {@code why} the latest reason.
     */
    public String giveUpReason(long waitingSinceMs, long nowMs, Duration wait, String waitingFor, String why) {
        if (nowMs - waitingSinceMs + wait.toMillis() <= maxWait.toMillis()) {
            return null;
        }
        return waitingFor + " for longer than the maximum wait (" + maxWait + "): " + why;
    }
}
