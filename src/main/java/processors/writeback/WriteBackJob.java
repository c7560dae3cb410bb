package processors.writeback;

import java.time.Instant;
import java.util.Map;

import org.apache.camel.Exchange;

import processors.conflicts.ConflictPolicy;
import processors.conflicts.ThreeWayMerge;
import processors.mapping.EntityMapping;
import processors.mapping.MappedRecord;
import providers.ConnectionContext;
import providers.IntegrationAdapter;
import store.Integration;
import store.OutboxEntry;
import store.ShardStore;

/**
 * One write-back as it moves through the sync-outbound route: the outbox row and what the steps
 * found and decided so far. Carried as an exchange property, one per exchange; the message body
 * stays the original request, so a retry or a dead letter sends it unchanged.
 */
public final class WriteBackJob {

    public static final String PROPERTY = "hub.writeBack";
    /** Attempts to compare and write when the provider's record keeps changing under the write (412). */
    static final int CONFLICT_ROUNDS = 3;

    private final WriteBackRequest request;
    private final OutboxEntry entry;
    private Integration integration;
    private IntegrationAdapter adapter;
    private EntityMapping mapping;
    private ConnectionContext connection;
    private ConflictPolicy policy;
    /** The step running now (a route step id), and the stage a failure is reported under (connect, map, fetch, or the operation). */
    private String step;
    private String stage = "connect";

    private ShardStore.Link link;
    private int round;
    private boolean compareAgain = true;
    private MappedRecord theirs;
    private Map<String, Object> ours;
    private Map<String, Object> base;
    private Instant oursAt;
    private ThreeWayMerge.Result result;
    private boolean written;
    private String createdId;
    private MappedRecord after;
    /** The provider's record as a batch read it, for the next fetch of that record to take instead of calling. */
    private String readAheadId;
    private Map<String, Object> readAhead;

    WriteBackJob(WriteBackRequest request, OutboxEntry entry) {
        this.request = request;
        this.entry = entry;
    }

    /** The job of the exchange, or null when the request was dropped before one was made. */
    public static WriteBackJob of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, WriteBackJob.class);
    }

    static WriteBackJob at(Exchange exchange, String step) {
        WriteBackJob job = of(exchange);
        job.step = step;
        return job;
    }

    /** Route predicate: another round of fetch, compare and write is due (the first, or after a 412). */
    public static boolean compareAgain(Exchange exchange) {
        return of(exchange).compareAgain;
    }

    /** Route predicate: the operation of the job. */
    public static boolean creates(Exchange exchange) {
        return OutboxEntry.CREATE.equals(of(exchange).entry.operation());
    }

    public static boolean deletes(Exchange exchange) {
        return OutboxEntry.DELETE.equals(of(exchange).entry.operation());
    }

    public WriteBackRequest request() {
        return request;
    }

    public OutboxEntry entry() {
        return entry;
    }

    public Integration integration() {
        return integration;
    }

    public String step() {
        return step;
    }

    public String stage() {
        return stage;
    }

    void integration(Integration integration) {
        this.integration = integration;
    }

    void connected(IntegrationAdapter adapter, EntityMapping mapping, ConnectionContext connection, ConflictPolicy policy) {
        this.adapter = adapter;
        this.mapping = mapping;
        this.connection = connection;
        this.policy = policy;
    }

    void stage(String stage) {
        this.stage = stage;
    }

    IntegrationAdapter adapter() {
        return adapter;
    }

    EntityMapping mapping() {
        return mapping;
    }

    ConnectionContext connection() {
        return connection;
    }

    ConflictPolicy policy() {
        return policy;
    }

    ShardStore.Link link() {
        return link;
    }

    /** A new round of comparison begins on the record as the provider holds it now. */
    int nextRound(ShardStore.Link link) {
        this.link = link;
        this.compareAgain = false;
        this.written = false;
        return ++round;
    }

    int round() {
        return round;
    }

    void compareAgain() {
        this.compareAgain = true;
    }

    void compared(MappedRecord theirs, Map<String, Object> ours, Map<String, Object> base, Instant oursAt) {
        this.theirs = theirs;
        this.ours = ours;
        this.base = base;
        this.oursAt = oursAt;
    }

    /** When the shard was last changed in Castiel (for last_write_wins). */
    Instant oursAt() {
        return oursAt;
    }

    MappedRecord theirs() {
        return theirs;
    }

    Map<String, Object> ours() {
        return ours;
    }

    Map<String, Object> base() {
        return base;
    }

    void result(ThreeWayMerge.Result result) {
        this.result = result;
    }

    ThreeWayMerge.Result result() {
        return result;
    }

    void written() {
        this.written = true;
    }

    boolean wasWritten() {
        return written;
    }

    void created(String externalId) {
        this.createdId = externalId;
    }

    String createdId() {
        return createdId;
    }

    /** What a batch read found for the record (null: not there); the next {@link FetchRecord#fetch} takes it, once. */
    void readAhead(String externalId, Map<String, Object> record) {
        this.readAheadId = externalId;
        this.readAhead = record;
    }

    /** The read-ahead of this record, taken (empty optional: the batch found it gone), or null when there is none. */
    java.util.Optional<Map<String, Object>> takeReadAhead(String externalId) {
        if (readAheadId == null || !readAheadId.equals(externalId)) {
            return null;
        }
        readAheadId = null;
        java.util.Optional<Map<String, Object>> found = java.util.Optional.ofNullable(readAhead);
        readAhead = null;
        return found;
    }

    void after(MappedRecord after) {
        this.after = after;
    }

    MappedRecord after() {
        return after;
    }
}
