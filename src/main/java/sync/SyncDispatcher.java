package sync;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import hub.ApiException;
import hub.Ids;
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
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final String scheduledQueue;
    private final String webhookQueue;

    public SyncDispatcher(SyncExecutionStore executions, SyncTaskStore tasks, ProducerTemplate producer, ObjectMapper json,
                          @Value("${hub.queue.sync-inbound-scheduled}") String scheduledQueue,
                          @Value("${hub.queue.sync-inbound-webhook}") String webhookQueue) {
        this.executions = executions;
        this.tasks = tasks;
        this.producer = producer;
        this.json = json;
        this.scheduledQueue = scheduledQueue;
        this.webhookQueue = webhookQueue;
    }

    /** Queues a run of the task; returns the pending execution. */
    public SyncExecution dispatch(SyncTask task, String trigger) {
        OffsetDateTime now = Timestamps.now();
        SyncExecution execution = new SyncExecution(Ids.newId(), task.tenantId(), task.integrationId(), task.id(), task.entity(),
                task.mode(), trigger, SyncExecution.PENDING, "queued", SyncExecution.Counts.ZERO, false, null, now, null, null, null);
        executions.insert(execution);
        tasks.recordRun(task.id(), execution.id());
        SyncRequest request = new SyncRequest(execution.id(), task.tenantId(), task.integrationId(), task.id(), task.entity(),
                task.mode(), trigger);
        String queue = TRIGGER_WEBHOOK.equals(trigger) ? webhookQueue : scheduledQueue;
        try {
            producer.sendBodyAndHeaders("jms:queue:" + queue + "?preserveMessageQos=true", cloudEvent(request, now), Map.of(
                    "JMSPriority", priority(trigger),
                    "JMSType", eventType(trigger)));
        } catch (RuntimeException e) {
            executions.finish(execution.id(), SyncExecution.FAILED, "queued", "could not queue the sync: " + e.getMessage(), false);
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the sync queue is unavailable; try again");
        }
        return execution;
    }

    private String cloudEvent(SyncRequest request, OffsetDateTime time) {
        Map<String, Object> event = Map.of(
                "specversion", "1.0",
                "type", eventType(request.trigger()),
                "source", URI.create("/integrations/" + request.integrationId() + "/tasks/" + request.taskId()).toString(),
                "id", request.executionId(),
                "time", time.toString(),
                "datacontenttype", "application/json",
                "data", request);
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String eventType(String trigger) {
        return switch (trigger) {
            case TRIGGER_SCHEDULED -> "Castiel.Integration.SyncScheduled";
            case TRIGGER_WEBHOOK -> "Castiel.Integration.WebhookReceived";
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
