package api;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import hub.InvalidInputException;
import security.Caller;
import store.Cursor;
import store.ExecutionStep;
import store.ExecutionStepStore;
import store.IntegrationStore;
import store.SyncExecution;
import store.SyncExecution.RecordFailure;
import store.SyncExecutionStore;

/**
 * An execution's timeline: its steps (phases, pages with their counts and timings, retries, waits for provider budget),
 * oldest first, and its failed records with their reasons. {@code after} (a step's {@code seq}) gives the steps since, so
 * a client can follow a running run.
 */
@RestController
@RequestMapping("/api/tenant/integrations/{integrationId}")
public class ExecutionTimelineController {

    static final int FAILURES_LISTED = 100;

    /** {@code failedRecords}: the exact count; {@code failures}: the first {@value #FAILURES_LISTED} with their reasons. */
    record Timeline(String executionId, SyncExecution.Status status, String phase, List<ExecutionStep> steps, long failedRecords,
                    List<RecordFailure> failures) {
    }

    private final IntegrationStore integrations;
    private final SyncExecutionStore executions;
    private final ExecutionStepStore steps;

    public ExecutionTimelineController(IntegrationStore integrations, SyncExecutionStore executions, ExecutionStepStore steps) {
        this.integrations = integrations;
        this.executions = executions;
        this.steps = steps;
    }

    @GetMapping("/executions/{executionId}/timeline")
    public Timeline timeline(Caller caller, @PathVariable String integrationId, @PathVariable String executionId,
                             @RequestParam(required = false) Long after, @RequestParam(required = false) Integer limit) {
        integrations.find(caller.tenantId(), integrationId).orElseThrow(() -> ApiException.notFound("integration"));
        SyncExecution execution = executions.find(caller.tenantId(), integrationId, executionId)
                .orElseThrow(() -> ApiException.notFound("execution"));
        if (after != null && after < -1) {
            throw new InvalidInputException("after", "expected a step's seq (0 or more)");
        }
        return new Timeline(executionId, execution.status(), execution.phase(),
                steps.after(caller.tenantId(), executionId, after == null ? -1 : after, Cursor.limit(limit, 500, 2000)),
                execution.counts().failed(), executions.failures(executionId, FAILURES_LISTED));
    }
}
