package processors.sync;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

import hub.CloudEvents;
import hub.Ids;
import hub.TemporarilyUnavailableException;
import messaging.QueueWriter;
import store.CheckpointStore;
import store.SyncExecution;
import store.SyncExecutionStore;
import store.SyncTask;
import store.SyncTaskStore;
import store.Timestamps;

/**
 * Hands sync work to the routes: records a pending execution, then puts a CloudEvents-shaped
 * message on the inbound queue (persistent). The routes do the rest.
 */
@Component
public class SyncDispatcher {

    public static final String TRIGGER_MANUAL = "manual";
    public static final String TRIGGER_SCHEDULED = "scheduled";
    public static final String TRIGGER_WEBHOOK = "webhook";

    private final SyncExecutionStore executions;
    private final SyncTaskStore tasks;
    private final CheckpointStore checkpoints;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final String scheduledQueue;
    private final String webhookQueue;
    private final Duration busyRetryDelay;
    private final QueueWriter queueWriter;

    public SyncDispatcher(SyncExecutionStore executions, SyncTaskStore tasks, CheckpointStore checkpoints, ProducerTemplate producer,
                          ObjectMapper json,
                          @Value("${hub.queue.sync-inbound-scheduled}") String scheduledQueue,
                          @Value("${hub.queue.sync-inbound-webhook}") String webhookQueue,
                          @Value("${hub.sync.busy-retry-delay}") String busyRetryDelay, QueueWriter queueWriter) {
        this.queueWriter = queueWriter;
        this.executions = executions;
        this.tasks = tasks;
        this.checkpoints = checkpoints;
        this.producer = producer;
        this.json = json;
        this.scheduledQueue = scheduledQueue;
        this.webhookQueue = webhookQueue;
        this.busyRetryDelay = DurationStyle.detectAndParse(busyRetryDelay);
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
        String id = Ids.newId();
        String queued = checkpoints.queueOnce(task.integrationId(), task.entity(), id);
        if (!queued.equals(id)) {
            SyncExecution joined = executions.findById(queued).orElse(null);
            if (joined != null && (!"full".equals(task.mode()) || "full".equals(joined.mode()) || executions.widenToFull(queued))) {
                tasks.recordRun(task.id(), queued);
                return executions.findById(queued).orElse(joined);
            }
            // the queued run started meanwhile (or is not there yet): this one is queued beside it
        }
        SyncExecution execution = pending(id, task.tenantId(), task.integrationId(), task.id(), task.entity(), task.mode(), trigger);
        executions.insert(execution);
        tasks.recordRun(task.id(), execution.id());
        try {
            send(execution);
        } catch (RuntimeException e) {
            checkpoints.unqueue(task.integrationId(), task.entity(), id);
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
     * entity makes one run, not one per change.
     */
    public ChangeRun dispatchForChange(String tenantId, String integrationId, String entity) {
        String id = Ids.newId();
        String queued = checkpoints.queueOnce(integrationId, entity, id);
        if (!queued.equals(id)) {
            return new ChangeRun(queued, true);
        }
        SyncExecution execution = pending(id, tenantId, integrationId, null, entity, "incremental", TRIGGER_WEBHOOK);
        executions.insert(execution);
        try {
            send(execution);
        } catch (RuntimeException e) {
            checkpoints.unqueue(integrationId, entity, id);
            throw e;
        }
        return new ChangeRun(id, false);
    }

    /**
     * Puts a run that must wait for the entity's running sync, or for a free slot of its tenant, back on its
     * queue, delivered after the busy-retry delay or {@code atLeast}, whichever is longer, with the time its waiting began.
     */
    public void redeliverLater(SyncExecution execution, long waitingSinceMs, Duration atLeast) {
        long delay = Math.max(busyRetryDelay.toMillis(), atLeast.toMillis());
        requeue(execution, delay, Map.of(QueueWriter.WAITING_SINCE, Long.toString(waitingSinceMs)));
    }

    /**
     * Puts a waiting run (throttled, circuit open, provider unavailable) back on its queue, delivered once the wait is
     * over, with its priority, the time its waiting began (so the maximum wait counts from there), what it waits for and
     * how many times in a row it has waited.
     */
    public void requeueWaiting(SyncExecution execution, Duration wait, long waitingSinceMs, String waitingFor, int waitsInRow) {
        requeue(execution, Math.max(1, wait.toMillis()), Map.of(QueueWriter.WAITING_SINCE, Long.toString(waitingSinceMs),
                WAITING_FOR, waitingFor, WAITS_IN_ROW, Integer.toString(waitsInRow)));
    }

    /**
     * Re-queues through the JMS API, the delay set on the message: a delay in an endpoint URI would make an endpoint
     * per distinct delay.
     */
    private void requeue(SyncExecution execution, long delayMs, Map<String, String> properties) {
        queueWriter.send(queueOf(execution), List.of(new QueueWriter.Outgoing(message(execution), eventType(execution.trigger()), null,
                priority(execution.trigger()), delayMs, properties)));
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
        Map<String, Object> headers = new java.util.HashMap<>();
        headers.put("JMSPriority", priority(execution.trigger()));
        headers.put("JMSType", eventType(execution.trigger()));
        try {
            producer.sendBodyAndHeaders("jms:queue:" + queueOf(execution) + "?preserveMessageQos=true",
                    message(execution), headers);
        } catch (RuntimeException e) {
            executions.finish(execution.id(), SyncExecution.Status.FAILED, "queued", "could not queue the sync: " + e.getMessage(), false);
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
