package processors.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import store.EventStore;
import store.ExecutionStep;
import store.ExecutionStepStore;
import store.SyncExecution;
import store.SyncExecution.Counts;
import store.SyncExecutionStore;

/**
 * Records a sync run's timeline ({@link ExecutionStep}) where its steps happen: the run starting or resuming, each page
 * (one row per page, in the page's transaction, never one per record), a provider call tried again, a wait on the queue
 * for provider budget, the deletions phase and the run's end. The failed records themselves stay where the page's write
 * keeps them ({@code sync_record_failures}, capped); a page's step counts them.
 */
@Component
public class RunTimeline {

    private static final Logger LOG = LoggerFactory.getLogger(RunTimeline.class);

    private final ExecutionStepStore steps;
    private final SyncExecutionStore executions;
    private final SyncRetryBackoff backoff;

    public RunTimeline(ExecutionStepStore steps, SyncExecutionStore executions, SyncRetryBackoff backoff) {
        this.steps = steps;
        this.executions = executions;
        this.backoff = backoff;
    }

    /** The run took its entity and begins (or, back from its queue, goes on with) its pass. */
    void started(SyncRun run, boolean resumed, String waitedFor) {
        run.pagesWritten(resumed ? steps.pages(run.executionId()) : 0);
        String how = run.passMode() + " pass" + (run.since() == null ? "" : " from " + run.since());
        String detail = !resumed ? "started the " + how
                : "resumed the " + how + (waitedFor == null ? "" : " after waiting (" + waitedFor + ")")
                        + (run.pagesWritten() == 0 ? "" : " after page " + run.pagesWritten());
        append(run.integration().tenantId(), run.executionId(), ExecutionStep.PHASE, detail,
                EventStore.data("phase", "fetching", "resumed", resumed, "mode", run.passMode(), "since", run.since(), "after", waitedFor));
    }

    /** A page written: in the page's transaction, so the step exists exactly when the page's records and counts do. */
    void pageWritten(SyncRun run, Counts c, long writeMs) {
        int page = run.pagesWritten() + 1;
        List<String> parts = new ArrayList<>();
        parts.add(c.created() + " created");
        parts.add(c.updated() + " updated");
        parts.add(c.unchanged() + " unchanged");
        if (c.skipped() > 0) {
            parts.add(c.skipped() + " skipped");
        }
        if (c.deleted() > 0) {
            parts.add(c.deleted() + " deleted");
        }
        if (c.merged() > 0) {
            parts.add(c.merged() + " merged");
        }
        if (c.inReview() > 0) {
            parts.add(c.inReview() + " in review");
        }
        parts.add(c.failed() + " failed");
        String detail = "page " + page + ": " + c.processed() + " records fetched in " + run.lastFetchMs() + " ms, written in " + writeMs
                + " ms: " + String.join(", ", parts);
        steps.append(run.integration().tenantId(), run.executionId(), ExecutionStep.PAGE, detail, EventStore.data(
                "page", page, "records", c.processed(), "fetchMs", run.lastFetchMs(), "writeMs", writeMs, "created", c.created(),
                "updated", c.updated(), "unchanged", c.unchanged(), "skipped", c.skipped(), "deleted", c.deleted(), "merged", c.merged(),
                "inReview", c.inReview(), "failed", c.failed()));
    }

    /** The run moved to another phase (its deletions). */
    void phase(SyncRun run, String phase, String detail) {
        append(run.integration().tenantId(), run.executionId(), ExecutionStep.PHASE, detail, EventStore.data("phase", phase));
    }

    /** The run ends ({@code status}: completed, partial, failed, cancelled), recorded before the execution says so. */
    void ended(String tenantId, String executionId, SyncExecution.Status status, String reason) {
        append(tenantId, executionId, ExecutionStep.PHASE, status.value() + (reason == null ? "" : ": " + reason),
                EventStore.data("phase", status.value(), "reason", reason));
    }

    void ended(SyncRun run, SyncExecution.Status status, String reason) {
        ended(run.integration().tenantId(), run.executionId(), status, reason);
    }

    /** The run ends before its run state was built (refused, or failed loading): its execution says whose it is. */
    void ended(String executionId, SyncExecution.Status status, String reason) {
        executions.findById(executionId).ifPresent(e -> ended(e.tenantId(), executionId, status, reason));
    }

    /** The hub stops: the run goes back on its queue and resumes after the restart. */
    void interrupted(SyncRun run, String where) {
        append(run.integration().tenantId(), run.executionId(), ExecutionStep.PHASE, "interrupted " + where
                + " as the hub shuts down; resumes from its checkpoint after the restart", EventStore.data("phase", "interrupted"));
    }

    /**
     * The run goes back on its queue for {@code delay}: {@code waitingFor} is throttled (the hub's rate limit, or the provider's
     * 429 and Retry-After), circuit-open or provider-unavailable.
     */
    void waiting(SyncRun run, String waitingFor, Duration delay, String reason) {
        append(run.integration().tenantId(), run.executionId(), ExecutionStep.WAIT, waitingFor + ": waits " + delay.toMillis()
                + " ms before page " + (run.pagesWritten() + 1) + (reason == null ? "" : " (" + reason + ")"),
                EventStore.data("waitingFor", waitingFor, "waitMs", delay.toMillis(), "page", run.pagesWritten() + 1, "reason", reason));
    }

    /**
     * Before a redelivery of the failed step (the error policy's {@code onRedelivery}): which try this is, how long it waited
     * (the policy's exponential backoff) and why the last one failed.
     */
    public void retrying(Exchange exchange) {
        try {
            SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
            int attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
            Integer max = exchange.getIn().getHeader(Exchange.REDELIVERY_MAX_COUNTER, Integer.class);
            String reason = SyncFailure.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
            long waitedMs = backoff.delayMs(attempt);
            String detail = "retry " + attempt + (max == null ? "" : " of " + max) + " after " + waitedMs + " ms"
                    + (run == null ? "" : " (page " + (run.pagesWritten() + 1) + ")") + ": " + reason;
            Map<String, Object> data = EventStore.data("attempt", attempt, "maxRetries", max, "waitMs", waitedMs, "reason", reason,
                    "page", run == null ? null : run.pagesWritten() + 1);
            if (run != null) {
                append(run.integration().tenantId(), run.executionId(), ExecutionStep.RETRY, detail, data);
            } else {
                String executionId = exchange.getProperty(SyncRunLoader.EXECUTION_ID, String.class);
                if (executionId != null) {
                    executions.findById(executionId).ifPresent(e -> append(e.tenantId(), executionId, ExecutionStep.RETRY, detail, data));
                }
            }
        } catch (RuntimeException e) {
            // the timeline is for people: a step it could not record never stands in the run's way
            LOG.warn("Could not record a retry on the run's timeline: {}", e.getMessage());
        }
    }

    /**
     * The database failed under the run and answers again after {@code waitedMs}: the run goes back on its queue and tries
     * the page after its last committed one again (numbered from the pages committed, whatever the run had counted).
     */
    void databaseRetry(SyncExecution execution, long waitedMs, String reason) {
        int page = pagesCommitted(execution.id()) + 1;
        append(execution.tenantId(), execution.id(), ExecutionStep.RETRY, "retry after " + waitedMs + " ms (page " + page + "): " + reason,
                EventStore.data("attempt", 1, "waitMs", waitedMs, "reason", reason, "page", page, "waitingFor",
                        SyncDatabaseOutage.DATABASE_UNAVAILABLE));
    }

    private int pagesCommitted(String executionId) {
        try {
            return steps.pages(executionId);
        } catch (RuntimeException e) {
            LOG.warn("Could not count the pages of execution {}: {}", executionId, e.getMessage());
            return 0;
        }
    }

    /** Outside a page's transaction a step is its own statement; one that fails is logged, never the run's failure. */
    private void append(String tenantId, String executionId, String step, String detail, Map<String, Object> data) {
        try {
            steps.append(tenantId, executionId, step, detail, data);
        } catch (RuntimeException e) {
            LOG.warn("Could not record step {} of execution {}: {}", step, executionId, e.getMessage());
        }
    }
}
