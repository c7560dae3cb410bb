package ratelimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import hub.MutableClock;
import providers.BatchWriteBack;
import providers.ConnectionContext;
import providers.IntegrationAdapter;
import providers.ProviderDescriptor;
import providers.PermanentProviderException;
import providers.RateLimitedProviderException;
import providers.ThrottledException;
import providers.TransientProviderException;
import providers.salesforce.SalesforceRateHeaders;
import store.RateLimitOverrideStore;

/** The gate on its own, on a clock moved by hand: bucket shape, adaptive cost, provider waits, levels, circuit. */
class ProviderGateTest {

    private final ManualTime time = new ManualTime();
    private final Map<String, String> integrationOverrides = new HashMap<>();
    private final Map<String, String> tenantOverrides = new HashMap<>();
    private final RateLimitSettings settings = new RateLimitSettings("local", Map.of(), 5000, Map.of(), 3, 10, Duration.ofHours(1), 0.5, 0.5,
            Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(5),
            new RateLimitSettings.Circuit(50, 4, 8, Duration.ofMillis(300), 2));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProviderGate gate = new ProviderGate(settings, new LocalBuckets(time),
            new CircuitBreakers(settings.circuit(), time.clock(), meters), overrideStore(), new ObjectMapper(), time.clock(), meters,
            new ProviderRateHeaders(List.of(new SalesforceRateHeaders())));
    private final ConnectionContext a = new ConnectionContext("tenant-1", "int-a", "salesforce", Map.of());
    private final ConnectionContext b = new ConnectionContext("tenant-1", "int-b", "salesforce", Map.of());
    private final ConnectionContext other = new ConnectionContext("tenant-2", "int-c", "salesforce", Map.of());

    @Test
    void aBucketNeverLetsMoreThanTheLimitThroughAnySlidingWindowAndKeepsCloseToIt() {
        for (Limit limit : List.of(Limit.perMinute(300), new Limit(20, Duration.ofSeconds(10)), new Limit(1, Duration.ofSeconds(5)),
                Limit.perMinute(5000), new Limit(7, Duration.ofSeconds(3)))) {
            LocalBuckets buckets = new LocalBuckets(time);
            List<Long> taken = new ArrayList<>();
            long start = time.nanos();
            long end = start + limit.window().toNanos() * 5;
            while (time.nanos() < end) {
                while (buckets.tryConsume("k", limit, Buckets.UNIT).consumed()) {
                    taken.add(time.nanos());
                }
                time.advance(Duration.ofMillis(5));
            }
            long window = limit.window().toNanos();
            for (int i = 0; i < taken.size(); i++) {
                int inWindow = 0;
                for (int j = i; j < taken.size() && taken.get(j) < taken.get(i) + window; j++) {
                    inWindow++;
                }
                assertThat(inWindow).as("calls in one window of %s", limit).isLessThanOrEqualTo((int) limit.requests());
            }
            long burst = BucketShapes.burst(limit);
            assertThat(taken.size()).as("calls in five windows of %s", limit)
                    .isGreaterThanOrEqualTo((int) (burst + (limit.requests() - burst) * 5 * 0.95) - 1);
        }
    }

    @Test
    void theMultiplierFallsWithTheProvidersRemainingBudgetAndCallsCostMore() {
        integrationOverrides.put("int-a", "{\"integration\":{\"requests\":600,\"windowSeconds\":60}}");
        int fullRate = callsInOneWindow(a);

        report(a, 200, Map.of("X-RateLimit-Limit", "1000", "X-RateLimit-Remaining", "600"));
        assertThat(gate.status(a, Limit.perMinute(300)).multiplier()).isEqualTo(1.0);
        report(a, 200, Map.of("X-RateLimit-Limit", "1000", "X-RateLimit-Remaining", "250"));
        assertThat(gate.status(a, Limit.perMinute(300)).multiplier()).isEqualTo(0.75);
        report(a, 200, Map.of("Sforce-Limit-Info", "api-usage=15000/15000"));
        ProviderGate.Status status = gate.status(a, Limit.perMinute(300));
        assertThat(status.multiplier()).isEqualTo(0.5);
        assertThat(status.limits()).filteredOn(l -> l.level() == ProviderGate.Level.INTEGRATION)
                .singleElement().satisfies(l -> assertThat(l.effectiveRequests()).isEqualTo(300));

        gate.reset(a, Limit.perMinute(300));
        report(a, 200, Map.of("Sforce-Limit-Info", "api-usage=15000/15000"));
        int slowed = callsInOneWindow(a);
        assertThat(slowed).isBetween(fullRate / 2 - 3, fullRate / 2 + 3);

        report(a, 200, Map.of("X-RateLimit-Limit", "1000", "X-RateLimit-Remaining", "900"));
        assertThat(gate.status(a, Limit.perMinute(300)).multiplier()).as("recovers with the budget").isEqualTo(1.0);
        assertThat(meters.find("hub.ratelimit.multiplier").tag("integration", "int-a").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aRefusalWithRetryAfterPausesTheIntegrationForExactlyThatLong() {
        report(a, 429, Map.of("Retry-After", "7"));
        assertThatThrownBy(() -> gate.acquire(a, Operation.FETCH, Limit.perMinute(300))).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void otherIntegrationsGoOnWhileOneIsPausedAndItResumesAfterTheWait() {
        report(a, 429, Map.of("Retry-After", "7"));
        gate.acquire(b, Operation.FETCH, Limit.perMinute(300));
        gate.completed(b, 1, null);
        time.advance(Duration.ofMillis(6_900));
        assertThatThrownBy(() -> gate.acquire(a, Operation.FETCH, Limit.perMinute(300))).isInstanceOf(ThrottledException.class);
        time.advance(Duration.ofMillis(100));
        gate.acquire(a, Operation.FETCH, Limit.perMinute(300));
    }

    @Test
    void gitHubsRateLimit403WaitsUntilItsResetAndAPlain403DoesNot() {
        long reset = time.clock().instant().getEpochSecond() + 42;
        report(a, 403, Map.of("x-ratelimit-limit", "5000", "x-ratelimit-remaining", "0", "x-ratelimit-reset", Long.toString(reset)));
        assertThatThrownBy(() -> gate.acquire(a, Operation.FETCH, Limit.perMinute(300))).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.between(time.clock().instant(), Instant.ofEpochSecond(reset))));

        report(b, 403, Map.of("x-ratelimit-limit", "5000", "x-ratelimit-remaining", "4000"));
        gate.acquire(b, Operation.FETCH, Limit.perMinute(300));
    }

    @Test
    void refusalsThatSayNothingBackOffDoublingAndAProvidersOwnWaitIsTaken() {
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gate.acquire(a, Operation.FETCH, Limit.perMinute(300));
            RuntimeException thrown = gate.completed(a, 1, new RateLimitedProviderException("429", 429, null));
            assertThat(thrown).isInstanceOf(ThrottledException.class);
            waits.add(((ThrottledException) thrown).retryAfter());
            time.advance(waits.get(i));
        }
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));

        gate.acquire(b, Operation.FETCH, Limit.perMinute(300));
        RuntimeException thrown = gate.completed(b, 1, new RateLimitedProviderException("429", 429, Duration.ofSeconds(9)));
        assertThat(((ThrottledException) thrown).retryAfter()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void a503WithRetryAfterIsAWaitAndWithoutItAnOutage() {
        gate.acquire(a, Operation.FETCH, Limit.perMinute(300));
        report(a, 503, Map.of("Retry-After", "3"));
        RuntimeException throttled = gate.completed(a, 1, new TransientProviderException("HTTP 503", 503, null));
        assertThat(throttled).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3)));

        gate.acquire(b, Operation.FETCH, Limit.perMinute(300));
        report(b, 503, Map.of());
        TransientProviderException outage = new TransientProviderException("HTTP 503", 503, null);
        assertThat(gate.completed(b, 1, outage)).isSameAs(outage);
        assertThat(gate.status(b, Limit.perMinute(300)).circuit().failedCalls()).isEqualTo(1);
        gate.acquire(b, Operation.FETCH, Limit.perMinute(300));
    }

    @Test
    void theTenantLimitSpansItsIntegrationsAndNoOtherTenant() {
        tenantOverrides.put("tenant-1", "{\"tenant\":{\"requests\":2,\"windowSeconds\":60}}");
        gate.acquire(a, Operation.FETCH, Limit.perMinute(300));
        assertThatThrownBy(() -> gate.acquire(b, Operation.FETCH, Limit.perMinute(300))).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.getMessage()).contains("tenant limit of 2/60s"));
        gate.acquire(other, Operation.FETCH, Limit.perMinute(300));
    }

    @Test
    void anOperationLimitHoldsThatOperationOnlyAndARefusalTakesNoOtherTokens() {
        integrationOverrides.put("int-a", "{\"integration\":{\"requests\":100,\"windowSeconds\":60},"
                + "\"operations\":{\"update\":{\"requests\":1,\"windowSeconds\":60}}}");
        double before = available(ProviderGate.Level.INTEGRATION);
        gate.acquire(a, Operation.UPDATE, Limit.perMinute(300));
        double afterOne = available(ProviderGate.Level.INTEGRATION);
        assertThat(afterOne).isEqualTo(before - 1);
        assertThatThrownBy(() -> gate.acquire(a, Operation.UPDATE, Limit.perMinute(300))).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.getMessage()).contains("update operation limit of 1/60s"));
        assertThat(available(ProviderGate.Level.INTEGRATION)).as("the refused call's integration token is given back").isEqualTo(afterOne);
        gate.acquire(a, Operation.FETCH, Limit.perMinute(300));
    }

    @Test
    void theCircuitOpensOnProviderFailuresFailsFastThenProbesAndCloses() throws Exception {
        integrationOverrides.put("int-a", "{\"integration\":{\"requests\":6000,\"windowSeconds\":60}}");
        for (int i = 0; i < 4; i++) {
            gate.acquire(a, Operation.FETCH, Limit.perMinute(300));
            gate.completed(a, 1, new PermanentProviderException("bad record"));
        }
        assertThat(gate.status(a, Limit.perMinute(300)).circuit().state()).as("refused records say the provider is up").isEqualTo("CLOSED");
        for (int i = 0; i < 4; i++) {
            gate.acquire(a, Operation.FETCH, Limit.perMinute(300));
            gate.completed(a, 1, new TransientProviderException("HTTP 503", 503, null));
        }
        assertThat(gate.status(a, Limit.perMinute(300)).circuit().state()).isEqualTo("OPEN");
        assertThatThrownBy(() -> gate.acquire(a, Operation.FETCH, Limit.perMinute(300))).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.getMessage()).contains("circuit"));
        assertThat(gate.circuitStates()).containsEntry("int-a", "OPEN");
        assertThat(meters.find("hub.circuit.state").tag("integration", "int-a").gauge().value()).isEqualTo(1.0);

        Thread.sleep(350);
        for (int i = 0; i < 2; i++) {
            gate.acquire(a, Operation.FETCH, Limit.perMinute(300));
            gate.completed(a, 1, null);
        }
        assertThat(gate.status(a, Limit.perMinute(300)).circuit().state()).isEqualTo("CLOSED");
    }

    private double available(ProviderGate.Level level) {
        return gate.status(a, Limit.perMinute(300)).limits().stream().filter(l -> l.level() == level).findFirst().orElseThrow().available();
    }

    @Test
    void aCallMakingTwoRequestsTakesTwoTokensAllAtOnceOrNone() {
        integrationOverrides.put("int-a", "{\"integration\":{\"requests\":10,\"windowSeconds\":60}}");
        int pages = 0;
        try {
            while (pages < 100) {
                gate.acquire(a, Operation.FETCH, Limit.perMinute(300), 2);
                gate.completed(a, 1, null);
                pages++;
            }
        } catch (ThrottledException e) {
            assertThat(e.retryAfter()).isPositive();
        }
        // ten requests a minute: at most five pages of two, and the bucket's remaining token is not half a page
        assertThat(pages).isBetween(1, 5);
        assertThat(gate.status(a, Limit.perMinute(300)).allowedInWindow()).isEqualTo(pages * 2L);
        // a limit smaller than one call's requests still lets the call through alone, once the bucket is full
        integrationOverrides.put("int-b", "{\"integration\":{\"requests\":1,\"windowSeconds\":5}}");
        gate.acquire(b, Operation.FETCH, Limit.perMinute(300), 2);
        gate.completed(b, 1, null);
        assertThatThrownBy(() -> gate.acquire(b, Operation.FETCH, Limit.perMinute(300), 2)).isInstanceOf(ThrottledException.class);
        time.advance(Duration.ofSeconds(6));
        gate.acquire(b, Operation.FETCH, Limit.perMinute(300), 2);
    }

    private int callsInOneWindow(ConnectionContext connection) {
        int allowed = 0;
        long end = time.nanos() + Duration.ofSeconds(60).toNanos();
        while (time.nanos() < end) {
            try {
                gate.acquire(connection, Operation.FETCH, Limit.perMinute(300));
                gate.completed(connection, 1, null);
                allowed++;
            } catch (ThrottledException e) {
                time.advance(Duration.ofMillis(50));
            }
        }
        return allowed;
    }

    @Test
    void aRowRefusedForVolumeInsideABatchAnswerPausesTheConnectionAsASingleCallsRefusalDoes() {
        IntegrationAdapter provider = Mockito.mock(IntegrationAdapter.class);
        BatchWriteBack batch = Mockito.mock(BatchWriteBack.class);
        Mockito.when(provider.descriptor()).thenReturn(new ProviderDescriptor("dynamics365", "Dynamics 365", "crm", "ga", "business",
                List.of("oauth2"), List.of("accounts"), List.of(), 6000));
        Mockito.when(provider.batchWriteBack()).thenReturn(Optional.of(batch));
        List<BatchWriteBack.Write> writes = List.of(new BatchWriteBack.Write("r1", Map.of("name", "A"), "W/\"1\""),
                new BatchWriteBack.Write("r2", Map.of("name", "B"), "W/\"2\""));
        Mockito.when(batch.updateRecords(a, "accounts", writes)).thenReturn(List.of(new BatchWriteBack.Outcome("r1", null),
                new BatchWriteBack.Outcome("r2", new RateLimitedProviderException("Dynamics 365 update accounts failed (HTTP 429)", 429,
                        Duration.ofSeconds(9)))));
        BatchWriteBack gated = gate.decorate(provider).batchWriteBack().orElseThrow();

        List<BatchWriteBack.Outcome> outcomes = gated.updateRecords(a, "accounts", writes);

        assertThat(outcomes).extracting(BatchWriteBack.Outcome::written).as("the written row stays written, the refused one is retryable")
                .containsExactly(true, false);
        assertThatThrownBy(() -> gated.updateRecords(a, "accounts", writes)).isInstanceOfSatisfying(ThrottledException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(9)));
        Mockito.verify(batch, Mockito.times(1)).updateRecords(a, "accounts", writes);
        gate.acquire(b, Operation.UPDATE, Limit.perMinute(300));
        time.advance(Duration.ofSeconds(9));
        assertThat(gated.updateRecords(a, "accounts", writes)).hasSize(2);
    }

    private void report(ConnectionContext connection, int status, Map<String, String> headers) {
        gate.received(connection.providerId(), connection.integrationId(), status, name -> headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null));
    }

    private RateLimitOverrideStore overrideStore() {
        return new RateLimitOverrideStore(null) {
            @Override
            public Optional<String> integration(String integrationId) {
                return Optional.ofNullable(integrationOverrides.get(integrationId));
            }

            @Override
            public Optional<String> tenant(String tenantId) {
                return Optional.ofNullable(tenantOverrides.get(tenantId));
            }
        };
    }

    /** One hand-moved time for the buckets (nanos since the start) and the gate's clock. */
    static final class ManualTime implements TimeMeter {
        private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
        private final MutableClock clock = new MutableClock(START);

        long nanos() {
            return Duration.between(START, clock.instant()).toNanos();
        }

        void advance(Duration d) {
            clock.advance(d);
        }

        @Override
        public long currentTimeNanos() {
            return nanos();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        Clock clock() {
            return clock;
        }
    }
}
