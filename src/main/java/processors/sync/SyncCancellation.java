package processors.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import store.CheckpointStore;
import store.SyncExecution;
import store.SyncExecutionStore;

/**
 * Cancelling a run. The cancel is recorded on the execution, so it works from any instance: a run that is queued or waits
 * on its queue ends at once; a running one stops at its next page boundary (the step before each page), keeping its
 * committed pages, and its pass cursor stays where the last page left it, so the next run resumes there.
 */
@Component
public class SyncCancellation implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SyncCancellation.class);
    static final String STOPPED = "cancelled; the pages committed before it stopped are kept";

    private final SyncExecutionStore executions;
    private final CheckpointStore checkpoints;
    private final TransactionTemplate transaction;
    private final RunTimeline timeline;
    private final SyncMeters meters;
    private final RunFence fence;

    public SyncCancellation(SyncExecutionStore executions, CheckpointStore checkpoints, TransactionTemplate transaction,
                            RunTimeline timeline, SyncMeters meters, RunFence fence) {
        this.fence = fence;
        this.meters = meters;
        this.timeline = timeline;
        this.executions = executions;
        this.checkpoints = checkpoints;
        this.transaction = transaction;
    }

    /** Thrown before a page of a run someone cancelled; the error policy ends the run ({@link #stop}). */
    public static final class CancelledAtPageBoundary extends RuntimeException {
        CancelledAtPageBoundary() {
            super("the run was cancelled", null, false, false);
        }
    }

    /** What a cancel did: ended the run now, or asked the running run to stop at its next page. */
    public enum Outcome { CANCELLED, STOPPING, FINISHED }

    /** Cancels the run; {@link Outcome#FINISHED} when it had ended already (nothing changes). */
    public Outcome cancel(SyncExecution execution) {
        return transaction.execute(tx -> {
            if (!executions.requestCancel(execution.id())) {
                return Outcome.FINISHED;
            }
            if (executions.cancelIfPending(execution.id(), STOPPED)) {
                // neither the entity's queued run any more nor the lease's holder while it waited
                checkpoints.unqueue(execution.integrationId(), execution.entity(), execution.id());
                checkpoints.release(execution.integrationId(), execution.entity(), execution.id());
                timeline.ended(execution.tenantId(), execution.id(), SyncExecution.Status.CANCELLED, STOPPED);
                return Outcome.CANCELLED;
            }
            return Outcome.STOPPING;
        });
    }

    /** Before each page: a cancelled run stops here. */
    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (executions.cancelRequestedAt(run.executionId()).isPresent()) {
            throw new CancelledAtPageBoundary();
        }
    }

    /**
     * Ends the cancelled run: its lease let go, recorded as cancelled (once), its queue message consumed. A stale copy of
     * the run (another took it over under a new fencing token) only lets its message go: the current holder stops at its
     * next page boundary and ends the run.
     */
    public void stop(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (!fence.asHolder(run, "end the cancelled run", () -> {
            checkpoints.release(run.integration().id(), run.entity(), run.executionId());
            if (executions.findById(run.executionId()).filter(SyncExecution::finished).isEmpty()) {
                timeline.ended(run, SyncExecution.Status.CANCELLED, STOPPED);
                executions.finish(run.executionId(), SyncExecution.Status.CANCELLED, "cancelled", STOPPED, false);
            }
        })) {
            return;
        }
        meters.finished(run, SyncExecution.Status.CANCELLED);
        LOG.info("Execution {} of {} cancelled at a page boundary after {} records", run.executionId(), run.entity(),
                run.counts().processed());
    }
}
