package api.console;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;

import store.Event;
import store.EventStore;
import store.ExecutionStep;
import store.ExecutionStepStore;
import store.IntegrationStore;
import store.SyncExecution;
import store.SyncExecutionStore;

/**
 * The console's live parts over server-sent events ({@code /console/live}, htmx's sse extension swaps them in): each
 * {@code hub.console.live-interval} the hub reads, per tenant watched, its queued and running executions and its newest
 * events from the database (so a change made on any instance shows), and sends each page what changed: a run's row and
 * progress ({@code row-<id>}, {@code progress-<id>}) and new activity ({@code activity}), as HTML fragments. A running
 * execution's page also follows its timeline ({@code timeline=<id>&stepsAfter=<seq>}): the steps recorded since
 * ({@code timeline-<id>}, rows to append) and, when its failed count moves, its failed records ({@code failures-<id>}).
 */
@RestController
public class LiveUpdates {

    private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);
    private static final long STREAM_TIMEOUT_MS = 30 * 60 * 1000L;
    private static final int MAX_WATCHED = 100;

    /** One open page: its tenant, the runs it has been sent and how they stood, the last event it has shown. */
    private static final class Subscriber {
        final SseEmitter emitter;
        final String tenantId;
        final String csrf;
        final Map<String, String> sent = new HashMap<>();
        long lastSeq;
        /** The execution whose timeline the page follows (null: none), the last step it has, the failed count it shows. */
        String timeline;
        long lastStep;
        long failuresShown = -1;

        Subscriber(SseEmitter emitter, String tenantId, String csrf, long lastSeq) {
            this.emitter = emitter;
            this.csrf = csrf;
            this.tenantId = tenantId;
            this.lastSeq = lastSeq;
        }
    }

    private final SyncExecutionStore executions;
    private final EventStore events;
    private final IntegrationStore integrations;
    private final TemplateEngine templates;
    private final ExecutionStepStore steps;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-live");
        t.setDaemon(true);
        return t;
    });

    public LiveUpdates(SyncExecutionStore executions, EventStore events, IntegrationStore integrations, TemplateEngine templates,
                       @Value("${hub.console.live-interval}") String interval, ExecutionStepStore steps) {
        this.steps = steps;
        this.executions = executions;
        this.events = events;
        this.integrations = integrations;
        this.templates = templates;
        long ms = DurationStyle.detectAndParse(interval).toMillis();
        ticker.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    @GetMapping(value = ConsoleAccessFilter.PREFIX + "/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter live(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, jakarta.servlet.http.HttpSession session,
                           @RequestParam(required = false) List<String> watch, @RequestParam(required = false) Long after,
                           @RequestParam(required = false) String timeline, @RequestParam(required = false) Long stepsAfter) {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MS);
        if (!user.hasTenant()) {
            emitter.complete();
            return emitter;
        }
        // the page says what it shows: the runs it rendered unfinished, the last event in its feed; what changed between
        // rendering and this stream is sent first
        long lastSeq = after != null ? after : events.latest(user.tenantId(), null, 1).stream().mapToLong(Event::seq).findFirst().orElse(-1);
        Subscriber s = new Subscriber(emitter, user.tenantId(), ConsoleAccessFilter.csrfToken(session), lastSeq);
        if (watch != null) {
            watch.stream().limit(MAX_WATCHED).forEach(id -> s.sent.put(id, ""));
        }
        // only a timeline of the tenant's own execution, and one the page watches (it stops when the run ends)
        if (timeline != null && s.sent.containsKey(timeline)
                && executions.findById(timeline).filter(e -> e.tenantId().equals(user.tenantId())).isPresent()) {
            s.timeline = timeline;
            s.lastStep = stepsAfter == null ? -1 : stepsAfter;
        }
        subscribers.add(s);
        emitter.onCompletion(() -> subscribers.remove(s));
        emitter.onTimeout(() -> subscribers.remove(s));
        emitter.onError(e -> subscribers.remove(s));
        return emitter;
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
        subscribers.forEach(s -> s.emitter.complete());
    }

    private void tick() {
        try {
            Map<String, List<Subscriber>> byTenant = new HashMap<>();
            subscribers.forEach(s -> byTenant.computeIfAbsent(s.tenantId, t -> new ArrayList<>()).add(s));
            byTenant.forEach(this::update);
        } catch (RuntimeException e) {
            LOG.warn("Console live update failed: {}", e.getMessage());
        }
    }

    private void update(String tenantId, List<Subscriber> pages) {
        List<SyncExecution> active = executions.active(tenantId, 200);
        Set<String> ids = new HashSet<>();
        active.forEach(e -> ids.add(e.id()));
        Set<String> ended = new HashSet<>();
        pages.forEach(p -> p.sent.keySet().stream().filter(id -> !ids.contains(id)).forEach(ended::add));
        List<SyncExecution> runs = new ArrayList<>(active);
        runs.addAll(executions.findAll(tenantId, ended));
        long oldest = pages.stream().mapToLong(p -> p.lastSeq).min().orElse(-1);
        List<Event> fresh = new ArrayList<>(events.latest(tenantId, oldest, 50));
        java.util.Collections.reverse(fresh);
        Map<String, String> names = new HashMap<>();
        for (Subscriber page : pages) {
            try {
                for (SyncExecution e : runs) {
                    ExecutionRow row = ExecutionRow.of(e, names.computeIfAbsent(e.integrationId(),
                            id -> integrations.findById(id).map(i -> i.name()).orElse(id)));
                    if (!row.state().equals(page.sent.get(e.id()))) {
                        page.emitter.send(SseEmitter.event().name("row-" + e.id()).data(render("row", "r", row, page)));
                        page.emitter.send(SseEmitter.event().name("progress-" + e.id()).data(render("progress", "e", row, page)));
                    }
                    if (e.id().equals(page.timeline)) {
                        timeline(page, e);
                    }
                    if (e.finished()) {
                        page.sent.remove(e.id());
                    } else {
                        page.sent.put(e.id(), row.state());
                    }
                }
                for (Event ev : fresh) {
                    if (ev.seq() > page.lastSeq) {
                        page.emitter.send(SseEmitter.event().name("activity").data(render("activity-item", "ev", ev, page)));
                        page.lastSeq = ev.seq();
                    }
                }
            } catch (IOException | IllegalStateException gone) {
                subscribers.remove(page);
            }
        }
    }

    /**
     * The steps of the run's timeline the page has not shown, and its failed records when their count moved. Read after the
     * run's row: a run seen ended has its last step recorded (it is written before the run is marked finished), and the page
     * stops following it.
     */
    private void timeline(Subscriber page, SyncExecution e) throws IOException {
        List<ExecutionStep> fresh = steps.after(page.tenantId, e.id(), page.lastStep, ConsolePages.STEPS_SHOWN);
        if (!fresh.isEmpty()) {
            StringBuilder rows = new StringBuilder();
            fresh.forEach(s -> rows.append(render("console/timeline", "step", "s", s, page)));
            page.emitter.send(SseEmitter.event().name("timeline-" + e.id()).data(rows.toString()));
            page.lastStep = fresh.get(fresh.size() - 1).seq();
        }
        long failed = e.counts().failed();
        if (page.failuresShown != failed && (failed > 0 || page.failuresShown > 0 || e.finished())) {
            ConsolePages.TimelineView view = new ConsolePages.TimelineView(e.id(), !e.finished(), failed,
                    failed == 0 ? List.of() : executions.failures(e.id(), ConsolePages.FAILURES_SHOWN));
            page.emitter.send(SseEmitter.event().name("failures-" + e.id()).data(render("console/timeline", "failures", "t", view, page)));
        }
        page.failuresShown = failed;
        if (e.finished()) {
            page.timeline = null;
        }
    }

    private String render(String fragment, String name, Object value, Subscriber page) {
        return render("console/fragments", fragment, name, value, page);
    }

    private String render(String template, String fragment, String name, Object value, Subscriber page) {
        Context context = new Context();
        context.setVariable("csrf", page.csrf);
        context.setVariable(name, value);
        // one line: a server-sent event's data is sent line by line
        return templates.process(template, Set.of(fragment), context).replace("\r", "").replace("\n", " ");
    }
}
