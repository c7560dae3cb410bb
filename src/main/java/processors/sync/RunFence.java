package processors.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import store.CheckpointStore;
import store.CheckpointStore.LeaseLostException;

/**
 * Writes to a run's lease and state made by one copy of the run: in one transaction that first checks that this copy
 * still holds the run's lease under its own fencing token ({@link CheckpointStore#checkHolder}, the row locked until
 * the writes commit), as a page and the run's completion do. A stale copy (its instance was paused or cut off while
 * another took the run over under a new token, or the run's entity went to another run) writes nothing: the
 * current holder goes on with the run.
 */
@Component
public class RunFence {

    private static final Logger LOG = LoggerFactory.getLogger(RunFence.class);

    private final CheckpointStore checkpoints;
    private final TransactionTemplate transaction;

    public RunFence(CheckpointStore checkpoints, TransactionTemplate transaction) {
        this.checkpoints = checkpoints;
        this.transaction = transaction;
    }

    /** Runs {@code writes} when this copy of the run holds its lease; false (nothing written) when it does not. */
    boolean asHolder(SyncRun run, String what, Runnable writes) {
        try {
            transaction.executeWithoutResult(tx -> {
                checkpoints.checkHolder(run.integration().id(), run.entity(), run.executionId(), run.leaseToken());
                writes.run();
            });
            return true;
        } catch (LeaseLostException lost) {
            LOG.warn("Execution {} of {}: {}; this copy of the run does not {}", run.executionId(), run.entity(), lost.getMessage(), what);
            return false;
        }
    }
}
