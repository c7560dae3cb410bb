package processors.sync;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

import store.DatabaseUnavailable;
import store.SyncExecution;
import store.SyncExecutionStore;

/**
 * A run the database failed under ({@link DatabaseUnavailable}: no connection, a connection broken mid-page, a commit
 * whose outcome is unknown): not a failure of the run, nothing counted as failed. The run waits for the database to
 * answer again (backing off as the sync's retries do, {@link SyncRetryBackoff}, at most
 * {@code hub.sync.database-wait}), records the retry on its timeline with the reason, and goes back on its queue at
 * once; its next delivery resumes from the checkpoint the last committed page left. A page whose commit failed is
 * fetched and written again; one that did commit (its outcome unknown to the run) is not: the checkpoint, the counts and
 * the page's step committed with it, so the resumed run goes on after it, and a record met again is matched to its
 * shard by external id. While the hub stops, or when the database stays away longer, the run's message rolls back
 * and the broker delivers it again later.
 */
@Component
public class SyncDatabaseOutage implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SyncDatabaseOutage.class);

    static final String DATABASE_UNAVAILABLE = "database-unavailable";

    private final SyncExecutionStore executions;
    private final SyncDispatcher dispatcher;
    private final SyncShutdown shutdown;
    private final RunTimeline timeline;
    private final RunFence fence;
    private final SyncRetryBackoff backoff;
    private final Duration maxWait;

    public SyncDatabaseOutage(SyncExecutionStore executions, SyncDispatcher dispatcher, SyncShutdown shutdown, RunTimeline timeline,
                              RunFence fence, SyncRetryBackoff backoff, @Value("${hub.sync.database-wait}") String maxWait) {
        this.executions = executions;
        this.dispatcher = dispatcher;
        this.shutdown = shutdown;
        this.timeline = timeline;
        this.fence = fence;
        this.backoff = backoff;
        this.maxWait = DurationStyle.detectAndParse(maxWait);
    }

    /** Whether the error policy hands the caught exception here. */
    public static boolean caught(Exchange exchange) {
        return DatabaseUnavailable.in(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
    }

    @Override
    public void process(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String executionId = run != null ? run.executionId() : exchange.getProperty(SyncRunLoader.EXECUTION_ID, String.class);
        String reason = reason(cause);
        LOG.warn("Execution {}: {}; waiting for the database", executionId, reason, cause);
        long start = System.nanoTime();
        Answer answer = executionId == null ? new Answer(false, null) : awaitDatabase(executionId);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        if (!answer.answered() || answer.execution() == null) {
            // the hub stops, the database is still away, or the message names no run: the broker delivers it again later
            LOG.warn("Execution {}: the database {} after {} ms; the run's message goes back to the broker", executionId,
                    answer.answered() ? "has no such run" : shutdown.isStopping() ? "was not waited for as the hub stops" : "is still unavailable",
                    waitedMs);
            exchange.setRollbackOnly(true);
            return;
        }
        if (answer.execution().finished()) {
            // the commit that failed on its way back was the run's last: it has ended, nothing to resume
            LOG.info("Execution {} is {}; nothing to resume", executionId, answer.execution().status());
            return;
        }
        SyncExecution current = answer.execution();
        if (run != null) {
            // a stale copy of the run (another took it over under a new fencing token) neither marks it nor queues it again
            if (!fence.asHolder(run, "queue the run again after the database came back", () -> requeue(current))) {
                return;
            }
        } else {
            requeue(current);
        }
        timeline.databaseRetry(current, waitedMs, reason);
        LOG.info("Execution {} of {}: the database answers again after {} ms; the run resumes from its checkpoint", current.id(),
                current.entity(), waitedMs);
    }

    private void requeue(SyncExecution execution) {
        if (execution.startedAt() != null) {
            executions.markWaiting(execution.id(), DATABASE_UNAVAILABLE, null);
        }
        dispatcher.requeueWaiting(execution, Duration.ZERO, System.currentTimeMillis(), DATABASE_UNAVAILABLE, 0);
    }

    /** Whether the database answered, and the run's execution it answered with (null when it has none). */
    private record Answer(boolean answered, SyncExecution execution) {
    }

    /**
     * Asks the database for the run's execution until it answers, backing off between tries; not answered when the hub
     * stops or the database stays away for longer than {@code hub.sync.database-wait}.
     */
    private Answer awaitDatabase(String executionId) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        int attempt = 0;
        while (!shutdown.isStopping()) {
            try {
                return new Answer(true, executions.findById(executionId).orElse(null));
            } catch (RuntimeException e) {
                if (!DatabaseUnavailable.in(e)) {
                    throw e;
                }
            }
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return new Answer(false, null);
            }
            try {
                Thread.sleep(Math.min(backoff.delayMs(++attempt), leftMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(false, null);
            }
        }
        return new Answer(false, null);
    }

    /** What tenants read: that the database did not answer, and the kind of failure (never the driver's text). */
    static String reason(Exception cause) {
        Throwable found = DatabaseUnavailable.find(cause);
        return "the database did not answer (" + (found == null ? "unknown" : found.getClass().getSimpleName())
                + "); the page is tried again from the run's last committed checkpoint";
    }
}
