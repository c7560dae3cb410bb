package processors.sync;

import java.time.OffsetDateTime;
import java.util.List;

import processors.mapping.EntityMapping;
import providers.ConnectionContext;
import providers.DeletedRecord;
import providers.IntegrationAdapter;
import providers.PullFilter;
import store.Integration;
import store.SyncExecution.Counts;
import store.SyncExecution;

/**
 * The state of one sync run as it moves through the sync-inbound route: what it syncs, where its
 * pass stands, and what it has done so far. Carried as an exchange property, one per exchange.
 */
public final class SyncRun {

    public static final String PROPERTY = "hub.syncRun";

    private final SyncExecution execution;
    private final Integration integration;
    private final IntegrationAdapter adapter;
    private final ConnectionContext connection;
    private final EntityMapping mapping;
    private final List<String> fields;
    private final List<PullFilter> filters;
    private String passMode;
    private final Long maxRecords;
    private final OffsetDateTime startedAt;

    private String since;
    private String pageCursor;
    private String lastVersion;
    private boolean hasMore = true;
    private boolean limitReached;
    private long recordsThisRun;
    private Counts counts;
    private Long throttledSince;
    private boolean progressed;
    private String waitingFor;
    private int waitsInRow;
    private boolean resumeAnnounced;
    private String leaseToken;
    /** The page cursor the run resumed its pass at, from the checkpoint; null once a page came from it. */
    private String resumedAtPage;
    private List<DeletedRecord> pageDeletions = List.of();
    private String resumeMarker;
    /** Pages this execution has committed, across its returns from the queue: the timeline numbers its pages by it. */
    private int pagesWritten;
    private long lastFetchMs;
    /** The next page, asked for while the current one is mapped and written ({@link PageFetcher}); null when none is. */
    private PageFetcher.Prefetch prefetch;

    SyncRun(SyncExecution execution, Integration integration, IntegrationAdapter adapter, ConnectionContext connection,
            EntityMapping mapping, List<String> fields, List<PullFilter> filters, String passMode, String since, Long maxRecords,
            OffsetDateTime startedAt) {
        this.execution = execution;
        this.integration = integration;
        this.adapter = adapter;
        this.connection = connection;
        this.mapping = mapping;
        this.fields = fields;
        this.filters = filters;
        this.passMode = passMode;
        this.since = since;
        this.lastVersion = since;
        this.maxRecords = maxRecords;
        this.startedAt = startedAt;
        this.counts = execution.counts();
        // a run re-queued mid-pass (throttled, or after a crash) goes on counting against maxRecordsPerSync
        this.recordsThisRun = execution.counts().processed();
    }

    public String executionId() {
        return execution.id();
    }

    public SyncExecution execution() {
        return execution;
    }

    public Integration integration() {
        return integration;
    }

    public String entity() {
        return execution.entity();
    }

    public IntegrationAdapter adapter() {
        return adapter;
    }

    public ConnectionContext connection() {
        return connection;
    }

    public EntityMapping mapping() {
        return mapping;
    }

    public List<String> fields() {
        return fields;
    }

    public List<PullFilter> filters() {
        return filters;
    }

    public String passMode() {
        return passMode;
    }

    public OffsetDateTime startedAt() {
        return startedAt;
    }

    public String since() {
        return since;
    }

    public String pageCursor() {
        return pageCursor;
    }

    /** Change marker of the last record committed in this pass: where a resumed pass starts. */
    public String lastVersion() {
        return lastVersion;
    }

    /** Whether the provider's records come in change-marker order ({@link IntegrationAdapter#recordsInMarkerOrder()}). */
    public boolean markerOrdered() {
        return adapter.recordsInMarkerOrder();
    }

    /**
     * Where the pass resumes when it stops after the page just committed: the last record's change marker when
     * records come in marker order, else the marker the pass started from, with {@link #resumePage()}.
     */
    String resumePoint(String pageLastVersion) {
        if (!markerOrdered()) {
            return since;
        }
        return pageLastVersion != null ? pageLastVersion : lastVersion;
    }

    /** The page a pass of a provider without marker order goes on from after the page just committed; null otherwise. */
    String resumePage() {
        return markerOrdered() ? null : pageCursor;
    }

    /** The high-water mark the pass reaches when it completes: the provider's resume marker, else the last record's marker. */
    String highWaterMark() {
        if (resumeMarker != null) {
            return resumeMarker;
        }
        return markerOrdered() ? lastVersion : null;
    }

    /** Deletions the page being written reports ({@link providers.FetchPage#deleted()}), applied in its transaction. */
    List<DeletedRecord> pageDeletions() {
        return pageDeletions;
    }

    /** What the fetched page adds beyond its records: its deletions, and the next pass's marker on the last page. */
    void pageFeed(List<DeletedRecord> deletions, String marker) {
        pageDeletions = deletions;
        if (marker != null) {
            resumeMarker = marker;
        }
    }

    /**
     * Resumes the pass at a page (the checkpoint's {@code passPageCursor}) rather than at its start; the first fetch
     * tells whether the provider still takes that cursor.
     */
    void resumeAtPage(String pageCursor) {
        this.pageCursor = pageCursor;
        this.resumedAtPage = pageCursor;
    }

    /** The page cursor the pass resumed at, while no page has come from it yet; else null. */
    String resumedAtPage() {
        return resumedAtPage;
    }

    /** The provider no longer takes the page cursor the pass resumed at: the pass replays from the marker it started from. */
    void replayFromPassStart() {
        pageCursor = null;
        resumedAtPage = null;
    }

    /** The provider refused the marker this pass started from: the pass starts again from the beginning, as a full pass. */
    void restartAsFullPass() {
        passMode = "full";
        since = null;
        lastVersion = null;
        pageCursor = null;
        resumeMarker = null;
        hasMore = true;
    }

    /** Whether the route should fetch another page. */
    public boolean hasMore() {
        return hasMore;
    }

    public boolean limitReached() {
        return limitReached;
    }

    public Counts counts() {
        return counts;
    }

    /** Records this run may still take before maxRecordsPerSync stops it. */
    long remaining() {
        return maxRecords == null ? Long.MAX_VALUE : Math.max(0, maxRecords - recordsThisRun);
    }

    /** Records a fetched page; {@code stoppedWithMore} says maxRecordsPerSync ends the run with records left for the next one. */
    void pageFetched(String nextPageCursor, int taken, boolean stoppedWithMore) {
        resumedAtPage = null;
        recordsThisRun += taken;
        pageCursor = nextPageCursor;
        limitReached = stoppedWithMore;
        hasMore = nextPageCursor != null && !limitReached;
    }

    /** When this run's waiting for provider budget began (epoch ms), carried across re-queues; null when it has not waited. */
    void throttledSince(Long epochMs) {
        this.throttledSince = epochMs;
    }

    /** What the run waited for when it was last re-queued ("throttled", "circuit-open", "provider-unavailable"), and how often in a row. */
    void waited(String waitingFor, int waitsInRow) {
        this.waitingFor = waitingFor;
        this.waitsInRow = waitsInRow;
    }

    /** What the run waited for before it came back this time; null when it did not wait (or has gone on since). */
    public String waitingFor() {
        return progressed ? null : waitingFor;
    }

    /** What the run waited for when it was last re-queued, whether or not it has gone on since: what its log last said. */
    public String lastWaitingFor() {
        return waitingFor;
    }

    /** True once, at the first call that went through after the run came back from waiting: when to say it goes on. */
    boolean announceResume() {
        if (waitingFor == null || progressed || resumeAnnounced) {
            return false;
        }
        resumeAnnounced = true;
        return true;
    }

    /** Times in a row the run has been re-queued to wait without committing a page in between. */
    public int waitsInRow() {
        return progressed ? 0 : waitsInRow;
    }

    /** Whether the run committed a page since it came off its queue. */
    public boolean progressed() {
        return progressed;
    }

    /**
     * When the run's current wait for provider budget began: the time it was first throttled, unless it
     * committed a page since it was last re-queued (then its wait starts now).
     */
    public long waitingSince(long nowMs) {
        return throttledSince == null || progressed ? nowMs : throttledSince;
    }

    /** Pages the execution has committed so far (this run and its earlier returns from the queue). */
    public int pagesWritten() {
        return pagesWritten;
    }

    void pagesWritten(int pages) {
        this.pagesWritten = pages;
    }

    /** How long the provider took to answer for the page being written, in ms. */
    long lastFetchMs() {
        return lastFetchMs;
    }

    void fetchTook(long ms) {
        this.lastFetchMs = ms;
    }

    /** Takes the page asked for ahead, if any (the run holds it no longer). */
    PageFetcher.Prefetch takePrefetch() {
        PageFetcher.Prefetch taken = prefetch;
        prefetch = null;
        return taken;
    }

    void prefetch(PageFetcher.Prefetch next) {
        this.prefetch = next;
    }

    void pageCommitted(String version, Counts delta) {
        progressed = true;
        pagesWritten++;
        if (version != null && markerOrdered()) {
            lastVersion = version;
        }
        pageDeletions = List.of();
        counts = counts.plus(delta);
    }

    void deletionsApplied(long deleted) {
        counts = counts.plus(new Counts(0, 0, 0, 0, deleted, 0));
    }

    /** The fencing token of the delivery running this (store.CheckpointStore#checkHolder). */
    public String leaseToken() {
        return leaseToken;
    }

    void leaseToken(String leaseToken) {
        this.leaseToken = leaseToken;
    }
}
