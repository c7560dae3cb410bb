package sandbox.dynamics365;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import sandbox.kit.TakenTokens;

/**
 * One Dataverse environment (org): its rows, the org-wide row version every write takes (Dataverse's rowversion, the
 * {@code versionnumber} and ETag of each row, and the position change tracking counts from), the log of deleted
 * rows for delta links, and the sandbox's per-org switches (delta tokens invalidated, access tokens expired,
 * latency). Reads run concurrently and see snapshots; writes are serialized.
 */
final class DataverseOrg {

    /** A deleted row, as change tracking reports it. */
    record Deletion(String id, long version, Instant at) {
    }

    /** Rows created or changed, then rows deleted, within a range of versions, each sorted by version. */
    record Changes(List<DataverseRow> upserted, List<Deletion> deleted) {
    }

    /** What a conditional write requires: {@code If-Match} (null, {@code *} or an ETag), {@code If-None-Match: *}. */
    record Precondition(String ifMatch, boolean ifNoneMatchAny) {
        static final Precondition NONE = new Precondition(null, false);
    }

    record WriteResult(DataverseRow row, boolean created) {
    }

    private final String name;
    private final Clock clock;
    private final String organizationId;
    private final String businessUnitId;
    private final Map<EntitySchema, Map<String, DataverseRow>> tables = new HashMap<>();
    private final Map<EntitySchema, List<Deletion>> deletions = new HashMap<>();
    private final Map<EntitySchema, Map<String, String>> groundTruth = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private long version;
    /** Delta tokens at or below this version were invalidated (setup, or a reset of the org). */
    private volatile long deltaTokensValidAbove;
    /** Access tokens this org has taken, and those it refuses since setup expired them. */
    private final TakenTokens tokens;
    /** Its users' request windows and execution time, and its latency; kept when the org is reset. */
    private final ServiceProtection protection;

    /**
     * An empty org whose row versions start above {@code firstVersion}, so tokens and ETags of an org it replaces
     * never match its own.
     */
    DataverseOrg(String name, Clock clock, long firstVersion, ServiceProtection protection) {
        this.name = name;
        this.clock = clock;
        this.tokens = new TakenTokens(clock);
        this.protection = protection;
        this.organizationId = EntitySchema.stableId("organization:" + name);
        this.businessUnitId = EntitySchema.stableId("businessunit:" + name);
        this.version = firstVersion;
        this.deltaTokensValidAbove = firstVersion;
        EntitySchema.ALL.forEach(t -> {
            tables.put(t, new LinkedHashMap<>());
            deletions.put(t, new ArrayList<>());
            groundTruth.put(t, new LinkedHashMap<>());
        });
    }

    String name() {
        return name;
    }

    String organizationId() {
        return organizationId;
    }

    String businessUnitId() {
        return businessUnitId;
    }

    Instant now() {
        return clock.instant();
    }

    /** The system user a caller (its token's object id) acts as in this org. */
    String systemUserId(String objectId) {
        return EntitySchema.stableId("systemuser:" + name + ":" + objectId);
    }

    /** The newest row version handed out. */
    long currentVersion() {
        lock.readLock().lock();
        try {
            return version;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ seeding

    /**
     * Adds a seeded row as it stands (its id, timestamps and values given), taking the next version, and records
     * which entity of the shared population it stands for.
     */
    void seed(EntitySchema table, Map<String, Object> values, String entityId) {
        lock.writeLock().lock();
        try {
            Map<String, Object> row = new LinkedHashMap<>(values);
            row.values().removeIf(Objects::isNull);
            row.put("versionnumber", ++version);
            DataverseRow stored = new DataverseRow(table, derived(table, row));
            tables.get(table).put(stored.id(), stored);
            if (entityId != null) {
                groundTruth.get(table).put(stored.id(), entityId);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Row id to population entity id, per table, for the rows seeded, in the order they were seeded. */
    Map<EntitySchema, Map<String, String>> groundTruth() {
        lock.readLock().lock();
        try {
            Map<EntitySchema, Map<String, String>> copy = new LinkedHashMap<>();
            EntitySchema.ALL.forEach(t -> copy.put(t, Collections.unmodifiableMap(new LinkedHashMap<>(groundTruth.get(t)))));
            return copy;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ reads

    /** The table's live rows, in the order they were created: a snapshot. */
    List<DataverseRow> rows(EntitySchema table) {
        lock.readLock().lock();
        try {
            return List.copyOf(tables.get(table).values());
        } finally {
            lock.readLock().unlock();
        }
    }

    int count(EntitySchema table) {
        lock.readLock().lock();
        try {
            return tables.get(table).size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A live row, or null. */
    DataverseRow get(EntitySchema table, String id) {
        lock.readLock().lock();
        try {
            return tables.get(table).get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The row a reference points at, or null (also for tables the sandbox does not hold, like systemuser). */
    DataverseRow get(EntityReference reference) {
        return EntitySchema.byLogicalName(reference.table()).map(t -> get(t, reference.id())).orElse(null);
    }

    /** Rows written and rows deleted with versions in {@code (after, upTo]}. */
    Changes changes(EntitySchema table, long after, long upTo) {
        lock.readLock().lock();
        try {
            List<DataverseRow> upserted = tables.get(table).values().stream()
                    .filter(r -> r.version() > after && r.version() <= upTo)
                    .sorted(Comparator.comparingLong(DataverseRow::version)).toList();
            List<Deletion> deleted = deletions.get(table).stream()
                    .filter(d -> d.version() > after && d.version() <= upTo).toList();
            return new Changes(upserted, deleted);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ writes

    /**
     * Creates a row ({@code POST}); {@code id} may be null for a new GUID.
     *
     * @throws DataverseApiException 412 when a row with that id exists, 404 when a lookup points at no row
     */
    DataverseRow create(EntitySchema table, String id, Map<String, Object> values, String userId) {
        return write(table, id, values, new Precondition(null, true), userId).row();
    }

    /**
     * A {@code PATCH}: update, create (upsert) or refuse, as the precondition says.
     *
     * @throws DataverseApiException 404 (If-Match on a missing row, or a lookup to no row), 412 (stale ETag, or
     *     If-None-Match on an existing row)
     */
    WriteResult write(EntitySchema table, String id, Map<String, Object> changes, Precondition precondition,
            String userId) {
        lock.writeLock().lock();
        try {
            String rowId = id == null ? UUID.randomUUID().toString() : id;
            DataverseRow existing = tables.get(table).get(rowId);
            if (existing != null && precondition.ifNoneMatchAny()) {
                throw DataverseApiException.duplicate();
            }
            if (existing == null && precondition.ifMatch() != null) {
                throw DataverseApiException.notFound(table, rowId);
            }
            if (existing != null && precondition.ifMatch() != null && !precondition.ifMatch().equals("*")
                    && !precondition.ifMatch().equals(existing.etag())) {
                throw DataverseApiException.versionMismatch();
            }
            checkReferences(changes);
            Instant now = stamp();
            Map<String, Object> values;
            if (existing == null) {
                values = new LinkedHashMap<>();
                values.put(table.primaryId(), rowId);
                values.put("statecode", 0);
                values.put("statuscode", 1);
                values.putAll(changes);
                EntityReference user = new EntityReference("systemuser", userId);
                values.put("ownerid", user);
                values.put("createdby", user);
                values.put("modifiedby", user);
                values.put("createdon", now);
            } else {
                values = new LinkedHashMap<>(existing.values());
                values.putAll(changes);
                values.put("modifiedby", new EntityReference("systemuser", userId));
            }
            values.put(table.primaryId(), rowId);
            values.put("modifiedon", now);
            values.put("versionnumber", ++version);
            values.values().removeIf(Objects::isNull);
            DataverseRow row = new DataverseRow(table, derived(table, values));
            tables.get(table).put(rowId, row);
            return new WriteResult(row, existing == null);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Runs writes as one transaction, as a change set of a {@code $batch} is: when one of them throws, the org is put
     * back as it was before the first (rows, deletions and the row version), and the failure is thrown.
     */
    <T> T atomically(java.util.function.Supplier<T> writes) {
        lock.writeLock().lock();
        try {
            Map<EntitySchema, Map<String, DataverseRow>> rowsBefore = new HashMap<>();
            Map<EntitySchema, List<Deletion>> deletionsBefore = new HashMap<>();
            tables.forEach((table, rows) -> rowsBefore.put(table, new LinkedHashMap<>(rows)));
            deletions.forEach((table, log) -> deletionsBefore.put(table, new ArrayList<>(log)));
            long versionBefore = version;
            try {
                return writes.get();
            } catch (RuntimeException e) {
                rowsBefore.forEach((table, rows) -> {
                    tables.get(table).clear();
                    tables.get(table).putAll(rows);
                });
                deletionsBefore.forEach((table, log) -> {
                    deletions.get(table).clear();
                    deletions.get(table).addAll(log);
                });
                version = versionBefore;
                throw e;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Deletes a row and what Dataverse's relationships cascade to: rows whose cascading lookup points at it are
     * deleted too, other lookups to it are cleared (an update of the row holding them).
     *
     * @throws DataverseApiException 404 for a missing row, 412 for a stale {@code If-Match}
     */
    void delete(EntitySchema table, String id, String ifMatch) {
        lock.writeLock().lock();
        try {
            DataverseRow existing = tables.get(table).get(id);
            if (existing == null) {
                throw DataverseApiException.notFound(table, id);
            }
            if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.equals(existing.etag())) {
                throw DataverseApiException.versionMismatch();
            }
            deleteCascading(table, id, stamp());
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void deleteCascading(EntitySchema table, String id, Instant at) {
        if (tables.get(table).remove(id) == null) {
            return;
        }
        deletions.get(table).add(new Deletion(id, ++version, at));
        for (EntitySchema other : EntitySchema.ALL) {
            for (DataverseRow row : List.copyOf(tables.get(other).values())) {
                for (Column column : other.columns()) {
                    if (column.type().isLookup() && row.get(column) instanceof EntityReference ref
                            && ref.table().equals(table.logicalName()) && ref.id().equals(id)) {
                        boolean cascade = column.targetByTable(table.logicalName()).map(Column.Target::cascadeDelete)
                                .orElse(false);
                        if (cascade) {
                            deleteCascading(other, row.id(), at);
                        } else if (tables.get(other).containsKey(row.id())) {
                            Map<String, Object> values = new LinkedHashMap<>(tables.get(other).get(row.id()).values());
                            values.remove(column.logicalName());
                            values.put("modifiedon", at);
                            values.put("versionnumber", ++version);
                            tables.get(other).put(row.id(), new DataverseRow(other, values));
                        }
                    }
                }
            }
        }
    }

    private void checkReferences(Map<String, Object> values) {
        for (Object value : values.values()) {
            if (value instanceof EntityReference ref) {
                EntitySchema target = EntitySchema.byLogicalName(ref.table()).orElseThrow();
                if (!tables.get(target).containsKey(ref.id())) {
                    throw DataverseApiException.notFound(target, ref.id());
                }
            }
        }
    }

    /** Columns Dataverse computes: a contact's full name from its first and last name. */
    private static Map<String, Object> derived(EntitySchema table, Map<String, Object> values) {
        if (table == EntitySchema.CONTACT) {
            String full = String.join(" ", java.util.stream.Stream.of(values.get("firstname"), values.get("lastname"))
                    .filter(Objects::nonNull).map(Object::toString).toList());
            if (full.isEmpty()) {
                values.remove("fullname");
            } else {
                values.put("fullname", full);
            }
        }
        return values;
    }

    /** Dataverse keeps milliseconds (and sends whole seconds). */
    private Instant stamp() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ------------------------------------------------------------------ sandbox switches

    /** Delta tokens issued at or before this version are refused. */
    long deltaTokensValidAbove() {
        return deltaTokensValidAbove;
    }

    /** Refuses every delta token issued so far (the next one issued is past a version bump, so it stays valid). */
    long invalidateDeltaTokens() {
        lock.writeLock().lock();
        try {
            deltaTokensValidAbove = version;
            version++;
            return deltaTokensValidAbove;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Its users' service protection and the latency of its calls. */
    ServiceProtection protection() {
        return protection;
    }

    /**
     * Whether the org takes an access token (its id, {@code jti}, and when it was issued): not once setup expired
     * the tokens seen before, nor one issued before that moment.
     */
    boolean acceptsToken(String tokenId, Instant issuedAt) {
        return tokens.accepts(tokenId, issuedAt);
    }

    /** Expires the org's access tokens: those it has seen and any issued before this second. */
    void expireTokens() {
        tokens.expireAll();
    }
}
