package processors.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import store.CheckpointStore;
import store.IntegrationStore;
import store.SyncExecution.Counts;
import store.SyncExecution;
import store.SyncExecutionStore;

/**
 * Last step of a run: closes the pass (its cursor, or the resume marker the provider gave on its last page,
 * becomes the high-water mark) unless
 * maxRecordsPerSync stopped it early, releases the lease and records the outcome.
 */
@Component
public class SyncCompletion implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SyncCompletion.class);

    private final CheckpointStore checkpoints;
    private final SyncExecutionStore executions;
    private final IntegrationStore integrations;
    private final TransactionTemplate transaction;
    private final SyncMeters meters;
    private final RunTimeline timeline;

    public SyncCompletion(CheckpointStore checkpoints, SyncExecutionStore executions, IntegrationStore integrations,
                          TransactionTemplate transaction, RunTimeline timeline, SyncMeters meters) {
        this.timeline = timeline;
        this.transaction = transaction;
        this.meters = meters;
        this.checkpoints = checkpoints;
        this.executions = executions;
        this.integrations = integrations;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String integrationId = run.integration().id();
        Counts counts = run.counts();
        SyncExecution.Status status = counts.failed() == 0 ? SyncExecution.Status.COMPLETED
                : counts.succeeded() == 0 ? SyncExecution.Status.FAILED : SyncExecution.Status.PARTIAL;
        String error = counts.failed() == 0 ? null : counts.failed() + " records failed to map; see the execution's failures";
        // one transaction: the lease is free only once the run is recorded as finished (a tenant's next run starts after it)
        transaction.executeWithoutResult(tx -> {
            checkpoints.checkHolder(integrationId, run.entity(), run.executionId(), run.leaseToken());
            if (!run.limitReached()) {
                checkpoints.completePass(integrationId, run.entity(), run.executionId(), run.highWaterMark());
            }
            checkpoints.release(integrationId, run.entity(), run.executionId());
            timeline.ended(run, status, (error != null ? error + "; " : "") + counts.processed() + " records in " + run.pagesWritten()
                    + (run.pagesWritten() == 1 ? " page" : " pages")
                    + (run.limitReached() ? "; maxRecordsPerSync reached, the next run goes on" : ""));
            executions.finish(run.executionId(), status, "completed", error, run.limitReached());
            integrations.markSynced(integrationId);
        });
        meters.finished(run, status);
        LOG.info("Execution {} {} {}: processed {}, created {}, updated {}, unchanged {}, deleted {}, failed {}{}",
                run.executionId(), status, run.entity(), counts.processed(), counts.created(), counts.updated(), counts.unchanged(),
                counts.deleted(), counts.failed(), run.limitReached() ? " (maxRecordsPerSync reached; next run continues)" : "");
    }
}
