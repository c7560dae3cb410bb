package processors.sync;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import store.CheckpointStore;
import store.SyncExecution;
import store.SyncExecutionStore;

/** A run that cannot start: it is no longer the entity's queued run nor its holder, and it ends as failed with the reason. */
@Component
class SyncRefusal {

    private final CheckpointStore checkpoints;
    private final SyncExecutionStore executions;
    private final RunTimeline timeline;

    SyncRefusal(CheckpointStore checkpoints, SyncExecutionStore executions, RunTimeline timeline) {
        this.timeline = timeline;
        this.checkpoints = checkpoints;
        this.executions = executions;
    }

    void refuse(Exchange exchange, SyncExecution execution, String reason) {
        exchange.removeProperty(SyncStart.PROPERTY);
        checkpoints.unqueue(execution.integrationId(), execution.entity(), execution.id());
        // a run refused when it came back from waiting held the entity meanwhile: it lets go now
        checkpoints.release(execution.integrationId(), execution.entity(), execution.id());
        timeline.ended(execution.tenantId(), execution.id(), SyncExecution.Status.FAILED, reason);
        executions.finish(execution.id(), SyncExecution.Status.FAILED, "not-started", reason, false);
    }
}
