package ratelimits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import adapters.ConnectionContext;
import adapters.ProviderException;
import adapters.ProviderResponses;
import adapters.RateLimitedProviderException;
import adapters.ThrottledException;
import hub.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import store.RateLimitOverrideStore;

/**
 * Every provider call passes here first. A call goes ahead only when the provider has not asked the
 * hub to wait, the integration's circuit lets it through, and the tenant's, the integration's and the
 * operation's buckets all hold a token for it; otherwise it is refused with a {@link ThrottledException}
 * saying how long to wait, and the work is re-queued for then. Nothing waits on a thread.
 *
 * <p>Adaptive: each provider response's rate-limit headers set the integration's multiplier, from 1.0
 * while more than {@code slowDownBelow} of the provider's budget remains down to {@code minMultiplier}
 * as it runs out; a call then costs 1/multiplier tokens, so the effective rate shrinks with the budget.
 * A refusal (429, 503, a rate-limit 403) pauses the integration for as long as the provider said
 * (Retry-After, then its reset time, then a doubling backoff).
 */
public class ProviderGate implements ProviderResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderGate.class);

    /** Where a limit applies. */
    public enum Level { TENANT, INTEGRATION, OPERATION }

    /** One limit as it applies now: the configured one, where it comes from, and what the multiplier leaves of it. */
    public record AppliedLimit(Level level, Operation operation, Limit limit, String source, long effectiveRequests, double available) {
    }

    /** Runtime state of an integration on this instance. */
    static final class State {
        volatile double multiplier = 1.0;
        volatile RateSignal lastSignal;
        volatile Instant signalAt;
        volatile Instant pausedUntil;
        volatile int refusalsInRow;
        final WindowCounter allowed = new WindowCounter();
        final WindowCounter throttled = new WindowCounter();
    }

    private record Resolved(Overrides overrides, Instant at) {
    }

    private final RateLimitSettings settings;
    private final Buckets buckets;
    private final CircuitBreakers breakers;
    private final RateLimitOverrideStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final ThreadLocal<Reservation> reserved = new ThreadLocal<>();
    private final Map<String, Resolved> integrationOverrides = new ConcurrentHashMap<>();
    private final Map<String, Resolved> tenantOverrides = new ConcurrentHashMap<>();

    ProviderGate(RateLimitSettings settings, Buckets buckets, CircuitBreakers breakers, RateLimitOverrideStore store, ObjectMapper json,
                 Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.buckets = buckets;
        this.breakers = breakers;
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    // ------------------------------------------------------------------ the check

    /**
     * Lets one call of the operation through for the connection, or throws {@link ThrottledException}.
     * A call let through must be followed by {@link #completed}.
     */
    public void acquire(ConnectionContext connection, Operation operation, long providerPerMinute) {
        String integrationId = connection.integrationId();
        State state = state(integrationId);
        Instant now = clock.instant();
        Instant paused = state.pausedUntil;
        if (paused != null && paused.isAfter(now)) {
            refuse(state, connection, "paused", "the provider asked the hub to wait", Duration.between(now, paused));
        }
        breakers.permit(integrationId);
        Reservation reservation = reserved.get();
        if (reservation != null && reservation.take(integrationId, operation)) {
            state.allowed.add(now, 1);
            counter("allowed", "reserved", connection.providerId()).increment();
            return;
        }
        List<Check> checks = checks(connection, operation, providerPerMinute, state.multiplier);
        List<Check> taken = new ArrayList<>(checks.size());
        for (Check check : checks) {
            Buckets.Probe probe = buckets.tryConsume(check.key, check.limit, check.cost);
            if (!probe.consumed()) {
                taken.forEach(t -> buckets.refund(t.key, t.limit, t.cost));
                breakers.release(integrationId);
                refuse(state, connection, check.level.name().toLowerCase(), check.describe(), Duration.ofNanos(probe.nanosToWait()));
            }
            taken.add(check);
        }
        state.allowed.add(now, 1);
        counter("allowed", "none", connection.providerId()).increment();
    }

    /**
     * Takes the tokens of a piece of work's calls at once (a write-back's read, write and re-read), so
     * the work is not stopped half-way and its first calls wasted; {@link #acquire} then draws on it on
     * this thread, and closing it gives back what was not used. Work too big for a bucket's burst gets
     * an empty reservation and takes its tokens call by call.
     */
    public Reservation reserve(ConnectionContext connection, Map<Operation, Integer> calls, long providerPerMinute) {
        State state = state(connection.integrationId());
        Instant now = clock.instant();
        Instant paused = state.pausedUntil;
        if (paused != null && paused.isAfter(now)) {
            refuse(state, connection, "paused", "the provider asked the hub to wait", Duration.between(now, paused));
        }
        Map<Check, Long> amounts = new java.util.LinkedHashMap<>();
        Map<Operation, List<Check>> perOperation = new java.util.EnumMap<>(Operation.class);
        for (Map.Entry<Operation, Integer> call : calls.entrySet()) {
            List<Check> checks = checks(connection, call.getKey(), providerPerMinute, state.multiplier);
            perOperation.put(call.getKey(), checks);
            for (Check check : checks) {
                amounts.merge(check, check.cost * call.getValue(), Long::sum);
            }
        }
        Reservation reservation = new Reservation(connection.integrationId(), new java.util.EnumMap<>(calls), perOperation);
        boolean fits = amounts.entrySet().stream().allMatch(e -> e.getValue() <= BucketShapes.capacity(e.getKey().limit));
        if (!fits) {
            reservation.left.clear();
        } else {
            List<Map.Entry<Check, Long>> taken = new ArrayList<>();
            for (Map.Entry<Check, Long> e : amounts.entrySet()) {
                Buckets.Probe probe = buckets.tryConsume(e.getKey().key, e.getKey().limit, e.getValue());
                if (!probe.consumed()) {
                    taken.forEach(t -> buckets.refund(t.getKey().key, t.getKey().limit, t.getValue()));
                    refuse(state, connection, e.getKey().level.name().toLowerCase(), e.getKey().describe(), Duration.ofNanos(probe.nanosToWait()));
                }
                taken.add(e);
            }
        }
        reserved.set(reservation);
        return reservation;
    }

    /** Calls reserved on this thread by {@link #reserve}; close it when the work is done. */
    public final class Reservation implements AutoCloseable {

        private final String integrationId;
        private final Map<Operation, Integer> left;
        private final Map<Operation, List<Check>> checks;

        private Reservation(String integrationId, Map<Operation, Integer> left, Map<Operation, List<Check>> checks) {
            this.integrationId = integrationId;
            this.left = left;
            this.checks = checks;
        }

        boolean take(String integration, Operation operation) {
            Integer n = left.get(operation);
            if (!integrationId.equals(integration) || n == null || n == 0) {
                return false;
            }
            left.put(operation, n - 1);
            return true;
        }

        @Override
        public void close() {
            reserved.remove();
            left.forEach((operation, n) -> {
                for (Check check : checks.get(operation)) {
                    if (n > 0) {
                        buckets.refund(check.key, check.limit, check.cost * n);
                    }
                }
            });
            left.clear();
        }
    }

    /** Records how a call let through by {@link #acquire} ended: null for success. Returns the failure to throw, if any. */
    public RuntimeException completed(ConnectionContext connection, long nanos, RuntimeException failure) {
        String integrationId = connection.integrationId();
        if (failure == null) {
            breakers.succeeded(integrationId, nanos);
            return null;
        }
        if (!(failure instanceof ProviderException provider)) {
            breakers.failed(integrationId, nanos, failure);
            return failure;
        }
        State state = state(integrationId);
        Instant now = clock.instant();
        boolean refusedForVolume = provider instanceof RateLimitedProviderException
                || (provider.status() == 503 && state.pausedUntil != null && state.pausedUntil.isAfter(now));
        if (refusedForVolume) {
            breakers.release(integrationId);
            Instant until = state.pausedUntil;
            if (until == null || !until.isAfter(now)) {
                // the adapter saw no headers saying how long: the provider's own wait, else the backoff
                until = now.plus(provider.retryAfter() != null ? provider.retryAfter() : backoff(state));
                pause(state, until);
            }
            counter("refused", "provider", connection.providerId()).increment();
            return new ThrottledException("the provider refused for volume, waiting " + Duration.between(now, until).toMillis() + " ms: "
                    + provider.getMessage(), Duration.between(now, until));
        }
        switch (provider.kind()) {
            case TRANSIENT -> breakers.failed(integrationId, nanos, failure);
            default -> breakers.succeeded(integrationId, nanos); // the provider answered: it is up
        }
        return failure;
    }

    /** Reads a provider response's rate-limit headers. */
    @Override
    public void received(String integrationId, int status, Function<String, String> header) {
        RateSignal signal = ProviderRateHeaders.read(status, header, clock.instant());
        if (signal.empty()) {
            return;
        }
        State state = state(integrationId);
        Instant now = clock.instant();
        state.lastSignal = signal;
        state.signalAt = now;
        Double remaining = signal.remainingFraction();
        if (remaining != null) {
            state.multiplier = multiplier(remaining);
        }
        if (signal.refused()) {
            Duration wait = signal.waitFor(now);
            if (wait == null && status >= 500) {
                // unavailable without saying for how long: an outage, for the retries and the circuit, not a budget
                return;
            }
            pause(state, now.plus(wait != null ? wait : backoff(state)));
        } else {
            state.refusalsInRow = 0;
        }
    }

    /** The multiplier for a remaining share of the provider's budget: 1.0 above slowDownBelow, falling linearly to minMultiplier at 0. */
    double multiplier(double remaining) {
        if (remaining >= settings.slowDownBelow()) {
            return 1.0;
        }
        double min = settings.minMultiplier();
        return min + (1.0 - min) * Math.max(0, remaining) / settings.slowDownBelow();
    }

    private Duration backoff(State state) {
        int n = Math.min(20, state.refusalsInRow++);
        Duration wait = settings.backoffInitial().multipliedBy(1L << n);
        return wait.compareTo(settings.backoffMax()) > 0 ? settings.backoffMax() : wait;
    }

    private static void pause(State state, Instant until) {
        Instant current = state.pausedUntil;
        if (current == null || until.isAfter(current)) {
            state.pausedUntil = until;
        }
    }

    private void refuse(State state, ConnectionContext connection, String level, String why, Duration wait) {
        state.throttled.add(clock.instant(), 1);
        counter("throttled", level, connection.providerId()).increment();
        Duration atLeast = wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait;
        throw new ThrottledException(why + "; next call in " + atLeast.toMillis() + " ms", atLeast);
    }

    private Counter counter(String outcome, String level, String provider) {
        return Counter.builder("hub.ratelimit.calls").description("provider calls checked against rate limits")
                .tag("outcome", outcome).tag("level", level).tag("provider", provider).register(meters);
    }

    // ------------------------------------------------------------------ limits

    private record Check(Level level, String key, Limit limit, long cost, Operation operation) {
        String describe() {
            return (operation != null ? operation.key() + " " : "") + level.name().toLowerCase() + " limit of " + limit + " reached";
        }
    }

    /** The provider's per-minute default: the catalog's, unless hub.rate-limits.providers sets one. */
    private long providerDefault(ConnectionContext connection, long catalogPerMinute) {
        return settings.providers().getOrDefault(connection.providerId(), catalogPerMinute);
    }

    private List<Check> checks(ConnectionContext connection, Operation operation, long catalogPerMinute, double multiplier) {
        long providerPerMinute = providerDefault(connection, catalogPerMinute);
        Overrides overrides = overrides(connection.tenantId(), connection.integrationId());
        long cost = (long) Math.ceil(Buckets.UNIT / multiplier);
        List<Check> checks = new ArrayList<>(3);
        checks.add(new Check(Level.TENANT, "t:" + connection.tenantId(), tenantLimit(overrides), Buckets.UNIT, null));
        Limit integration = integrationLimit(overrides, providerPerMinute);
        checks.add(new Check(Level.INTEGRATION, "i:" + connection.integrationId(), integration, costFor(integration, cost), null));
        if (operation != null) {
            operationLimit(overrides, operation).ifPresent(limit -> checks.add(new Check(Level.OPERATION,
                    "o:" + connection.integrationId() + ":" + operation.key(), limit, costFor(limit, cost), operation)));
        }
        return checks;
    }

    /** A call's cost, never more than the bucket can hold (a limit of one or two calls per window cannot slow down further). */
    private static long costFor(Limit limit, long cost) {
        return Math.min(cost, BucketShapes.capacity(limit));
    }

    private Limit tenantLimit(Overrides o) {
        return o.tenant() != null ? o.tenant() : Limit.perMinute(settings.tenantPerMinute());
    }

    private static Limit integrationLimit(Overrides o, long providerPerMinute) {
        return o.integration() != null ? o.integration() : Limit.perMinute(providerPerMinute);
    }

    private Optional<Limit> operationLimit(Overrides o, Operation operation) {
        Limit set = o.operations().get(operation);
        if (set != null) {
            return Optional.of(set);
        }
        Long perMinute = settings.operationDefaults().get(operation.key());
        return perMinute == null ? Optional.empty() : Optional.of(Limit.perMinute(perMinute));
    }

    /** The integration's overrides with its tenant's, read at most every overridesCacheTtl. */
    public Overrides overrides(String tenantId, String integrationId) {
        Overrides integration = cached(integrationOverrides, integrationId, () -> store.integration(integrationId));
        Overrides tenant = cached(tenantOverrides, tenantId, () -> store.tenant(tenantId));
        return integration.withTenantPart(tenant);
    }

    private Overrides cached(Map<String, Resolved> cache, String id, java.util.function.Supplier<Optional<String>> load) {
        Instant now = clock.instant();
        Resolved r = cache.get(id);
        if (r == null || r.at().plus(settings.overridesCacheTtl()).isBefore(now)) {
            Overrides parsed = load.get().map(this::parse).orElse(Overrides.NONE);
            r = new Resolved(parsed, now);
            cache.put(id, r);
        }
        return r.overrides();
    }

    private Overrides parse(String document) {
        try {
            return Overrides.parse(json.readTree(document), Integer.MAX_VALUE);
        } catch (ApiException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.error("Stored rate-limit overrides are unreadable and are ignored: {}", e.getMessage());
            return Overrides.NONE;
        }
    }

    /** Forgets cached overrides of the integration and its tenant (they were just changed). */
    public void overridesChanged(String tenantId, String integrationId) {
        integrationOverrides.remove(integrationId);
        tenantOverrides.remove(tenantId);
    }

    /** The tenant's concurrent sync limit. */
    public int maxConcurrentSyncs(String tenantId) {
        Overrides tenant = cached(tenantOverrides, tenantId, () -> store.tenant(tenantId));
        return tenant.maxConcurrentSyncs() != null ? tenant.maxConcurrentSyncs() : settings.maxConcurrentSyncs();
    }

    // ------------------------------------------------------------------ status and reset

    /** What applies to the integration now, for the API. */
    public Status status(ConnectionContext connection, long catalogPerMinute) {
        long providerPerMinute = providerDefault(connection, catalogPerMinute);
        State state = state(connection.integrationId());
        Overrides o = overrides(connection.tenantId(), connection.integrationId());
        List<AppliedLimit> limits = new ArrayList<>();
        for (Check check : checks(connection, null, catalogPerMinute, state.multiplier)) {
            String source = check.level == Level.TENANT ? (o.tenant() != null ? "override" : "default")
                    : (o.integration() != null ? "override" : "provider default");
            limits.add(applied(check, source, state.multiplier));
        }
        for (Operation op : Operation.values()) {
            Optional<Limit> limit = operationLimit(o, op);
            if (limit.isPresent()) {
                Check check = new Check(Level.OPERATION, "o:" + connection.integrationId() + ":" + op.key(), limit.get(), 0, op);
                limits.add(applied(check, o.operations().containsKey(op) ? "override" : "default", state.multiplier));
            }
        }
        Instant now = clock.instant();
        Instant paused = state.pausedUntil != null && state.pausedUntil.isAfter(now) ? state.pausedUntil : null;
        Limit integrationLimit = integrationLimit(o, providerPerMinute);
        return new Status(limits, state.multiplier, state.lastSignal, state.signalAt, paused,
                state.allowed.total(now, integrationLimit.window()), state.throttled.total(now, integrationLimit.window()),
                breakers.view(connection.integrationId()), o);
    }

    private AppliedLimit applied(Check check, String source, double multiplier) {
        boolean adaptive = check.level != Level.TENANT;
        long effective = adaptive ? check.limit.scaled(multiplier) : check.limit.requests();
        double available = buckets.available(check.key, check.limit) / (double) Buckets.UNIT;
        return new AppliedLimit(check.level, check.operation, check.limit, source, effective, available);
    }

    public record Status(List<AppliedLimit> limits, double multiplier, RateSignal lastSignal, Instant signalAt, Instant pausedUntil,
                         long allowedInWindow, long throttledInWindow, CircuitBreakers.View circuit, Overrides overrides) {
    }

    /** Starts the integration afresh: full buckets, multiplier 1.0, no pause, circuit closed. */
    public void reset(ConnectionContext connection, long catalogPerMinute) {
        long providerPerMinute = providerDefault(connection, catalogPerMinute);
        Overrides o = overrides(connection.tenantId(), connection.integrationId());
        buckets.reset("i:" + connection.integrationId(), integrationLimit(o, providerPerMinute));
        for (Operation op : Operation.values()) {
            operationLimit(o, op).ifPresent(limit -> buckets.reset("o:" + connection.integrationId() + ":" + op.key(), limit));
        }
        State state = state(connection.integrationId());
        state.multiplier = 1.0;
        state.lastSignal = null;
        state.signalAt = null;
        state.pausedUntil = null;
        state.refusalsInRow = 0;
        breakers.reset(connection.integrationId());
    }

    /** Circuit states by integration, for the health endpoint. */
    public Map<String, String> circuitStates() {
        return breakers.states();
    }

    private State state(String integrationId) {
        return states.computeIfAbsent(integrationId, id -> {
            State s = new State();
            Gauge.builder("hub.ratelimit.multiplier", s, st -> st.multiplier).tag("integration", id)
                    .description("adaptive share of the integration's limit in use").register(meters);
            return s;
        });
    }
}
