package ratelimits;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One Resilience4j circuit breaker per integration (the library camel-resilience4j runs on; its
 * route EIP holds one breaker per route step, and these must be per integration). Provider failures
 * that say the provider is down (I/O errors, 5xx) count against it; a refusal or a bad record does
 * not. Open: calls fail fast as throttled work that waits for the probe time. Half-open: a few probe
 * calls decide. Each breaker is a JMX MBean ({@code castiel.hub:type=CircuitBreaker,integration=...},
 * seen in Hawtio) and a gauge {@code hub.circuit.state} (0 closed, 1 open, 2 half-open).
 */
final class CircuitBreakers {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakers.class);

    /** What operators see of a breaker, in the API, the health endpoint and JMX. */
    public interface CircuitBreakerMBean {
        String getState();

        float getFailureRate();

        int getBufferedCalls();

        int getFailedCalls();

        long getNotPermittedCalls();

        void reset();
    }

    record View(String state, float failureRate, int bufferedCalls, int failedCalls, long notPermittedCalls, Instant openedAt) {
    }

    private final CircuitBreakerRegistry registry;
    private final Duration openFor;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Instant> openedAt = new ConcurrentHashMap<>();
    private final CircuitEvents events;

    CircuitBreakers(RateLimitSettings.Circuit settings, Clock clock, MeterRegistry meters) {
        this(settings, clock, meters, null);
    }

    /** {@code events}: told of every transition (null: nobody is). */
    CircuitBreakers(RateLimitSettings.Circuit settings, Clock clock, MeterRegistry meters, CircuitEvents events) {
        this.events = events;
        this.openFor = settings.openFor();
        this.clock = clock;
        this.meters = meters;
        this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRate())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .build());
    }

    private CircuitBreaker breaker(String integrationId) {
        return registry.find(integrationId).orElseGet(() -> create(integrationId));
    }

    private synchronized CircuitBreaker create(String integrationId) {
        return registry.find(integrationId).orElseGet(() -> {
            CircuitBreaker breaker = registry.circuitBreaker(integrationId);
            breaker.getEventPublisher().onStateTransition(event -> {
                CircuitBreaker.State to = event.getStateTransition().getToState();
                if (to == CircuitBreaker.State.OPEN) {
                    openedAt.put(integrationId, clock.instant());
                }
                LOG.warn("Circuit of integration {} is now {}", integrationId, to);
                if (events != null) {
                    events.transition(integrationId, event.getStateTransition().getFromState().name(), to.name(),
                            breaker.getMetrics().getFailureRate(), clock.instant());
                }
            });
            Gauge.builder("hub.circuit.state", breaker, b -> stateCode(b.getState())).tag("integration", integrationId)
                    .description("circuit of the integration's provider calls: 0 closed, 1 open, 2 half-open").register(meters);
            register(integrationId, breaker);
            return breaker;
        });
    }

    /** Lets a call through, or throws {@link ThrottledException} with the time until the circuit probes again. */
    void permit(String integrationId) {
        CircuitBreaker breaker = breaker(integrationId);
        if (!breaker.tryAcquirePermission()) {
            Duration wait = remainingOpen(integrationId);
            if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
                wait = Duration.ofSeconds(1);
            }
            throw new CircuitOpenException("the circuit of this integration is " + breaker.getState().name().toLowerCase()
                    + " after repeated provider failures; calls resume with a probe", wait);
        }
    }

    /** How long the integration's circuit still fails fast before it lets a probe through; zero when it is closed. */
    Duration remainingOpen(String integrationId) {
        CircuitBreaker breaker = registry.find(integrationId).orElse(null);
        if (breaker == null || breaker.getState() == CircuitBreaker.State.CLOSED) {
            return Duration.ZERO;
        }
        Instant opened = openedAt.getOrDefault(integrationId, clock.instant());
        Duration wait = Duration.between(clock.instant(), opened.plus(openFor));
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** A permitted call that was not made after all. */
    void release(String integrationId) {
        breaker(integrationId).releasePermission();
    }

    void succeeded(String integrationId, long nanos) {
        breaker(integrationId).onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    void failed(String integrationId, long nanos, Throwable failure) {
        breaker(integrationId).onError(nanos, TimeUnit.NANOSECONDS, failure);
    }

    /** Closes the circuit afresh (an operator's reset): one that was not closed reports it closed. */
    void reset(String integrationId) {
        registry.find(integrationId).ifPresent(breaker -> {
            CircuitBreaker.State before = breaker.getState();
            breaker.reset();
            if (events != null && before != CircuitBreaker.State.CLOSED) {
                events.transition(integrationId, before.name(), CircuitBreaker.State.CLOSED.name(), -1, clock.instant());
            }
        });
        openedAt.remove(integrationId);
    }

    View view(String integrationId) {
        CircuitBreaker breaker = breaker(integrationId);
        CircuitBreaker.Metrics m = breaker.getMetrics();
        return new View(breaker.getState().name(), m.getFailureRate(), m.getNumberOfBufferedCalls(), m.getNumberOfFailedCalls(),
                m.getNumberOfNotPermittedCalls(), breaker.getState() == CircuitBreaker.State.CLOSED ? null : openedAt.get(integrationId));
    }

    /** State of every breaker this instance holds, by integration. */
    Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        registry.getAllCircuitBreakers().forEach(b -> states.put(b.getName(), b.getState().name()));
        return states;
    }

    private static int stateCode(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> 0;
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 0;
        };
    }

    private void register(String integrationId, CircuitBreaker breaker) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("castiel.hub:type=CircuitBreaker,integration=" + ObjectName.quote(integrationId));
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new StandardMBean(new CircuitBreakerMBean() {
                public String getState() {
                    return breaker.getState().name();
                }

                public float getFailureRate() {
                    return breaker.getMetrics().getFailureRate();
                }

                public int getBufferedCalls() {
                    return breaker.getMetrics().getNumberOfBufferedCalls();
                }

                public int getFailedCalls() {
                    return breaker.getMetrics().getNumberOfFailedCalls();
                }

                public long getNotPermittedCalls() {
                    return breaker.getMetrics().getNumberOfNotPermittedCalls();
                }

                public void reset() {
                    CircuitBreakers.this.reset(integrationId);
                }
            }, CircuitBreakerMBean.class), name);
        } catch (JMException e) {
            LOG.warn("Circuit breaker of integration {} is not visible in JMX: {}", integrationId, e.getMessage());
        }
    }
}
