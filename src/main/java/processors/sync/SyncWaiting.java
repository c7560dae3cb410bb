package processors.sync;

import java.time.Duration;
import java.time.OffsetDateTime;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

import messaging.DeadLetters;
import providers.ThrottledException;
import providers.TransientProviderException;
import ratelimits.CircuitOpenException;
import ratelimits.ProviderGate;
import ratelimits.RateLimitSettings;
import store.CheckpointStore;
import store.SyncExecution;
import store.SyncExecutionStore;
import store.Timestamps;

/**
 * A run that cannot make its next provider call now: the rate limits held it back, the integration's circuit is
 * open, or the provider stayed unavailable through the quick retries. Committed pages stay; the run keeps its
 * entity (no other run of it starts meanwhile) and goes back on its queue with a delivery delay of the time the
 * budget or the circuit needs, at least a floor that doubles while it waits without progress, and resumes from its
 * checkpoint when it comes back. Its waiting is logged when what it waits for changes, not at every re-queue. A run
 * that has waited longer than the maximum wait without progress fails with the reason, and its request goes to the
 * dead letter.
 */
@Component
public class SyncWaiting implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SyncWaiting.class);

    static final String THROTTLED = "throttled";
    static final String CIRCUIT_OPEN = "circuit-open";
    static final String PROVIDER_UNAVAILABLE = "provider-unavailable";

    private final CheckpointStore checkpoints;
    private final SyncExecutionStore executions;
    private final SyncDispatcher dispatcher;
    private final DeadLetters deadLetters;
    private final SyncFailure failure;
    private final RateLimitSettings settings;
    private final ProviderGate gate;
    private final MeterRegistry meters;
    private final Duration floor;
    private final Duration floorMax;
    private final Duration lease;
    private final RunTimeline timeline;
    private final RunFence fence;

    public SyncWaiting(CheckpointStore checkpoints, SyncExecutionStore executions, SyncDispatcher dispatcher, DeadLetters deadLetters,
                       SyncFailure failure, RateLimitSettings settings, ProviderGate gate, MeterRegistry meters,
                       @Value("${hub.sync.wait-floor}") String floor, @Value("${hub.sync.wait-floor-max}") String floorMax,
                       @Value("${hub.sync.lease}") String lease, RunTimeline timeline, RunFence fence) {
        this.fence = fence;
        this.timeline = timeline;
        this.checkpoints = checkpoints;
        this.executions = executions;
        this.dispatcher = dispatcher;
        this.deadLetters = deadLetters;
        this.failure = failure;
        this.settings = settings;
        this.gate = gate;
        this.meters = meters;
        this.floor = DurationStyle.detectAndParse(floor);
        this.floorMax = DurationStyle.detectAndParse(floorMax);
        this.lease = DurationStyle.detectAndParse(lease);
    }

    @Override
    public void process(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run == null || cause == null) {
            failure.process(exchange);
            return;
        }
        if (failure.stopping()) {
            // no re-queue while the hub stops: the rolled-back message brings the run back after the restart
            failure.interruptForShutdown(exchange);
            return;
        }
        String waitingFor;
        Duration needed;
        String reason;
        if (cause instanceof ThrottledException throttled) {
            waitingFor = throttled instanceof CircuitOpenException ? CIRCUIT_OPEN : THROTTLED;
            needed = throttled.retryAfter();
            reason = throttled.getMessage();
        } else {
            // the quick retries are spent and the provider is still down: wait for its circuit (or the backoff) and go on
            waitingFor = PROVIDER_UNAVAILABLE;
            needed = gate.circuitOpenFor(run.integration().id());
            reason = SyncFailure.describe(cause);
        }
        long now = System.currentTimeMillis();
        long since = run.waitingSince(now);
        int waits = run.waitsInRow();
        Duration delay = delay(needed, waits);
        boolean outage = !THROTTLED.equals(waitingFor);
        String lastProviderError = run.execution().error();
        String giveUp = settings.giveUpReason(since, now, delay, outage ? "the provider was unavailable" : THROTTLED,
                CIRCUIT_OPEN.equals(waitingFor) && lastProviderError != null ? reason + "; last provider error: " + lastProviderError : reason);
        if (giveUp != null) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, outage ? new TransientProviderException(giveUp, 503, cause)
                    : new ThrottledException(giveUp, delay));
            if (!failure.fail(exchange, SyncExecution.Status.FAILED)) {
                return;
            }
            SyncExecution execution = run.execution();
            deadLetters.send(dispatcher.queueOf(execution), dispatcher.message(execution), SyncDispatcher.eventTypeOf(execution), null,
                    outage ? PROVIDER_UNAVAILABLE : "rate-limit", giveUp, 1);
            meters.counter("hub.ratelimit.gave-up", "flow", "sync").increment();
            return;
        }
        OffsetDateTime resumeAt = Timestamps.now().plus(delay);
        // a stale copy of the run (another took it over under a new fencing token) neither parks it nor queues it again
        if (!fence.asHolder(run, "re-queue the run", () -> {
            checkpoints.park(run.integration().id(), run.entity(), run.executionId(), resumeAt, resumeAt.plus(lease));
            // the provider's error stays readable on the run while it waits for the circuit
            executions.markWaiting(run.executionId(), waitingFor, PROVIDER_UNAVAILABLE.equals(waitingFor) ? reason : null);
            dispatcher.requeueWaiting(run.execution(), delay, since, waitingFor, waits + 1);
        })) {
            return;
        }
        timeline.waiting(run, waitingFor, delay, reason);
        meters.counter("hub.ratelimit.requeued", "flow", "sync").increment();
        if (!waitingFor.equals(run.lastWaitingFor())) {
            LOG.info("Execution {} of {} waits ({}), trying again in {} ms and then as the wait allows: {}", run.executionId(), run.entity(),
                    waitingFor, delay.toMillis(), reason);
        } else {
            LOG.debug("Execution {} still waits ({}), back in {} ms", run.executionId(), waitingFor, delay.toMillis());
        }
    }

    /** What the budget or the circuit needs, but at least the floor, doubled for every wait in a row without progress. */
    Duration delay(Duration needed, int waitsInRow) {
        Duration backoff = floor.multipliedBy(1L << Math.min(waitsInRow, 20));
        if (backoff.compareTo(floorMax) > 0) {
            backoff = floorMax;
        }
        return needed != null && needed.compareTo(backoff) > 0 ? needed : backoff;
    }
}
