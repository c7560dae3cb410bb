package processors.sync;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import providers.ChangeMarkerRefusedException;
import providers.FetchPage;
import providers.FetchRequest;
import providers.ProviderException;
import store.CheckpointStore;
import store.SyncExecutionStore;

/**
 * Fetches the run's next page from the provider and puts its records in the body, cut short
 * where maxRecordsPerSync ends the run. Provider errors surface classified for the error policy.
 * A provider that refuses the marker an incremental pass starts from (an expired delta token) gets the same
 * pass again as a full pass, recorded on the execution ({@code notice}) and in the checkpoint.
 * <p>
 * While a page is mapped and written, the next one is already asked for ({@link Prefetch}, on a thread of its own): the
 * request is the one the next step would make (the cursor the page gave, the same size), and the next step takes its
 * answer, or its error, as if it had made the call itself. A run that stops before then (shutdown, cancellation, an
 * error) leaves the answer unread: its checkpoint still points at that page. A hub whose heap (-Xmx) is smaller than
 * {@code hub.sync.prefetch-min-heap} does not ask ahead: there the second page's records crowd the heap, and the
 * collector's extra work costs more than the fetch it hides.
 */
@Component
public class PageFetcher implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(PageFetcher.class);

    static final String MARKER_REFUSED = "the provider refused the change marker this incremental pass started from (%s);"
            + " the pass became a full pass";

    private final int pageSize;
    private final CheckpointStore checkpoints;
    private final SyncExecutionStore executions;

    private final boolean prefetch;
    private final ExecutorService ahead;

    public PageFetcher(@Value("${hub.sync.page-size}") int pageSize, @Value("${hub.sync.prefetch:true}") boolean prefetch,
                       @Value("${hub.sync.prefetch-min-heap:256MB}") DataSize prefetchMinHeap,
                       CheckpointStore checkpoints, SyncExecutionStore executions) {
        this.pageSize = pageSize;
        this.prefetch = asksAhead(prefetch, prefetchMinHeap, Runtime.getRuntime().maxMemory());
        if (prefetch && !this.prefetch) {
            LOG.info("Sync runs do not ask for their next page ahead: the heap ({} MB) is smaller than hub.sync.prefetch-min-heap ({})",
                    Runtime.getRuntime().maxMemory() >> 20, prefetchMinHeap);
        }
        this.checkpoints = checkpoints;
        this.executions = executions;
        AtomicInteger threads = new AtomicInteger();
        this.ahead = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "sync-prefetch-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether runs ask for their next page ahead: when {@code enabled} and the heap is at least {@code minHeap}. */
    static boolean asksAhead(boolean enabled, DataSize minHeap, long maxHeapBytes) {
        return enabled && maxHeapBytes >= minHeap.toBytes();
    }

    @PreDestroy
    void stop() {
        ahead.shutdownNow();
    }

    /** The next page of a run, asked for ahead with {@code request}. */
    record Prefetch(FetchRequest request, CompletableFuture<FetchPage> page) {

        /** The page, or the provider's error as the call would have thrown it. */
        FetchPage await() {
            try {
                return page.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }
    }

    /** Whether a change marker lies beyond the provider's resume granule of the run's starting point. */
    private static boolean movedPast(SyncRun run, String version) {
        String granule = run.adapter().resumeGranule(version);
        return granule != null && !granule.equals(run.adapter().resumeGranule(run.since()));
    }

    private static String version(SyncRun run, Map<String, Object> record) {
        Object value = record.get(run.mapping().externalVersionPath());
        return value == null ? null : value.toString();
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        long remaining = run.remaining();
        int size = run.markerOrdered() ? (int) Math.min(pageSize, remaining) : pageSize;
        FetchPage page;
        long start = System.nanoTime();
        Prefetch asked = run.takePrefetch();
        try {
            page = asked != null && asked.request().equals(request(run, size)) ? asked.await() : fetch(run, size);
        } catch (ChangeMarkerRefusedException refused) {
            if (run.since() == null || run.pageCursor() != null) {
                throw refused;
            }
            startFullPass(run, refused);
            page = fetch(run, size);
        }
        run.fetchTook((System.nanoTime() - start) / 1_000_000);
        if (run.announceResume() && !SyncWaiting.THROTTLED.equals(run.waitingFor())) {
            // the end of an outage, once; a throttled run going on page by page is not news
            LOG.info("Execution {} of {} goes on after waiting ({}) since {}", run.executionId(), run.entity(), run.waitingFor(),
                    Instant.ofEpochMilli(run.waitingSince(System.currentTimeMillis())));
        }
        List<Map<String, Object>> records = page.records();
        int cut = (int) Math.min(records.size(), remaining);
        boolean stop = records.size() >= remaining;
        if (!run.markerOrdered()) {
            // without marker order a pass goes on at a page, never inside one: the run stops after the whole page
            cut = records.size();
        } else if (stop && run.since() != null && !movedPast(run, run.lastVersion())) {
            // stopping inside the resume granule the run started from would make the next run re-read
            // the same records forever: the limit waits until the change marker moves on
            while (cut < records.size() && (cut == 0 || !movedPast(run, version(run, records.get(cut - 1))))) {
                cut++;
            }
            stop = cut > 0 && movedPast(run, version(run, records.get(cut - 1)));
        }
        boolean truncated = stop && cut < records.size();
        if (truncated) {
            records = records.subList(0, cut);
        }
        run.pageFetched(page.nextPageCursor(), records.size(), stop && (truncated || page.hasMore()));
        run.pageFeed(page.deleted(), page.hasMore() ? null : page.resumeMarker());
        if (prefetch && run.hasMore()) {
            askAhead(run);
        }
        exchange.getMessage().setBody(records);
    }

    /** Asks for the run's next page now, on a thread of its own, with the request the next step will make. */
    private void askAhead(SyncRun run) {
        long remaining = run.remaining();
        FetchRequest next = request(run, run.markerOrdered() ? (int) Math.min(pageSize, remaining) : pageSize);
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        run.prefetch(new Prefetch(next, CompletableFuture.supplyAsync(() -> {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                return run.adapter().fetchRecords(run.connection(), next);
            } finally {
                MDC.clear();
            }
        }, ahead)));
    }

    /**
     * The next page. A pass resumed at a page the provider no longer serves (a cursor that expired while the run waited)
     * replays from the marker it started from: a refusal for good of that first page, not a transient one.
     */
    private static FetchPage fetch(SyncRun run, int size) {
        try {
            return run.adapter().fetchRecords(run.connection(), request(run, size));
        } catch (ProviderException e) {
            if (run.resumedAtPage() == null || e.kind() != ProviderException.Kind.PERMANENT || e instanceof ChangeMarkerRefusedException) {
                throw e;
            }
            LOG.info("Execution {} of {}: the provider no longer serves the page the pass stopped at ({}); the pass replays from its start",
                    run.executionId(), run.entity(), e.getMessage());
            run.replayFromPassStart();
            return run.adapter().fetchRecords(run.connection(), request(run, size));
        }
    }

    private static FetchRequest request(SyncRun run, int size) {
        return new FetchRequest(run.entity(), run.fields(), run.mapping().externalVersionPath(), run.filters(), run.since(),
                run.pageCursor(), size);
    }

    /** The marker is gone for good: the checkpoint's pass becomes full (a resumed run goes on with it), and operators are told. */
    private void startFullPass(SyncRun run, ChangeMarkerRefusedException refused) {
        String notice = String.format(MARKER_REFUSED, refused.getMessage());
        LOG.warn("Execution {} of {}: {}", run.executionId(), run.entity(), notice);
        checkpoints.startPass(run.integration().id(), run.entity(), run.executionId(), "full", null);
        executions.notice(run.executionId(), notice);
        run.restartAsFullPass();
    }
}
