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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import hub.InvalidInputException;
import providers.AdapterDecorator;
import providers.ConnectionContext;
import providers.IntegrationAdapter;
import providers.ProviderException;
import providers.ProviderResponses;
import providers.RateLimitedProviderException;
import providers.ThrottledException;
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
public class ProviderGate implements ProviderResponses, AdapterDecorator {

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
        final java.util.concurrent.atomic.AtomicInteger refusalsInRow = new java.util.concurrent.atomic.AtomicInteger();
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
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Resolved> integrationOverrides = new ConcurrentHashMap<>();
    private final Map<String, Resolved> tenantOverrides = new ConcurrentHashMap<>();
    private final ProviderRateHeaders rateHeaders;

    ProviderGate(RateLimitSettings settings, Buckets buckets, CircuitBreakers breakers, RateLimitOverrideStore store, ObjectMapper json,
                 Clock clock, MeterRegistry meters, ProviderRateHeaders rateHeaders) {
        this.rateHeaders = rateHeaders;
        this.settings = settings;
        this.buckets = buckets;
        this.breakers = breakers;
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    /** Every adapter the registry hands out passes this gate. */
    @Override
    public IntegrationAdapter decorate(IntegrationAdapter adapter) {
        return new GatedAdapter(adapter, this);
    }

    // ------------------------------------------------------------------ the check

    /**
     * Lets one call of the operation through for the connection, or throws {@link ThrottledException}.
     * A call let through must be followed by {@link #completed}.
     */
    public void acquire(ConnectionContext connection, Operation operation, Limit providerDefault) {
        acquire(connection, operation, providerDefault, 1);
    }

    /**
     * Lets one call through that makes {@code requests} provider requests (a page and its associations): the buckets
     * give a token for each, all at once, or none. A call let through must be followed by {@link #completed}.
     */
    public void acquire(ConnectionContext connection, Operation operation, Limit providerDefault, int requests) {
        String integrationId = connection.integrationId();
        State state = state(integrationId);
        Instant now = clock.instant();
        refuseWhilePaused(state, connection, now);
        Reservation reservation = reserved.get();
        boolean fromReservation = requests == 1 && reservation != null && reservation.holds(integrationId, operation);
        Map<Check, Long> amounts = new java.util.LinkedHashMap<>();
        if (!fromReservation) {
            checks(connection, operation, providerDefault, state.multiplier).forEach(check -> amounts.put(check,
                    // never more than the bucket holds: a limit smaller than one call's requests lets the call through alone
                    Math.min(check.cost * requests, Math.max(check.cost, BucketShapes.capacity(check.limit)))));
        }
        breakers.permit(integrationId);
        boolean passed = false;
        try {
            if (fromReservation) {
                reservation.take(operation);
            }
            takeAll(state, connection, amounts);
            passed = true;
        } finally {
            if (!passed) {
                // whatever stopped the call (a refusal, the database of shared buckets), its circuit permission goes back
                breakers.release(integrationId);
            }
        }
        state.allowed.add(now, requests);
        counter("allowed", fromReservation ? "reserved" : "none", connection.providerId()).increment(requests);
    }

    /**
     * Takes the tokens of a piece of work's calls at once (a write-back's read, write and re-read), so
     * the work is not stopped half-way and its first calls wasted; {@link #acquire} then draws on it on
     * this thread, and closing it gives back what was not used. Work too big for a bucket's burst gets
     * an empty reservation and takes its tokens call by call.
     */
    public Reservation reserve(ConnectionContext connection, Map<Operation, Integer> calls, Limit providerDefault) {
        State state = state(connection.integrationId());
        refuseWhilePaused(state, connection, clock.instant());
        Map<Check, Long> amounts = new java.util.LinkedHashMap<>();
        Map<Operation, List<Check>> perOperation = new java.util.EnumMap<>(Operation.class);
        for (Map.Entry<Operation, Integer> call : calls.entrySet()) {
            List<Check> checks = checks(connection, call.getKey(), providerDefault, state.multiplier);
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
            takeAll(state, connection, amounts);
        }
        reserved.set(reservation);
        return reservation;
    }

    private void refuseWhilePaused(State state, ConnectionContext connection, Instant now) {
        Instant paused = state.pausedUntil;
        if (paused != null && paused.isAfter(now)) {
            refuse(state, connection, "paused", "the provider asked the hub to wait", Duration.between(now, paused));
        }
    }

    /** Takes each bucket's amount, or none of them: a refusal gives back what was taken and says how long to wait. */
    private void takeAll(State state, ConnectionContext connection, Map<Check, Long> amounts) {
        List<Map.Entry<Check, Long>> taken = new ArrayList<>(amounts.size());
        for (Map.Entry<Check, Long> e : amounts.entrySet()) {
            Check check = e.getKey();
            Buckets.Probe probe = buckets.tryConsume(check.key, check.limit, e.getValue());
            if (!probe.consumed()) {
                taken.forEach(t -> buckets.refund(t.getKey().key, t.getKey().limit, t.getValue()));
                refuse(state, connection, check.level.name().toLowerCase(), check.describe(), Duration.ofNanos(probe.nanosToWait()));
            }
            taken.add(e);
        }
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

        boolean holds(String integration, Operation operation) {
            Integer n = left.get(operation);
            return integrationId.equals(integration) && n != null && n > 0;
        }

        void take(Operation operation) {
            left.merge(operation, -1, Integer::sum);
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
        State state = state(integrationId);
        if (failure == null) {
            breakers.succeeded(integrationId, nanos);
            state.refusalsInRow.set(0);
            return null;
        }
        if (!(failure instanceof ProviderException provider)) {
            // not a provider's answer (a fault of the hub's own): it says nothing of the provider
            breakers.release(integrationId);
            return failure;
        }
        Instant now = clock.instant();
        boolean refusedForVolume = provider instanceof RateLimitedProviderException
                || (provider.status() == 503 && state.pausedUntil != null && state.pausedUntil.isAfter(now));
        if (refusedForVolume) {
            breakers.release(integrationId);
            Instant until = pausedForVolume(connection, provider);
            return new ThrottledException("the provider refused for volume, waiting " + Duration.between(now, until).toMillis() + " ms: "
                    + provider.getMessage(), Duration.between(now, until));
        }
        switch (provider.kind()) {
            case TRANSIENT -> breakers.failed(integrationId, nanos, failure);
            default -> breakers.succeeded(integrationId, nanos); // the provider answered: it is up
        }
        return failure;
    }

    /**
     * The provider refused a request for volume (a 429, a limit code), in a call's answer or in one row of a batch's:
     * the integration pauses for as long as the rate headers already said, else the provider's wait, else the backoff.
     * Returns when the pause ends.
     */
    Instant pausedForVolume(ConnectionContext connection, ProviderException refused) {
        Instant now = clock.instant();
        State state = state(connection.integrationId());
        Instant until = state.pausedUntil;
        if (until == null || !until.isAfter(now)) {
            until = now.plus(refused.retryAfter() != null ? refused.retryAfter() : backoff(state));
            pause(state, until);
        }
        counter("refused", "provider", connection.providerId()).increment();
        return until;
    }

    /** Reads a provider response's rate-limit headers. */
    @Override
    public void received(String providerId, String integrationId, int status, Function<String, String> header) {
        RateSignal signal = rateHeaders.read(providerId, status, header, clock.instant());
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
            state.refusalsInRow.set(0);
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
        int n = Math.min(20, state.refusalsInRow.getAndIncrement());
        Duration wait = settings.backoffInitial().multipliedBy(1L << n);
        return wait.compareTo(settings.backoffMax()) > 0 ? settings.backoffMax() : wait;
    }

    private static void pause(State state, Instant until) {
        synchronized (state) {
            Instant current = state.pausedUntil;
            if (current == null || until.isAfter(current)) {
                state.pausedUntil = until;
            }
        }
    }

    private void refuse(State state, ConnectionContext connection, String level, String why, Duration wait) {
        state.throttled.add(clock.instant(), 1);
        counter("throttled", level, connection.providerId()).increment();
        Duration atLeast = wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait;
        throw new ThrottledException(why + "; next call in " + atLeast.toMillis() + " ms", atLeast);
    }

    /** The counter of one outcome, looked up once: this is on every provider call's path. */
    private Counter counter(String outcome, String level, String provider) {
        return counters.computeIfAbsent(outcome + '|' + level + '|' + provider, k -> Counter.builder("hub.ratelimit.calls")
                .description("provider calls checked against rate limits")
                .tag("outcome", outcome).tag("level", level).tag("provider", provider).register(meters));
    }

    // ------------------------------------------------------------------ limits

    private record Check(Level level, String key, Limit limit, long cost, Operation operation, String source) {
        String describe() {
            return (operation != null ? operation.key() + " " : "") + level.name().toLowerCase() + " limit of " + limit + " reached";
        }
    }

    /** A limit and where it comes from: an integration's or tenant's override, a hub setting, or the default. */
    private record Sourced(Limit limit, String source) {
    }

    /** The overrides of an integration and of its tenant, as the gate reads them. */
    public record Scopes(Overrides integration, Overrides tenant) {
    }

    private List<Check> checks(ConnectionContext connection, Operation operation, Limit providerDefault, double multiplier) {
        Scopes scopes = scopes(connection.tenantId(), connection.integrationId());
        long cost = (long) Math.ceil(Buckets.UNIT / multiplier);
        List<Check> checks = new ArrayList<>(3);
        Sourced tenant = tenantLimit(scopes);
        checks.add(new Check(Level.TENANT, "t:" + connection.tenantId(), tenant.limit(), Buckets.UNIT, null, tenant.source()));
        Sourced integration = integrationLimit(scopes, connection.providerId(), providerDefault);
        checks.add(new Check(Level.INTEGRATION, "i:" + connection.integrationId(), integration.limit(), costFor(integration.limit(), cost), null,
                integration.source()));
        if (operation != null) {
            operationLimit(scopes, operation).ifPresent(limit -> checks.add(new Check(Level.OPERATION,
                    "o:" + connection.integrationId() + ":" + operation.key(), limit.limit(), costFor(limit.limit(), cost), operation,
                    limit.source())));
        }
        return checks;
    }

    /** A call's cost, never more than the bucket can hold (a limit of one or two calls per window cannot slow down further). */
    private static long costFor(Limit limit, long cost) {
        return Math.min(cost, BucketShapes.capacity(limit));
    }

    private Sourced tenantLimit(Scopes s) {
        return s.tenant().tenant() != null ? new Sourced(s.tenant().tenant(), "tenant override")
                : new Sourced(Limit.perMinute(settings.tenantPerMinute()), "default");
    }

    /** The integration's own override, else its tenant's, else hub.rate-limits.providers, else the provider's catalog value. */
    private Sourced integrationLimit(Scopes s, String providerId, Limit providerDefault) {
        if (s.integration().integration() != null) {
            return new Sourced(s.integration().integration(), "integration override");
        }
        if (s.tenant().integration() != null) {
            return new Sourced(s.tenant().integration(), "tenant override");
        }
        Long configured = settings.providers().get(providerId);
        return configured != null ? new Sourced(Limit.perMinute(configured), "hub setting")
                : new Sourced(providerDefault, "provider default");
    }

    /** The integration's own override, else its tenant's, else hub.rate-limits.operation-defaults; none when none is set. */
    private Optional<Sourced> operationLimit(Scopes s, Operation operation) {
        if (s.integration().operations().containsKey(operation)) {
            return Optional.of(new Sourced(s.integration().operations().get(operation), "integration override"));
        }
        if (s.tenant().operations().containsKey(operation)) {
            return Optional.of(new Sourced(s.tenant().operations().get(operation), "tenant override"));
        }
        Long perMinute = settings.operationDefaults().get(operation.key());
        return perMinute == null ? Optional.empty() : Optional.of(new Sourced(Limit.perMinute(perMinute), "hub setting"));
    }

    /** The integration's overrides and its tenant's, read at most every overridesCacheTtl. */
    public Scopes scopes(String tenantId, String integrationId) {
        return new Scopes(cached(integrationOverrides, integrationId, false, () -> store.integration(integrationId)), tenantOverrides(tenantId));
    }

    /** The tenant's overrides, read at most every overridesCacheTtl. */
    public Overrides tenantOverrides(String tenantId) {
        return cached(tenantOverrides, tenantId, true, () -> store.tenant(tenantId));
    }

    private Overrides cached(Map<String, Resolved> cache, String id, boolean tenantScope, java.util.function.Supplier<Optional<String>> load) {
        Instant now = clock.instant();
        Resolved r = cache.get(id);
        if (r == null || r.at().plus(settings.overridesCacheTtl()).isBefore(now)) {
            Overrides parsed = load.get().map(document -> parse(document, tenantScope)).orElse(Overrides.NONE);
            r = new Resolved(parsed, now);
            cache.put(id, r);
        }
        return r.overrides();
    }

    private Overrides parse(String document, boolean tenantScope) {
        try {
            return Overrides.parse(json.readTree(document), tenantScope, Integer.MAX_VALUE);
        } catch (InvalidInputException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.error("Stored rate-limit overrides are unreadable and are ignored: {}", e.getMessage());
            return Overrides.NONE;
        }
    }

    /** Forgets cached overrides of the tenant and, when given, the integration (they were just changed). */
    public void overridesChanged(String tenantId, String integrationId) {
        if (integrationId != null) {
            integrationOverrides.remove(integrationId);
        }
        tenantOverrides.remove(tenantId);
    }

    /** The tenant's concurrent sync limit. */
    public int maxConcurrentSyncs(String tenantId) {
        Overrides tenant = tenantOverrides(tenantId);
        return tenant.maxConcurrentSyncs() != null ? tenant.maxConcurrentSyncs() : settings.maxConcurrentSyncs();
    }

    /** The tenant's own limit as it applies now, with its source and what its bucket holds. */
    public AppliedLimit tenantStatus(String tenantId) {
        Overrides tenant = tenantOverrides(tenantId);
        Sourced limit = tenantLimit(new Scopes(Overrides.NONE, tenant));
        return applied(new Check(Level.TENANT, "t:" + tenantId, limit.limit(), Buckets.UNIT, null, limit.source()), 1.0);
    }

    // ------------------------------------------------------------------ status and reset

    /** What applies to the integration now, for the API. */
    public Status status(ConnectionContext connection, Limit providerDefault) {
        State state = state(connection.integrationId());
        Scopes scopes = scopes(connection.tenantId(), connection.integrationId());
        List<AppliedLimit> limits = new ArrayList<>();
        for (Check check : checks(connection, null, providerDefault, state.multiplier)) {
            limits.add(applied(check, state.multiplier));
        }
        for (Operation op : Operation.values()) {
            operationLimit(scopes, op).ifPresent(limit -> limits.add(applied(new Check(Level.OPERATION,
                    "o:" + connection.integrationId() + ":" + op.key(), limit.limit(), 0, op, limit.source()), state.multiplier)));
        }
        Instant now = clock.instant();
        Instant paused = state.pausedUntil != null && state.pausedUntil.isAfter(now) ? state.pausedUntil : null;
        Limit integrationLimit = integrationLimit(scopes, connection.providerId(), providerDefault).limit();
        return new Status(limits, state.multiplier, state.lastSignal, state.signalAt, paused,
                state.allowed.total(now, integrationLimit.window()), state.throttled.total(now, integrationLimit.window()),
                breakers.view(connection.integrationId()), scopes);
    }

    private AppliedLimit applied(Check check, double multiplier) {
        boolean adaptive = check.level != Level.TENANT;
        long effective = adaptive ? check.limit.scaled(multiplier) : check.limit.requests();
        double available = buckets.available(check.key, check.limit) / (double) Buckets.UNIT;
        return new AppliedLimit(check.level, check.operation, check.limit, check.source, effective, available);
    }

    public record Status(List<AppliedLimit> limits, double multiplier, RateSignal lastSignal, Instant signalAt, Instant pausedUntil,
                         long allowedInWindow, long throttledInWindow, CircuitBreakers.View circuit, Scopes overrides) {
    }

    /** Starts the integration afresh: full buckets, multiplier 1.0, no pause, circuit closed. */
    public void reset(ConnectionContext connection, Limit providerDefault) {
        Scopes scopes = scopes(connection.tenantId(), connection.integrationId());
        buckets.reset("i:" + connection.integrationId(), integrationLimit(scopes, connection.providerId(), providerDefault).limit());
        for (Operation op : Operation.values()) {
            operationLimit(scopes, op).ifPresent(limit -> buckets.reset("o:" + connection.integrationId() + ":" + op.key(), limit.limit()));
        }
        State state = state(connection.integrationId());
        state.multiplier = 1.0;
        state.lastSignal = null;
        state.signalAt = null;
        state.pausedUntil = null;
        state.refusalsInRow.set(0);
        breakers.reset(connection.integrationId());
    }

    /** How long the integration's circuit still fails fast on this instance; zero when it is closed. */
    public Duration circuitOpenFor(String integrationId) {
        return breakers.remainingOpen(integrationId);
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
