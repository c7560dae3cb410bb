package processors.sync;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.DeliveryMode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

import hub.CloudEvents;
import hub.Ids;
import hub.TemporarilyUnavailableException;
import hub.Traces;
import messaging.QueueHeaders;
import store.CheckpointStore;
import store.SyncExecution;
import store.SyncExecutionStore;
import store.SyncTask;
import store.SyncTaskStore;
import store.Timestamps;

/**
 * Hands sync work to the routes: records a pending execution, then hands a CloudEvents-shaped
 * message to the queue-sync-run route ({@link #QUEUE_ROUTE}), which puts it on its inbound queue
 * (persistent, with its priority and type, and a delivery delay when it is a re-queue). The routes do the rest.
 */
@Component
public class SyncDispatcher {

    public static final String TRIGGER_MANUAL = "manual";
    public static final String TRIGGER_SCHEDULED = "scheduled";
    public static final String TRIGGER_WEBHOOK = "webhook";

    private final SyncExecutionStore executions;
    private final SyncTaskStore tasks;
    private final CheckpointStore checkpoints;
    /** The route that puts a run on its inbound queue. */
    public static final String QUEUE_ROUTE = "direct:queue-sync-run";
    /** Exchange property of a run handed to {@link #QUEUE_ROUTE}: its trigger, which picks the queue. */
    public static final String TRIGGER = "hub.syncTrigger";

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final String scheduledQueue;
    private final String webhookQueue;
    private final Duration busyRetryDelay;
    private final Traces traces;

    /** The span of a change that joined a queued run, in the change's trace, linked to the trace the run was queued in. */
    public static final String JOINED_SPAN = "joined queued sync";

    public SyncDispatcher(SyncExecutionStore executions, SyncTaskStore tasks, CheckpointStore checkpoints, ProducerTemplate producer,
                          ObjectMapper json,
                          @Value("${hub.queue.sync-inbound-scheduled}") String scheduledQueue,
                          @Value("${hub.queue.sync-inbound-webhook}") String webhookQueue,
                          @Value("${hub.sync.busy-retry-delay}") String busyRetryDelay, Traces traces) {
        this.traces = traces;
        this.executions = executions;
        this.tasks = tasks;
        this.checkpoints = checkpoints;
        this.producer = producer;
        this.json = json;
        this.scheduledQueue = scheduledQueue;
        this.webhookQueue = webhookQueue;
        this.busyRetryDelay = DurationStyle.detectAndParse(busyRetryDelay);
    }

    /**
     * Stores the run as pending, then makes it the entity's queued run unless one is queued already; returns the queued
     * run's id. In this order, a trigger that finds a queued run without a pending execution knows that run ended
     * without starting (and takes its place), never that it is not stored yet.
     */
    private String queueOnce(SyncExecution execution) {
        executions.insert(execution);
        return checkpoints.queueOnce(execution.integrationId(), execution.entity(), execution.id(), execution.createdAt());
    }

    /** Message property of a run re-queued to wait: what it waits for (a waiting state; logged when it changes). */
    public static final String WAITING_FOR = "CastielWaitingFor";
    /** Message property of a run re-queued to wait: how many times in a row it has been re-queued without progress. */
    public static final String WAITS_IN_ROW = "CastielWaitsInRow";

    /**
     * Queues a run of the task, unless a run of its entity is queued and not started yet: that run is the task's run
     * too (a full task makes a queued incremental run full). Returns the pending execution, new or joined. The
     * database decides which run is queued, so this holds across instances.
     */
    public SyncExecution dispatch(SyncTask task, String trigger) {
        SyncExecution execution = queue(task.tenantId(), task.integrationId(), task.id(), task.entity(), task.mode(), trigger);
        tasks.recordRun(task.id(), execution.id());
        return execution;
    }

    /**
     * Queues a new run of the entity and mode of a run that failed or was cancelled (a person asked for it), or joins
     * the entity's queued run as {@link #dispatch} does; the new run records which one it repeats.
     */
    public SyncExecution retry(SyncExecution ended) {
        SyncExecution execution = queue(ended.tenantId(), ended.integrationId(), ended.taskId(), ended.entity(), ended.mode(),
                TRIGGER_MANUAL);
        executions.retryOf(execution.id(), ended.id());
        return execution;
    }

    private SyncExecution queue(String tenantId, String integrationId, String taskId, String entity, String mode, String trigger) {
        SyncExecution execution = pending(Ids.newId(), tenantId, integrationId, taskId, entity, mode, trigger);
        String id = execution.id();
        String queued = queueOnce(execution);
        if (!queued.equals(id)) {
            SyncExecution joined = executions.findById(queued).orElse(null);
            if (joined != null && (!"full".equals(mode) || "full".equals(joined.mode()) || executions.widenToFull(queued))) {
                executions.discard(id);
                return executions.findById(queued).orElse(joined);
            }
            // the queued run started meanwhile: this one is queued beside it
        }
        try {
            send(execution);
        } catch (RuntimeException e) {
            checkpoints.unqueue(integrationId, entity, id);
            throw e;
        }
        return execution;
    }

    /** What a provider's change led to: a new incremental run of the entity, or the one already queued for it. */
    public record ChangeRun(String executionId, boolean coalesced) {
    }

    /**
     * Queues an incremental run of the entity for a change a provider announced, unless a run for it
     * is queued and not started yet: that run will see this change too, so a burst of changes to one
     * entity makes one run, not one per change. Traced, a change that joins the queued run ends its trace in a
     * {@value #JOINED_SPAN} span linked to the trace the run was queued in (where the run is), tagged with its execution.
     */
    public ChangeRun dispatchForChange(String tenantId, String integrationId, String entity) {
        // most changes of a burst find the run queued by the first: they join it without storing a run of their own
        Optional<ChangeRun> joined = joinQueued(integrationId, entity);
        if (joined.isPresent()) {
            return joined.get();
        }
        SyncExecution execution = pending(Ids.newId(), tenantId, integrationId, null, entity, "incremental", TRIGGER_WEBHOOK);
        String id = execution.id();
        String queued = queueOnce(execution);
        if (!queued.equals(id)) {
            executions.discard(id);
            return joined(integrationId, entity, queued);
        }
        try {
            send(execution);
        } catch (RuntimeException e) {
            checkpoints.unqueue(integrationId, entity, id);
            throw e;
        }
        return new ChangeRun(id, false);
    }

    /**
     * The entity's queued run, joined for a change a provider announced, when one is queued and not started yet (as
     * {@link #dispatchForChange} does first); empty when the change needs a run of its own. It sends nothing, so it
     * can share the caller's transaction.
     */
    public Optional<ChangeRun> joinQueued(String integrationId, String entity) {
        return checkpoints.joinPending(integrationId, entity).map(queued -> joined(integrationId, entity, queued));
    }

    private ChangeRun joined(String integrationId, String entity, String queued) {
        if (traces.currentParent() != null) {
            traces.handedOver(JOINED_SPAN, executions.traceParent(queued).orElse(null),
                    Map.of("hub.integration", integrationId, "hub.entity", entity, "hub.execution", queued));
        }
        return new ChangeRun(queued, true);
    }

    /**
     * Puts a run that must wait for the entity's running sync, or for a free slot of its tenant, back on its
     * queue, delivered after the busy-retry delay or {@code atLeast}, whichever is longer, with the time its waiting began.
     */
    public void redeliverLater(SyncExecution execution, long waitingSinceMs, Duration atLeast) {
        long delay = Math.max(busyRetryDelay.toMillis(), atLeast.toMillis());
        requeue(execution, delay, Map.of(QueueHeaders.WAITING_SINCE, Long.toString(waitingSinceMs)));
    }

    /**
     * Puts a waiting run (throttled, circuit open, provider unavailable) back on its queue, delivered once the wait is
     * over, with its priority, the time its waiting began (so the maximum wait counts from there), what it waits for and
     * how many times in a row it has waited.
     */
    public void requeueWaiting(SyncExecution execution, Duration wait, long waitingSinceMs, String waitingFor, int waitsInRow) {
        requeue(execution, Math.max(1, wait.toMillis()), Map.of(QueueHeaders.WAITING_SINCE, Long.toString(waitingSinceMs),
                WAITING_FOR, waitingFor, WAITS_IN_ROW, Integer.toString(waitsInRow)));
    }

    /** Re-queues the run, delivered after {@code delayMs}; a failure to queue is the caller's (the consumed message rolls back). */
    private void requeue(SyncExecution execution, long delayMs, Map<String, String> properties) {
        Exception failed = queue(execution, delayMs, properties);
        if (failed != null) {
            throw new IllegalStateException("could not re-queue execution " + execution.id() + ": " + failed.getMessage(), failed);
        }
    }

    /** Hands the run to the queue route; returns what went wrong, or null once the message is on the queue. */
    private Exception queue(SyncExecution execution, long delayMs, Map<String, String> properties) {
        Exchange sent = producer.send(QUEUE_ROUTE, exchange -> {
            exchange.setProperty(TRIGGER, execution.trigger());
            Message message = exchange.getMessage();
            message.setBody(message(execution));
            message.setHeader("JMSPriority", priority(execution.trigger()));
            message.setHeader("JMSType", eventType(execution.trigger()));
            message.setHeader("JMSDeliveryMode", DeliveryMode.PERSISTENT);
            if (delayMs > 0) {
                message.setHeader(QueueHeaders.DELIVER_AT, System.currentTimeMillis() + delayMs);
            }
            properties.forEach(message::setHeader);
        });
        return sent.getException();
    }

    /** The run's request as it travels on the queue (for the dead letter), and that queue. */
    public String message(SyncExecution execution) {
        return cloudEvent(request(execution), execution.createdAt());
    }

    public String queueOf(SyncExecution execution) {
        return TRIGGER_WEBHOOK.equals(execution.trigger()) ? webhookQueue : scheduledQueue;
    }

    public static String eventTypeOf(SyncExecution execution) {
        return eventType(execution.trigger());
    }

    private static SyncExecution pending(String id, String tenantId, String integrationId, String taskId, String entity, String mode,
                                         String trigger) {
        return new SyncExecution(id, tenantId, integrationId, taskId, entity, mode, trigger, SyncExecution.Status.PENDING, "queued",
                SyncExecution.Counts.ZERO, false, null, Timestamps.now(), null, null, null);
    }


    private static SyncRequest request(SyncExecution execution) {
        return new SyncRequest(execution.id(), execution.tenantId(), execution.integrationId(), execution.taskId(),
                execution.entity(), execution.mode(), execution.trigger());
    }

    private void send(SyncExecution execution) {
        Exception failed = queue(execution, 0, Map.of());
        if (failed != null) {
            executions.finish(execution.id(), SyncExecution.Status.FAILED, "queued", "could not queue the sync: " + failed.getMessage(), false);
            throw new TemporarilyUnavailableException("the sync queue is unavailable; try again");
        }
    }

    private String cloudEvent(SyncRequest request, OffsetDateTime time) {
        return CloudEvents.write(json, eventType(request.trigger()),
                URI.create("/integrations/" + request.integrationId() + "/tasks/" + request.taskId()).toString(), request.executionId(), time,
                request);
    }

    private static String eventType(String trigger) {
        return switch (trigger) {
            case TRIGGER_SCHEDULED -> "Castiel.Integration.SyncScheduled";
            default -> "Castiel.Integration.SyncRequested";
        };
    }

    // webhook-triggered work first, then what a person asked for, then the schedule
    private static int priority(String trigger) {
        return switch (trigger) {
            case TRIGGER_WEBHOOK -> 8;
            case TRIGGER_MANUAL -> 6;
            default -> 4;
        };
    }
}
