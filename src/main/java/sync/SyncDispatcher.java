package sync;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import hub.ApiException;
import hub.CloudEvents;
import hub.Ids;
import hub.QueueWriter;
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

    public SyncDispatcher(SyncExecutionStore executions, SyncTaskStore tasks, CheckpointStore checkpoints, ProducerTemplate producer,
                          ObjectMapper json,
                          @Value("${hub.queue.sync-inbound-scheduled}") String scheduledQueue,
                          @Value("${hub.queue.sync-inbound-webhook}") String webhookQueue,
                          @Value("${hub.sync.busy-retry-delay}") String busyRetryDelay) {
        this.executions = executions;
        this.tasks = tasks;
        this.checkpoints = checkpoints;
        this.producer = producer;
        this.json = json;
        this.scheduledQueue = scheduledQueue;
        this.webhookQueue = webhookQueue;
        this.busyRetryDelay = DurationStyle.detectAndParse(busyRetryDelay);
    }

    /** Queues a run of the task; returns the pending execution. */
    public SyncExecution dispatch(SyncTask task, String trigger) {
        SyncExecution execution = pending(Ids.newId(), task.tenantId(), task.integrationId(), task.id(), task.entity(), task.mode(), trigger);
        executions.insert(execution);
        tasks.recordRun(task.id(), execution.id());
        send(execution);
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
     * queue, delivered after the busy-retry delay, with the time its waiting began.
     */
    public void redeliverLater(SyncExecution execution, long waitingSinceMs) {
        send(execution, "&deliveryDelay=" + busyRetryDelay.toMillis(), Map.of(QueueWriter.WAITING_SINCE, waitingSinceMs));
    }

    /**
     * Puts a throttled run back on its queue, delivered once the wait is over, with its priority and the
     * time its waiting began (so the maximum wait counts from there).
     */
    public void requeueThrottled(SyncExecution execution, Duration wait, long throttledSinceMs) {
        send(execution, "&deliveryDelay=" + Math.max(1, wait.toMillis()), Map.of(QueueWriter.WAITING_SINCE, throttledSinceMs));
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
        return new SyncExecution(id, tenantId, integrationId, taskId, entity, mode, trigger, SyncExecution.PENDING, "queued",
                SyncExecution.Counts.ZERO, false, null, Timestamps.now(), null, null, null);
    }

    private void send(SyncExecution execution) {
        send(execution, "");
    }

    private void send(SyncExecution execution, String endpointOptions) {
        send(execution, endpointOptions, Map.of());
    }

    private static SyncRequest request(SyncExecution execution) {
        return new SyncRequest(execution.id(), execution.tenantId(), execution.integrationId(), execution.taskId(),
                execution.entity(), execution.mode(), execution.trigger());
    }

    private void send(SyncExecution execution, String endpointOptions, Map<String, Object> properties) {
        Map<String, Object> headers = new java.util.HashMap<>(properties);
        headers.put("JMSPriority", priority(execution.trigger()));
        headers.put("JMSType", eventType(execution.trigger()));
        try {
            producer.sendBodyAndHeaders("jms:queue:" + queueOf(execution) + "?preserveMessageQos=true" + endpointOptions,
                    message(execution), headers);
        } catch (RuntimeException e) {
            executions.finish(execution.id(), SyncExecution.FAILED, "queued", "could not queue the sync: " + e.getMessage(), false);
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the sync queue is unavailable; try again");
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
