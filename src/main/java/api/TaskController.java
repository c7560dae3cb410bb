package api;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import connections.Connections;
import hub.Ids;
import processors.sync.SyncCancellation;
import processors.sync.SyncDispatcher;
import processors.sync.TaskSchedules;
import security.Caller;
import store.AuditLog;
import store.Connection;
import store.ConnectionStore;
import store.Cursor;
import store.Integration;
import store.IntegrationStore;
import store.Page;
import store.SyncExecution.RecordFailure;
import store.SyncExecution;
import store.SyncExecutionStore;
import store.SyncTask;
import store.SyncTaskStore;
import store.Timestamps;

/** Sync tasks of an integration, running them, and their executions. */
@RestController
@RequestMapping("/api/tenant/integrations/{integrationId}")
public class TaskController {

    static final Set<String> MODES = Set.of("full", "incremental");

    /** POST and PATCH body; on PATCH only the fields given change ({@code schedule: ""} clears it). */
    record TaskRequest(String name, String entity, String mode, String schedule, Boolean enabled) {
    }

    record RunAccepted(String executionId, SyncExecution.Status status, String taskId) {
    }

    /** A retry's answer: the run queued (or the entity's queued run it joined) and the run it repeats. */
    record RetryAccepted(String executionId, SyncExecution.Status status, String retryOf) {
    }

    /** A cancel's answer: {@code cancelled} when the run ended at once, {@code stopping} when it stops at its next page. */
    record CancelAccepted(String executionId, SyncExecution.Status status, String outcome) {
    }

    /** An execution with the reasons of its first failed records. */
    record ExecutionView(String id, String integrationId, String taskId, String entity, String mode, String trigger,
                         SyncExecution.Status status, String phase, long recordsProcessed, long recordsCreated, long recordsUpdated,
                         long recordsUnchanged, long recordsDeleted, long recordsFailed, long recordsSkipped, long recordsMerged,
                         long recordsInReview, long recordsUnblocked, long pairsCompared, boolean morePending,
                         @JsonInclude(JsonInclude.Include.ALWAYS) Long durationMs,
                         @JsonInclude(JsonInclude.Include.ALWAYS) String error, String notice, OffsetDateTime createdAt,
                         OffsetDateTime startedAt, OffsetDateTime finishedAt, List<RecordFailure> failures) {

        static ExecutionView of(SyncExecution e, List<RecordFailure> failures) {
            SyncExecution.Counts c = e.counts();
            return new ExecutionView(e.id(), e.integrationId(), e.taskId(), e.entity(), e.mode(), e.trigger(), e.status(), e.phase(),
                    c.processed(), c.created(), c.updated(), c.unchanged(), c.deleted(), c.failed(), c.skipped(), c.merged(),
                    c.inReview(), c.unblocked(), c.pairsCompared(), e.morePending(), e.durationMs(),
                    e.error(), e.notice(), e.createdAt(), e.startedAt(), e.finishedAt(), failures);
        }
    }

    private final IntegrationStore integrations;
    private final ConnectionStore connections;
    private final SyncTaskStore tasks;
    private final SyncExecutionStore executions;
    private final IntegrationSettings settings;
    private final TaskSchedules schedules;
    private final SyncDispatcher dispatcher;
    private final AuditLog audit;
    private final SyncCancellation cancellation;

    public TaskController(IntegrationStore integrations, ConnectionStore connections, SyncTaskStore tasks, SyncExecutionStore executions,
                          IntegrationSettings settings, TaskSchedules schedules, SyncDispatcher dispatcher, AuditLog audit,
                          SyncCancellation cancellation) {
        this.cancellation = cancellation;
        this.integrations = integrations;
        this.connections = connections;
        this.tasks = tasks;
        this.executions = executions;
        this.settings = settings;
        this.schedules = schedules;
        this.dispatcher = dispatcher;
        this.audit = audit;
    }

    @PostMapping("/tasks")
    @ResponseStatus(HttpStatus.CREATED)
    public SyncTask create(Caller caller, @PathVariable String integrationId, @RequestBody TaskRequest r) {
        Integration integration = integration(caller, integrationId);
        String entity = entity(integration, r.entity());
        String mode = Validation.oneOf("mode", r.mode(), MODES, "incremental");
        String schedule = schedule(r.schedule());
        OffsetDateTime now = Timestamps.now();
        SyncTask task = new SyncTask(Ids.newId(), caller.tenantId(), integrationId, Validation.optionalText("name", r.name(), 200),
                entity, mode, schedule, r.enabled() == null || r.enabled(), null, null, null, now, now);
        task = withNextRun(task, integration);
        tasks.insert(task);
        audit.record(caller.tenantId(), caller.actor(), "task.create", "task", task.id(), entity + " " + mode);
        return task;
    }

    @GetMapping("/tasks")
    public Page<SyncTask> list(Caller caller, @PathVariable String integrationId, @RequestParam(required = false) Integer limit,
                               @RequestParam(required = false) String cursor) {
        integration(caller, integrationId);
        return tasks.list(caller.tenantId(), integrationId, Cursor.decode(cursor), Cursor.limit(limit, 50, 500));
    }

    @GetMapping("/tasks/{taskId}")
    public SyncTask get(Caller caller, @PathVariable String integrationId, @PathVariable String taskId) {
        integration(caller, integrationId);
        return task(caller, integrationId, taskId);
    }

    @PatchMapping("/tasks/{taskId}")
    public SyncTask patch(Caller caller, @PathVariable String integrationId, @PathVariable String taskId, @RequestBody TaskRequest r) {
        Integration integration = integration(caller, integrationId);
        SyncTask current = task(caller, integrationId, taskId);
        String entity = r.entity() == null ? current.entity() : entity(integration, r.entity());
        String mode = r.mode() == null ? current.mode() : Validation.oneOf("mode", r.mode(), MODES, null);
        String schedule = r.schedule() == null ? current.schedule() : schedule(r.schedule());
        String name = r.name() == null ? current.name() : Validation.requiredText("name", r.name(), 200);
        boolean enabled = r.enabled() == null ? current.enabled() : r.enabled();
        SyncTask updated = withNextRun(new SyncTask(current.id(), current.tenantId(), integrationId, name, entity, mode, schedule, enabled,
                null, current.lastRunAt(), current.lastExecutionId(), current.createdAt(), Timestamps.now()), integration);
        tasks.update(updated);
        audit.record(caller.tenantId(), caller.actor(), "task.update", "task", taskId, null);
        return task(caller, integrationId, taskId);
    }

    @DeleteMapping("/tasks/{taskId}")
    public ResponseEntity<Void> delete(Caller caller, @PathVariable String integrationId, @PathVariable String taskId) {
        integration(caller, integrationId);
        if (!tasks.delete(caller.tenantId(), integrationId, taskId)) {
            throw ApiException.notFound("task");
        }
        audit.record(caller.tenantId(), caller.actor(), "task.delete", "task", taskId, null);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/tasks/{taskId}/run")
    public ResponseEntity<RunAccepted> run(Caller caller, @PathVariable String integrationId, @PathVariable String taskId) {
        Integration integration = integration(caller, integrationId);
        SyncTask task = task(caller, integrationId, taskId);
        runnable(integration);
        SyncExecution execution = dispatcher.dispatch(task, SyncDispatcher.TRIGGER_MANUAL);
        audit.record(caller.tenantId(), caller.actor(), "task.run", "task", taskId, execution.id());
        return ResponseEntity.accepted()
                .location(URI.create("/api/tenant/integrations/" + integrationId + "/executions/" + execution.id()))
                .body(new RunAccepted(execution.id(), execution.status(), taskId));
    }

    @GetMapping("/executions")
    public Page<ExecutionView> executions(Caller caller, @PathVariable String integrationId, @RequestParam(required = false) String status,
                                          @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        integration(caller, integrationId);
        SyncExecution.Status checked = Validation.status("status", status, SyncExecution.Status.class);
        Page<SyncExecution> page = executions.list(caller.tenantId(), integrationId, checked, Cursor.decode(cursor), Cursor.limit(limit, 50, 500));
        return new Page<>(page.items().stream().map(e -> ExecutionView.of(e, null)).toList(), page.nextCursor());
    }

    @GetMapping("/executions/{executionId}")
    public ExecutionView execution(Caller caller, @PathVariable String integrationId, @PathVariable String executionId) {
        integration(caller, integrationId);
        return ExecutionView.of(executionOf(caller, integrationId, executionId), executions.failures(executionId, 100));
    }

    @PostMapping("/executions/{executionId}/retry")
    public ResponseEntity<RetryAccepted> retry(Caller caller, @PathVariable String integrationId, @PathVariable String executionId) {
        Integration integration = integration(caller, integrationId);
        SyncExecution ended = executionOf(caller, integrationId, executionId);
        if (!ended.retryable()) {
            throw new ApiException(HttpStatus.CONFLICT, "execution is " + ended.status()
                    + "; only a failed, partial or cancelled one can be retried");
        }
        runnable(integration);
        SyncExecution execution = dispatcher.retry(ended);
        audit.record(caller.tenantId(), caller.actor(), "execution.retry", "execution", executionId, execution.id());
        return ResponseEntity.accepted()
                .location(URI.create("/api/tenant/integrations/" + integrationId + "/executions/" + execution.id()))
                .body(new RetryAccepted(execution.id(), execution.status(), executionId));
    }

    @PostMapping("/executions/{executionId}/cancel")
    public ResponseEntity<CancelAccepted> cancel(Caller caller, @PathVariable String integrationId, @PathVariable String executionId) {
        integration(caller, integrationId);
        SyncExecution execution = executionOf(caller, integrationId, executionId);
        SyncCancellation.Outcome outcome = cancellation.cancel(execution);
        if (outcome == SyncCancellation.Outcome.FINISHED) {
            SyncExecution now = executionOf(caller, integrationId, executionId);
            throw new ApiException(HttpStatus.CONFLICT, "execution is " + now.status() + "; only a pending or running one can be cancelled");
        }
        audit.record(caller.tenantId(), caller.actor(), "execution.cancel", "execution", executionId, outcome.name().toLowerCase());
        return ResponseEntity.accepted()
                .body(new CancelAccepted(executionId, executionOf(caller, integrationId, executionId).status(), outcome.name().toLowerCase()));
    }

    /** A run can be queued: sync is on and the integration connected (else 409). */
    private void runnable(Integration integration) {
        if (!integration.syncEnabled()) {
            throw new ApiException(HttpStatus.CONFLICT, "sync is disabled for this integration (syncEnabled=false)");
        }
        if (connections.find(integration.id()).filter(c -> c.status() == Connection.Status.CONNECTED).isEmpty()) {
            throw new ApiException(HttpStatus.CONFLICT, "integration is not connected; connect it first");
        }
    }

    private SyncExecution executionOf(Caller caller, String integrationId, String executionId) {
        return executions.find(caller.tenantId(), integrationId, executionId).orElseThrow(() -> ApiException.notFound("execution"));
    }

    private SyncTask withNextRun(SyncTask t, Integration integration) {
        SyncTask draft = new SyncTask(t.id(), t.tenantId(), t.integrationId(), t.name(), t.entity(), t.mode(), t.schedule(), t.enabled(),
                null, t.lastRunAt(), t.lastExecutionId(), t.createdAt(), t.updatedAt());
        return new SyncTask(t.id(), t.tenantId(), t.integrationId(), t.name(), t.entity(), t.mode(), t.schedule(), t.enabled(),
                schedules.nextRun(draft, integration), t.lastRunAt(), t.lastExecutionId(), t.createdAt(), t.updatedAt());
    }

    private String schedule(String schedule) {
        if (schedule == null || schedule.isBlank()) {
            return null;
        }
        String trimmed = Validation.requiredText("schedule", schedule, 120);
        schedules.validate("schedule", trimmed);
        return trimmed;
    }

    private String entity(Integration integration, String entity) {
        if (entity == null || entity.isBlank()) {
            throw ApiException.badRequest("entity", "required");
        }
        List<String> syncable = settings.syncableEntities(integration.providerId());
        if (!syncable.contains(entity)) {
            throw ApiException.badRequest("entity", "unknown entity '" + entity + "' (known: " + String.join(", ", syncable) + ")");
        }
        List<Integration.EntityMapping> enabled = integration.settings().entityMappings();
        if (!enabled.isEmpty() && enabled.stream().noneMatch(m -> m.entity().equals(entity) && Boolean.TRUE.equals(m.enabled()))) {
            throw ApiException.badRequest("entity", "'" + entity + "' is not enabled in the integration's entityMappings");
        }
        return entity;
    }

    private Integration integration(Caller caller, String id) {
        return integrations.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("integration"));
    }

    private SyncTask task(Caller caller, String integrationId, String taskId) {
        return tasks.find(caller.tenantId(), integrationId, taskId).orElseThrow(() -> ApiException.notFound("task"));
    }
}
