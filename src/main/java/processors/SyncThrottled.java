package processors;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import adapters.ThrottledException;
import deadletters.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import ratelimits.RateLimitSettings;
import store.CheckpointStore;
import store.SyncExecution;
import store.SyncExecutionStore;
import sync.SyncDispatcher;

/**
 * A run the rate limits stopped before a provider call: committed pages stay, the entity's lease is
 * let go, and the run goes back on its queue with a delivery delay of the wait (its priority kept),
 * resuming from its checkpoint when it comes back. A run that has waited longer than the maximum wait
 * without progress fails and its request goes to the dead letter with the reason.
 */
@Component
public class SyncThrottled implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SyncThrottled.class);

    private final CheckpointStore checkpoints;
    private final SyncExecutionStore executions;
    private final SyncDispatcher dispatcher;
    private final DeadLetters deadLetters;
    private final SyncFailure failure;
    private final RateLimitSettings settings;
    private final MeterRegistry meters;

    public SyncThrottled(CheckpointStore checkpoints, SyncExecutionStore executions, SyncDispatcher dispatcher, DeadLetters deadLetters,
                         SyncFailure failure, RateLimitSettings settings, MeterRegistry meters) {
        this.checkpoints = checkpoints;
        this.executions = executions;
        this.dispatcher = dispatcher;
        this.deadLetters = deadLetters;
        this.failure = failure;
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void process(Exchange exchange) {
        ThrottledException cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ThrottledException.class);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run == null || cause == null) {
            failure.process(exchange);
            return;
        }
        long now = System.currentTimeMillis();
        long since = run.waitingSince(now);
        Duration wait = cause.retryAfter();
        String reason = settings.giveUpReason(since, now, cause);
        if (reason != null) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new ThrottledException(reason, wait));
            failure.process(exchange);
            SyncExecution execution = run.execution();
            deadLetters.send(dispatcher.queueOf(execution), dispatcher.message(execution), SyncDispatcher.eventTypeOf(execution), null,
                    "rate-limit", reason, 1);
            meters.counter("hub.ratelimit.gave-up", "flow", "sync").increment();
            return;
        }
        checkpoints.release(run.integration().id(), run.entity(), run.executionId());
        executions.markWaiting(run.executionId(), "throttled");
        dispatcher.requeueThrottled(run.execution(), wait, since);
        meters.counter("hub.ratelimit.requeued", "flow", "sync").increment();
        LOG.debug("Execution {} throttled, back in {} ms: {}", run.executionId(), wait.toMillis(), cause.getMessage());
    }
}
