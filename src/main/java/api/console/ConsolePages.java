package api.console;

import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;

import api.TaskController;
import store.Connection;
import store.ConnectionStore;
import store.Cursor;
import store.EventStore;
import store.ExecutionStep;
import store.ExecutionStepStore;
import store.Integration;
import store.IntegrationStore;
import store.Page;
import store.SyncExecution;
import store.SyncExecutionStore;
import store.SyncTask;
import store.SyncTaskStore;
import store.TenantStore;
import store.Timestamps;

/**
 * The console's dashboard and sync monitoring: hub health, the tenant's integrations with their last and next runs,
 * the recent activity, the execution table with its filters, an execution's detail, and run / retry / cancel, which go
 * through the REST API's own controller (same checks, same audit) with the signed-in person as the caller.
 */
@Controller
public class ConsolePages {

    static final int PAGE_SIZE = 50;
    /** Steps of a run's timeline its page shows (a run of 2,000,000 records in pages of 2,000 has about a thousand). */
    static final int STEPS_SHOWN = 1500;
    /** Failed records an execution's page lists with their reasons (the count is exact). */
    static final int FAILURES_SHOWN = 100;
    private static final long HEALTH_TTL_MS = 5_000;
    private volatile HealthSnapshot lastHealth;

    private final IntegrationStore integrations;
    private final ConnectionStore connections;
    private final SyncTaskStore tasks;
    private final SyncExecutionStore executions;
    private final EventStore events;
    private final TenantStore tenants;
    private final TaskController taskApi;
    private final HealthEndpoint health;
    private final ObjectMapper json;
    private final ExecutionStepStore steps;

    public ConsolePages(IntegrationStore integrations, ConnectionStore connections, SyncTaskStore tasks, SyncExecutionStore executions,
                        EventStore events, TenantStore tenants, TaskController taskApi, HealthEndpoint health, ObjectMapper json,
                        ExecutionStepStore steps) {
        this.json = json;
        this.steps = steps;
        this.integrations = integrations;
        this.connections = connections;
        this.tasks = tasks;
        this.executions = executions;
        this.events = events;
        this.tenants = tenants;
        this.taskApi = taskApi;
        this.health = health;
    }

    /** One integration's card on the dashboard. */
    public record IntegrationCard(Integration integration, String connection, String connectionError, OffsetDateTime lastSyncAt,
                                  OffsetDateTime nextRunAt, long records24h, long failedRuns24h, List<SyncTask> tasks) {
    }

    /** An execution's failed records as its page lists them: {@code live} while the run may add more. */
    public record TimelineView(String executionId, boolean live, long failedCount, List<SyncExecution.RecordFailure> failures) {
    }

    /** One part of the hub's health: database, broker, routes, circuits ... */
    public record HealthPart(String name, String status) {
    }

    @GetMapping(ConsoleAccessFilter.PREFIX)
    public String dashboard(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, Model model) {
        common(user, model, "dashboard");
        model.addAttribute("health", healthParts());
        if (user.hasTenant()) {
            Map<String, SyncExecutionStore.Activity> activity = executions.activitySince(user.tenantId(),
                    Timestamps.now().minusHours(24));
            List<IntegrationCard> cards = new ArrayList<>();
            for (Integration i : integrations.list(user.tenantId(), null, 100).items()) {
                Connection c = connections.find(i.id()).orElse(null);
                List<SyncTask> its = tasks.forIntegration(i.id());
                SyncExecutionStore.Activity a = activity.getOrDefault(i.id(), new SyncExecutionStore.Activity(0, 0, null));
                cards.add(new IntegrationCard(i, c == null ? "not connected" : c.status().value(), c == null ? null : c.lastError(),
                        i.lastSyncAt() != null ? i.lastSyncAt() : a.lastFinishedAt(),
                        its.stream().map(SyncTask::nextRunAt).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null),
                        a.records(), a.failedRuns(), its));
            }
            model.addAttribute("cards", cards);
            List<store.Event> feed = events.latest(user.tenantId(), null, 20);
            model.addAttribute("activity", feed);
            model.addAttribute("live", live(List.of(), feed.isEmpty() ? -1L : feed.get(0).seq()));
        }
        return "console/dashboard";
    }

    @GetMapping(ConsoleAccessFilter.PREFIX + "/executions")
    public String executionTable(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user,
                                 @RequestParam(required = false) String integrationId, @RequestParam(required = false) String entity,
                                 @RequestParam(required = false) String trigger, @RequestParam(required = false) String status,
                                 @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                 @RequestParam(required = false) String cursor, Model model) {
        common(user, model, "executions");
        requireTenant(user);
        SyncExecution.Status checked = blank(status) ? null : SyncExecution.Status.of(status);
        SyncExecutionStore.Filter filter = new SyncExecutionStore.Filter(blankToNull(integrationId), blankToNull(entity),
                blankToNull(trigger), checked, day(from, "from", 0), day(to, "to", 1));
        Page<SyncExecution> page = executions.search(user.tenantId(), filter, Cursor.decode(cursor), PAGE_SIZE);
        Map<String, Integration> byId = integrations.list(user.tenantId(), null, 500).items().stream()
                .collect(Collectors.toMap(Integration::id, Function.identity()));
        model.addAttribute("rows", page.items().stream()
                .map(e -> ExecutionRow.of(e, byId.containsKey(e.integrationId()) ? byId.get(e.integrationId()).name() : null)).toList());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("live", live(page.items().stream().filter(e -> !e.finished()).map(SyncExecution::id).toList(), null));
        model.addAttribute("integrations", byId.values());
        model.addAttribute("filter", Map.of("integrationId", nullToBlank(integrationId), "entity", nullToBlank(entity),
                "trigger", nullToBlank(trigger), "status", nullToBlank(status), "from", nullToBlank(from), "to", nullToBlank(to)));
        model.addAttribute("statuses", SyncExecution.Status.values());
        List<double[]> chart = chart(page.items());
        model.addAttribute("chart", chart);
        try {
            // inside a script element of type application/json: '<' escaped so no text closes the element
            model.addAttribute("chartJson", json.writeValueAsString(chart).replace("<", "\\u003c"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return "console/executions";
    }

    @GetMapping(ConsoleAccessFilter.PREFIX + "/integrations/{integrationId}/executions/{executionId}")
    public String execution(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId,
                            @PathVariable String executionId, Model model) {
        common(user, model, "executions");
        requireTenant(user);
        SyncExecution execution = executions.find(user.tenantId(), integrationId, executionId)
                .orElseThrow(() -> new ConsoleRefusal(HttpStatus.NOT_FOUND, "execution not found"));
        Integration integration = integrations.find(user.tenantId(), integrationId).orElse(null);
        model.addAttribute("e", ExecutionRow.of(execution, integration == null ? null : integration.name()));
        model.addAttribute("notice", execution.notice());
        List<ExecutionStep> timeline = steps.after(user.tenantId(), executionId, -1, STEPS_SHOWN);
        long lastStep = timeline.isEmpty() ? -1 : timeline.get(timeline.size() - 1).seq();
        // a running run's page also follows its timeline: the steps after the last one shown, and its failed records
        model.addAttribute("live", execution.finished() ? live(List.of(), null)
                : live(List.of(executionId), null) + "&timeline=" + executionId + "&stepsAfter=" + lastStep);
        model.addAttribute("t", new TimelineView(executionId, !execution.finished(), execution.counts().failed(),
                executions.failures(executionId, FAILURES_SHOWN)));
        model.addAttribute("cancelRequestedAt", executions.cancelRequestedAt(executionId).orElse(null));
        model.addAttribute("steps", timeline);
        // runs from before timelines were recorded: their events instead
        model.addAttribute("events", timeline.isEmpty() && execution.finished() ? events.about(user.tenantId(), executionId, 100) : List.of());
        return "console/execution";
    }

    @PostMapping(ConsoleAccessFilter.PREFIX + "/integrations/{integrationId}/executions/{executionId}/retry")
    public String retry(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId,
                        @PathVariable String executionId) {
        requireTenant(user);
        return "redirect:" + executionPage(integrationId, created(taskApi.retry(user.caller(), integrationId, executionId)));
    }

    @PostMapping(ConsoleAccessFilter.PREFIX + "/integrations/{integrationId}/executions/{executionId}/cancel")
    public String cancel(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId,
                         @PathVariable String executionId) {
        requireTenant(user);
        taskApi.cancel(user.caller(), integrationId, executionId);
        return "redirect:" + executionPage(integrationId, executionId);
    }

    @PostMapping(ConsoleAccessFilter.PREFIX + "/integrations/{integrationId}/tasks/{taskId}/run")
    public String run(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String integrationId,
                      @PathVariable String taskId) {
        requireTenant(user);
        return "redirect:" + executionPage(integrationId, created(taskApi.run(user.caller(), integrationId, taskId)));
    }

    /** What every page shows: who is signed in, the tenant in view and (for the administrator) the tenants to switch to. */
    void common(ConsoleUser user, Model model, String section) {
        model.addAttribute("user", user);
        model.addAttribute("section", section);
        if (user.admin()) {
            model.addAttribute("tenants", tenants.list(500));
        }
    }

    /** The live stream's address for a page showing these unfinished runs and, in its feed, events up to {@code after}. */
    private static String live(List<String> watch, Long after) {
        return ConsoleAccessFilter.PREFIX + "/live?watch=" + String.join(",", watch) + (after == null ? "" : "&after=" + after);
    }

    static void requireTenant(ConsoleUser user) {
        if (!user.hasTenant()) {
            throw new ConsoleRefusal(HttpStatus.CONFLICT, "pick a tenant first (the tenant switch at the top)");
        }
    }

    static String executionPage(String integrationId, String executionId) {
        return ConsoleAccessFilter.PREFIX + "/integrations/" + integrationId + "/executions/" + executionId;
    }

    /** The id at the end of an accepted request's Location (the execution it queued). */
    private static String created(ResponseEntity<?> accepted) {
        URI location = accepted.getHeaders().getLocation();
        String path = Objects.requireNonNull(location, "accepted without a location").getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The hub's health, read at most every {@link #HEALTH_TTL_MS} (its broker and database checks cost more than the page). */
    private List<HealthPart> healthParts() {
        HealthSnapshot snapshot = lastHealth;
        long now = System.currentTimeMillis();
        if (snapshot == null || now - snapshot.atMs() > HEALTH_TTL_MS) {
            snapshot = new HealthSnapshot(now, readHealth());
            lastHealth = snapshot;
        }
        return snapshot.parts();
    }

    private record HealthSnapshot(long atMs, List<HealthPart> parts) {
    }

    private List<HealthPart> readHealth() {
        HealthComponent root = health.health();
        List<HealthPart> parts = new ArrayList<>();
        if (root instanceof CompositeHealth composite && composite.getComponents() != null) {
            composite.getComponents().forEach((name, part) -> parts.add(new HealthPart(name, part.getStatus().getCode())));
        }
        parts.add(0, new HealthPart("hub", root.getStatus().getCode()));
        return parts;
    }

    /** Finished runs of the page, oldest first, as the chart's series: time, records/s, duration in seconds. */
    private static List<double[]> chart(List<SyncExecution> runs) {
        return runs.stream().filter(e -> e.finishedAt() != null && e.durationMs() != null)
                .sorted(Comparator.comparing(SyncExecution::finishedAt))
                .map(e -> new double[] {e.finishedAt().toEpochSecond(), e.counts().processed() * 1000.0 / Math.max(1, e.durationMs()),
                        e.durationMs() / 1000.0})
                .toList();
    }

    private static OffsetDateTime day(String value, String field, int plusDays) {
        if (blank(value)) {
            return null;
        }
        try {
            return LocalDate.parse(value).plusDays(plusDays).atStartOfDay().atOffset(ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConsoleRefusal(HttpStatus.BAD_REQUEST, field + ": expected a date (yyyy-mm-dd)");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String blankToNull(String s) {
        return blank(s) ? null : s.trim();
    }

    private static String nullToBlank(String s) {
        return s == null ? "" : s;
    }
}
