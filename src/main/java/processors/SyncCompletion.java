package processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import store.CheckpointStore;
import store.IntegrationStore;
import store.SyncExecution;
import store.SyncExecution.Counts;
import store.SyncExecutionStore;

/**
 * Last step of a run: closes the pass (its cursor becomes the high-water mark) unless
 * maxRecordsPerSync stopped it early, releases the lease and records the outcome.
 */
@Component
public class SyncCompletion implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SyncCompletion.class);

    private final CheckpointStore checkpoints;
    private final SyncExecutionStore executions;
    private final IntegrationStore integrations;

    public SyncCompletion(CheckpointStore checkpoints, SyncExecutionStore executions, IntegrationStore integrations) {
        this.checkpoints = checkpoints;
        this.executions = executions;
        this.integrations = integrations;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String integrationId = run.integration().id();
        if (!run.limitReached()) {
            checkpoints.completePass(integrationId, run.entity(), run.executionId(), run.lastVersion());
        }
        checkpoints.release(integrationId, run.entity(), run.executionId());
        Counts counts = run.counts();
        String status;
        String error = null;
        if (counts.failed() == 0) {
            status = SyncExecution.COMPLETED;
        } else {
            status = counts.succeeded() == 0 ? SyncExecution.FAILED : SyncExecution.PARTIAL;
            error = counts.failed() + " records failed to map; see the execution's failures";
        }
        executions.finish(run.executionId(), status, "completed", error, run.limitReached());
        integrations.markSynced(integrationId);
        LOG.info("Execution {} {} {}: processed {}, created {}, updated {}, unchanged {}, deleted {}, failed {}{}",
                run.executionId(), status, run.entity(), counts.processed(), counts.created(), counts.updated(), counts.unchanged(),
                counts.deleted(), counts.failed(), run.limitReached() ? " (maxRecordsPerSync reached; next run continues)" : "");
    }
}
