package hub;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import providers.AdapterHealth;
import providers.ChangeMarkerRefusedException;
import providers.ConnectionContext;
import providers.ConnectionTestResult;
import providers.DeletedRecord;
import providers.DeletedRecords;
import providers.EntityInfo;
import providers.FetchPage;
import providers.FetchRequest;
import providers.FieldInfo;
import providers.IntegrationAdapter;
import providers.PermanentProviderException;
import providers.ProviderDescriptor;
import providers.ProviderDescriptor.CredentialField;
import providers.RateLimitedProviderException;

/**
 * An in-memory provider with a change feed, as Dataverse's change tracking: records ("Item": Id, Name, Phone, ETag)
 * come in no particular order and carry an etag, not an ordered change marker; a full read's last page gives a
 * delta token, reading from a token gives what changed since (deleted records as such, in the pages), and a token
 * older than {@link #expireTokens} is refused. Each tenant has its own items, and its reads can be refused for
 * volume once ({@link #refuseRead}), which sends the run back to its queue.
 */
public class ChangeFeedTestAdapter implements IntegrationAdapter {

    public static final String PROVIDER_ID = "test-feed";

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(PROVIDER_ID, "Test Change Feed", "test", "active",
            "tenant", List.of("test_feed_settings"), List.of("Item"),
            List.of(new CredentialField("name", false, false, "anything")), 100_000);

    /** One tenant's items: the live ones, the deletions, and the sequence of their changes. */
    private static final class Store {
        final Map<String, Map<String, Object>> items = new ConcurrentHashMap<>();
        final Map<String, Long> changedAt = new ConcurrentHashMap<>();
        final Map<String, Long> deletedAt = new ConcurrentHashMap<>();
        final AtomicLong sequence = new AtomicLong();
        volatile long expiredBefore;
        final AtomicInteger refuseReadAt = new AtomicInteger(-1);
        final AtomicInteger reads = new AtomicInteger();
        /** Page cursors carry the generation they were handed out in; those of an earlier one are no longer served. */
        final AtomicInteger cursorGeneration = new AtomicInteger();
        volatile boolean expireCursorsOnRefusal;
    }

    private final Map<String, Store> stores = new ConcurrentHashMap<>();

    private Store store(String tenantId) {
        return stores.computeIfAbsent(tenantId, t -> new Store());
    }

    /** Adds or changes an item (a new etag); returns its id. */
    public String put(String tenantId, String id, String name, String phone) {
        Store store = store(tenantId);
        String itemId = id != null ? id : UUID.randomUUID().toString();
        Map<String, Object> record = new HashMap<>();
        record.put("Id", itemId);
        record.put("Name", name);
        record.put("Phone", phone);
        record.put("ETag", "W/\"" + UUID.randomUUID() + "\"");
        store.items.put(itemId, record);
        store.deletedAt.remove(itemId);
        store.changedAt.put(itemId, store.sequence.incrementAndGet());
        return itemId;
    }

    /** An item as the feed holds it now (Id, Name, Phone, ETag). */
    public Map<String, Object> item(String tenantId, String id) {
        return Map.copyOf(store(tenantId).items.get(id));
    }

    public void delete(String tenantId, String id) {
        Store store = store(tenantId);
        store.items.remove(id);
        store.changedAt.remove(id);
        store.deletedAt.put(id, store.sequence.incrementAndGet());
    }

    /** Every delta token handed out so far stops being served. */
    public void expireTokens(String tenantId) {
        Store store = store(tenantId);
        store.expiredBefore = store.sequence.incrementAndGet();
    }

    /** The tenant's {@code n}-th read from now (1: the next) is refused for volume, once. */
    public void refuseRead(String tenantId, int n) {
        refuseRead(tenantId, n, false);
    }

    /** The same; with {@code expireCursors}, the page cursors handed out so far stop being served at that moment. */
    public void refuseRead(String tenantId, int n, boolean expireCursors) {
        Store store = store(tenantId);
        store.expireCursorsOnRefusal = expireCursors;
        store.refuseReadAt.set(store.reads.get() + n);
    }

    /** Pages the tenant has read so far. */
    public int reads(String tenantId) {
        return store(tenantId).reads.get();
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public boolean recordsInMarkerOrder() {
        return false;
    }

    @Override
    public boolean deletionsInPages() {
        return true;
    }

    @Override
    public void connect(ConnectionContext connection) {
    }

    @Override
    public void disconnect(ConnectionContext connection) {
    }

    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        return ConnectionTestResult.success("feed");
    }

    /** Cursor: "from|upTo|offset|generation"; a pass reads its changes as of its first page, in an order the etags do not give. */
    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        Store store = store(connection.tenantId());
        int read = store.reads.incrementAndGet();
        if (store.refuseReadAt.compareAndSet(read, -1)) {
            if (store.expireCursorsOnRefusal) {
                store.cursorGeneration.incrementAndGet();
            }
            throw new RateLimitedProviderException("Test feed: too many requests (HTTP 429)", 429, java.time.Duration.ofMillis(200));
        }
        long from;
        long upTo;
        int offset;
        if (request.pageCursor() != null) {
            String[] parts = request.pageCursor().split("\\|");
            from = Long.parseLong(parts[0]);
            upTo = Long.parseLong(parts[1]);
            if (Integer.parseInt(parts[3]) != store.cursorGeneration.get()) {
                throw new PermanentProviderException("Test feed: the page cursor expired (HTTP 400)", 400, null);
            }
            offset = Integer.parseInt(parts[2]);
        } else {
            from = request.since() == null ? 0 : token(request.since());
            if (request.since() != null && from < store.expiredBefore) {
                throw new ChangeMarkerRefusedException("delta token expired", 410);
            }
            upTo = store.sequence.get();
            offset = 0;
        }
        List<String> changed = new ArrayList<>();
        store.changedAt.forEach((id, at) -> {
            if (at > from && at <= upTo) {
                changed.add(id);
            }
        });
        List<String> deleted = new ArrayList<>();
        if (from > 0) {
            store.deletedAt.forEach((id, at) -> {
                if (at > from && at <= upTo) {
                    deleted.add(id);
                }
            });
        }
        // by id, not by change: the order a change feed hands them out in
        changed.sort(Comparator.naturalOrder());
        List<String> entries = new ArrayList<>(changed);
        entries.addAll(deleted);
        int end = Math.min(entries.size(), offset + request.pageSize());
        List<Map<String, Object>> records = new ArrayList<>();
        List<DeletedRecord> deletions = new ArrayList<>();
        for (String id : entries.subList(offset, end)) {
            Map<String, Object> item = store.items.get(id);
            if (item != null && changed.contains(id)) {
                records.add(new HashMap<>(item));
            } else {
                deletions.add(new DeletedRecord(id, null));
            }
        }
        boolean more = end < entries.size();
        return new FetchPage(records, more ? from + "|" + upTo + "|" + end + "|" + store.cursorGeneration.get() : null, entries.size(), deletions,
                more ? null : "token:" + upTo);
    }

    private static long token(String marker) {
        if (!marker.startsWith("token:")) {
            throw new ChangeMarkerRefusedException("not a delta token", 400);
        }
        return Long.parseLong(marker.substring("token:".length()));
    }

    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        throw new IllegalStateException("deletions come with the pages: fetchDeleted must not be called");
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        return Optional.ofNullable(store(connection.tenantId()).items.get(externalId)).map(HashMap::new);
    }

    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        return put(connection.tenantId(), null, String.valueOf(fields.get("Name")), String.valueOf(fields.get("Phone")));
    }

    @Override
    public void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields,
                             String expectedVersion) {
        Map<String, Object> record = store(connection.tenantId()).items.get(externalId);
        if (record == null) {
            throw new PermanentProviderException("no item " + externalId, 404, null);
        }
        put(connection.tenantId(), externalId, String.valueOf(fields.getOrDefault("Name", record.get("Name"))),
                String.valueOf(fields.getOrDefault("Phone", record.get("Phone"))));
    }

    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        delete(connection.tenantId(), externalId);
    }

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        return List.of();
    }

    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        return List.of();
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return new AdapterHealth("healthy", null, null, null);
    }
}
