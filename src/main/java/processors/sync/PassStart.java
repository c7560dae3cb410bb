package processors.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import providers.ConnectionContext;
import providers.PullFilter;
import store.Checkpoint;
import store.CheckpointStore;
import store.Integration;
import store.SyncExecution;
import store.SyncExecutionStore;

/**
 * start-pass: the run holds its entity's lease; it stops being the entity's queued run, reads its mode as it is now
 * (a full task may have widened it while it was queued), resumes the checkpoint's pass or starts a new one, and
 * becomes the {@link SyncRun} the rest of sync-inbound works on. Does nothing when no run is starting.
 */
@Component
public class PassStart implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(PassStart.class);

    private final CheckpointStore checkpoints;
    private final SyncExecutionStore executions;
    private final RunTimeline timeline;

    public PassStart(CheckpointStore checkpoints, SyncExecutionStore executions, RunTimeline timeline) {
        this.checkpoints = checkpoints;
        this.executions = executions;
        this.timeline = timeline;
    }

    @Override
    public void process(Exchange exchange) {
        SyncStart start = exchange.getProperty(SyncStart.PROPERTY, SyncStart.class);
        if (start == null) {
            return;
        }
        SyncExecution execution = start.execution();
        Integration integration = start.integration();
        String waitingFor = start.waitingFor();
        // started: changes announced from now on need a run of their own
        checkpoints.unqueue(integration.id(), execution.entity(), execution.id());
        // a full task may have widened this run while it was queued: its mode as it is now that nothing can join it
        SyncExecution started = executions.findById(execution.id()).orElse(execution);
        Checkpoint checkpoint = checkpoints.load(integration.id(), execution.entity());
        String passMode;
        String since;
        boolean resuming = checkpoint.passInProgress()
                && (checkpoint.passMode().equals(started.mode()) || "full".equals(checkpoint.passMode()));
        if (resuming) {
            passMode = checkpoint.passMode();
            since = checkpoint.passCursor();
            if (waitingFor == null) {
                LOG.info("Execution {} resumes the {} pass of {} from {}", execution.id(), passMode, execution.entity(), since);
            } else {
                // back from waiting on its queue: said once when it goes on (PageFetcher), not at every return
                LOG.debug("Execution {} back from waiting ({}), resumes the {} pass of {} from {}", execution.id(), waitingFor, passMode,
                        execution.entity(), since);
            }
        } else {
            passMode = started.mode();
            since = "full".equals(passMode) ? null : checkpoint.highWaterMark();
            checkpoints.startPass(integration.id(), execution.entity(), execution.id(), passMode, since);
            // with its resume line above, each instance's log says which runs it took (bench/scale-out.py reads them)
            LOG.info("Execution {} starts the {} pass of {}", execution.id(), passMode, execution.entity());
        }
        executions.markRunning(execution.id(), "fetching");
        ConnectionContext context = new ConnectionContext(integration.tenantId(), integration.id(), integration.providerId(),
                start.credentials(), integration.settings().sources());
        Long maxRecords = integration.maxRecordsPerSync() == null ? null : integration.maxRecordsPerSync().longValue();
        SyncRun run = new SyncRun(started, integration, start.adapter(), context, start.mapping(),
                new ArrayList<>(start.mapping().sourceFields()), filters(integration, execution.entity()), passMode, since, maxRecords,
                start.claimedAt());
        if (resuming && checkpoint.passPageCursor() != null && !start.adapter().recordsInMarkerOrder()) {
            // records in no marker order: the pass goes on at the page after the last one committed
            run.resumeAtPage(checkpoint.passPageCursor());
        }
        run.leaseToken(start.leaseToken());
        run.throttledSince(start.waitingSince());
        run.waited(waitingFor, start.waitsInRow());
        // started before: back from its queue (a wait, a crash, a restart), it goes on numbering its pages
        timeline.started(run, started.startedAt() != null, waitingFor);
        exchange.removeProperty(SyncStart.PROPERTY);
        exchange.setProperty(SyncRun.PROPERTY, run);
        // from here on the run's state is in SyncRun: drop the JMS message, which every split record would otherwise copy
        exchange.setMessage(new DefaultMessage(exchange));
    }

    private static List<PullFilter> filters(Integration integration, String entity) {
        List<Map<String, Object>> specs = integration.settings().pullFilters().getOrDefault(entity, List.of());
        return specs.stream().map(s -> new PullFilter((String) s.get("field"), (String) s.get("op"), s.get("value"))).toList();
    }
}
