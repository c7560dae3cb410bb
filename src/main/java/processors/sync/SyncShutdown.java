package processors.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import hub.ShutdownSignal;
import store.CheckpointStore;
import store.SyncExecutionStore;

/**
 * The hub is stopping (SIGTERM): a run in flight stops at its next page boundary, or at its failing call, without
 * retrying and without being failed. Its committed pages stay, its lease is let go, the run is pending again, and its
 * transacted queue message is rolled back, so the broker delivers it again after the restart and it resumes from
 * its checkpoint. Used as the step before each page and by the error policy.
 */
@Component
public class SyncShutdown implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SyncShutdown.class);

    private final CheckpointStore checkpoints;
    private final SyncExecutionStore executions;
    private final ShutdownSignal signal;
    private final RunTimeline timeline;
    private final RunFence fence;

    public SyncShutdown(CheckpointStore checkpoints, SyncExecutionStore executions, ShutdownSignal signal, RunTimeline timeline,
                        RunFence fence) {
        this.fence = fence;
        this.timeline = timeline;
        this.checkpoints = checkpoints;
        this.executions = executions;
        this.signal = signal;
    }

    public boolean isStopping() {
        return signal.isStopping();
    }

    /** Thrown before a page when the hub is stopping; the error policy leaves the run resumable ({@link #interrupt}). */
    public static final class StopAtPageBoundary extends RuntimeException {
        StopAtPageBoundary() {
            super("the hub is shutting down", null, false, false);
        }
    }

    /** Before each page: when the hub is stopping, the run stops here. */
    @Override
    public void process(Exchange exchange) {
        if (signal.isStopping()) {
            throw new StopAtPageBoundary();
        }
    }

    /**
     * Leaves the run resumable and its message on the queue; {@code where} says where it stopped, for the log. A stale
     * copy of the run (another took it over under a new fencing token) leaves its lease and state to that one.
     */
    void interrupt(Exchange exchange, String where) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run != null && fence.asHolder(run, "let go of the run as the hub shuts down", () -> {
            checkpoints.release(run.integration().id(), run.entity(), run.executionId());
            executions.markWaiting(run.executionId(), "interrupted", null);
        })) {
            timeline.interrupted(run, where);
            LOG.info("Execution {} of {} stopped {} as the hub shuts down; it resumes from its checkpoint after the restart",
                    run.executionId(), run.entity(), where);
        }
        exchange.setRollbackOnly(true);
    }
}
