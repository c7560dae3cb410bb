package processors.sync;

import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import providers.ProviderException;
import store.CheckpointStore.LeaseLostException;
import store.CheckpointStore;
import store.SyncExecution;
import store.SyncExecutionStore;

/**
 * Ends a run that failed after retries: committed pages stay (the run is partial), the pass cursor
 * stays where the last page left it so the next run resumes there, and the reason is recorded.
 */
@Component
public class SyncFailure implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SyncFailure.class);
    static final String INTERNAL_ERROR = "internal error";
    /** Top-level packages of the hub's own exceptions, whose messages are written for tenants. */
    private static final Set<String> HUB_PACKAGES = Set.of("providers", "processors", "store", "ratelimits", "hub", "security",
            "routes", "messaging", "connections");

    private final CheckpointStore checkpoints;
    private final SyncExecutionStore executions;

    private final SyncShutdown shutdown;
    private final RunTimeline timeline;
    private final SyncMeters meters;
    private final RunFence fence;

    public SyncFailure(CheckpointStore checkpoints, SyncExecutionStore executions, SyncShutdown shutdown, RunTimeline timeline,
                       SyncMeters meters, RunFence fence) {
        this.fence = fence;
        this.meters = meters;
        this.timeline = timeline;
        this.checkpoints = checkpoints;
        this.executions = executions;
        this.shutdown = shutdown;
    }

    @Override
    public void process(Exchange exchange) {
        fail(exchange, null);
    }

    /**
     * Ends the run with the caught exception as the reason: {@code status}, or when null partial/failed by what it committed.
     * False when it did not end it: the hub stops (the run resumes after the restart), or this copy of the run no longer
     * holds its lease (another delivery goes on with it).
     */
    boolean fail(Exchange exchange, SyncExecution.Status status) {
        if (shutdown.isStopping()) {
            // what failed while the hub stops (its sessions closed, its broker going) says nothing of the run
            shutdown.interrupt(exchange, exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof SyncShutdown.StopAtPageBoundary
                    ? "at a page boundary" : "at a failed call");
            return false;
        }
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run == null) {
            String executionId = exchange.getProperty(SyncRunLoader.EXECUTION_ID, String.class);
            LOG.error("Sync execution {} failed before its run started: {}", executionId, describe(cause), cause);
            if (executionId != null) {
                executions.findById(executionId).ifPresent(execution -> {
                    // neither the entity's queued run any more nor its holder, if it held it while waiting
                    checkpoints.unqueue(execution.integrationId(), execution.entity(), executionId);
                    checkpoints.release(execution.integrationId(), execution.entity(), executionId);
                });
                timeline.ended(executionId, SyncExecution.Status.FAILED, describe(cause));
                executions.finish(executionId, SyncExecution.Status.FAILED, "not-started", describe(cause), false);
            }
            return true;
        }
        if (cause instanceof LeaseLostException lost && lost.toAnotherDelivery()) {
            // this instance was paused or cut off from the broker, which gave the run's message to another instance:
            // the run goes on there from its checkpoint; this delivery stops without touching it
            LOG.warn("Execution {} of {}: a later delivery of the run holds its lease and goes on with it; this one stops",
                    run.executionId(), run.entity());
            return false;
        }
        String reason = describe(cause);
        SyncExecution.Status ended = status != null ? status
                : run.counts().succeeded() > 0 ? SyncExecution.Status.PARTIAL : SyncExecution.Status.FAILED;
        if (cause instanceof LeaseLostException) {
            // the run's entity went to another run (its lease ran out): nobody else runs this execution, it ends here
            timeline.ended(run, ended, reason);
            executions.finish(run.executionId(), ended, "failed", reason, false);
        } else if (!fence.asHolder(run, "end the run", () -> {
            checkpoints.release(run.integration().id(), run.entity(), run.executionId());
            timeline.ended(run, ended, reason);
            executions.finish(run.executionId(), ended, "failed", reason, false);
        })) {
            return false;
        }
        meters.finished(run, ended);
        LOG.warn("Execution {} {} {}: {}", run.executionId(), ended, run.entity(), reason);
        if (reason.startsWith(INTERNAL_ERROR)) {
            LOG.warn("Execution {} failed on", run.executionId(), cause);
        }
        return true;
    }

    boolean stopping() {
        return shutdown.isStopping();
    }

    void interruptForShutdown(Exchange exchange) {
        shutdown.interrupt(exchange, "at a held-back call");
    }

    /**
     * The reason tenants read: a provider error's fixed text by kind, or the hub's own exception's message;
     * any other exception (a library's, a NullPointerException) as "internal error" with its class and where the hub
     * met it, which an operator can look up or report; its text, which may quote data or addresses, only goes to the log.
     */
    static String describe(Exception cause) {
        if (cause == null) {
            return "unknown failure";
        }
        if (cause instanceof ProviderException provider) {
            return provider.kind().name().toLowerCase() + " provider error: " + provider.getMessage();
        }
        for (Throwable c : ExceptionUtils.getThrowableList(cause)) {
            if (c instanceof ProviderException provider) {
                return describe(provider);
            }
            if (HUB_PACKAGES.contains(c.getClass().getPackageName().split("\\.")[0]) && c.getMessage() != null) {
                return c.getMessage();
            }
        }
        return internalError(cause);
    }

    /** "internal error (NullPointerException in ShardUpsert.java:120); the hub's log has the details". */
    static String internalError(Throwable cause) {
        // the last of the chain, which stops where a cause loops back
        Throwable root = ExceptionUtils.getRootCause(cause);
        StackTraceElement where = hubFrame(root);
        if (where == null) {
            where = hubFrame(cause);
        }
        return INTERNAL_ERROR + " (" + root.getClass().getSimpleName() + (where == null ? "" : " in " + where.getFileName() + ":"
                + where.getLineNumber()) + "); the hub's log has the details";
    }

    private static StackTraceElement hubFrame(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            int dot = frame.getClassName().indexOf('.');
            if (dot > 0 && HUB_PACKAGES.contains(frame.getClassName().substring(0, dot))) {
                return frame;
            }
        }
        return null;
    }
}
