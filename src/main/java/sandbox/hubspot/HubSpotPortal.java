package sandbox.hubspot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import sandbox.kit.CallAdmission;

/**
 * One sandbox portal (HubSpot account): its records over the shared seed, its associations, its access-token
 * lifetime and its API limits. Reads run concurrently; writes are serialized and stamp strictly increasing times, so
 * a search on the modification date from the last value seen never misses a change.
 */
final class HubSpotPortal {

    private static final Logger LOG = LoggerFactory.getLogger(HubSpotPortal.class);

    /** What a write did, told to the listener once the write lock is released. */
    enum Kind { CREATED, UPDATED, ARCHIVED }

    /**
     * One record changed: for CREATED its values, for UPDATED the properties whose values changed (new values, ""
     * for cleared), for ARCHIVED nothing.
     */
    record Change(HubSpotObjectType type, Kind kind, long recordId, Map<String, String> properties, Instant at) {
    }

    /** Told about the changes of every write, after it is stored; exceptions are logged and ignored. */
    interface ChangeListener {
        void changed(HubSpotPortal portal, List<Change> changes);
    }

    /** An association a create asks for: the target id and the association types. */
    record AssociationInput(long toId, List<AssociationTypes.Spec> types) {
    }

    /** A page of a list: the records and the id the next page starts at (null on the last page). */
    record Page(List<HubSpotRecord> records, Long nextAfter) {
    }

    /** Records and associations; replaced whole by a reset. */
    private static final class Data {
        final HubSpotSeed seed;
        final Map<HubSpotObjectType, RecordTable> tables = new EnumMap<>(HubSpotObjectType.class);
        final AssociationStore associations = new AssociationStore();
        Instant lastStamp;

        Data(HubSpotSeed seed) {
            this.seed = seed;
            for (HubSpotObjectType type : HubSpotObjectType.values()) {
                tables.put(type, new RecordTable(type, seed.records(type)));
            }
            for (HubSpotSeed.Link link : seed.links()) {
                associations.associate(link.fromType(), link.fromId(), link.toType(), link.toId(), link.primary());
            }
            lastStamp = seed.lastStamp();
        }
    }

    private final String name;
    private final long portalId;
    private final Clock clock;
    private final ChangeListener listener;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final CallAdmission limits;
    private Data data;
    private volatile Duration accessTokenTtl;

    HubSpotPortal(String name, long portalId, HubSpotSeed seed, Duration accessTokenTtl, CallAdmission limits, Clock clock,
            ChangeListener listener) {
        this.name = name;
        this.portalId = portalId;
        this.clock = clock;
        this.listener = listener;
        this.limits = limits;
        this.accessTokenTtl = accessTokenTtl;
        this.data = new Data(seed);
    }

    /** The name after {@code pat-sandbox-}; empty for the default portal. */
    String name() {
        return name;
    }

    /** HubSpot's account id (hub id), as webhook events and token information carry it. */
    long portalId() {
        return portalId;
    }

    Instant now() {
        return clock.instant();
    }

    /** The portal's API limits and latency ({@link ApiLimits}). */
    CallAdmission limits() {
        return limits;
    }

    /** Lifetime of OAuth access tokens issued for this portal from now on. */
    Duration accessTokenTtl() {
        return accessTokenTtl;
    }

    void setAccessTokenTtl(Duration ttl) {
        this.accessTokenTtl = Objects.requireNonNull(ttl);
    }

    /** Drops every change: the portal holds the given seed again. */
    void reset(HubSpotSeed seed) {
        lock.writeLock().lock();
        try {
            data = new Data(seed);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The seed the portal holds now (its ground truth). */
    HubSpotSeed seed() {
        lock.readLock().lock();
        try {
            return data.seed;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Live records per type. */
    Map<HubSpotObjectType, Integer> counts() {
        lock.readLock().lock();
        try {
            Map<HubSpotObjectType, Integer> counts = new EnumMap<>(HubSpotObjectType.class);
            data.tables.forEach((type, table) -> counts.put(type, table.liveCount()));
            return counts;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The record with this id, archived or not, or null. */
    HubSpotRecord get(HubSpotObjectType type, long id) {
        lock.readLock().lock();
        try {
            return data.tables.get(type).get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The live record whose property has this value (case-insensitive), or null: reads by a unique property. */
    HubSpotRecord findBy(HubSpotObjectType type, HubSpotProperty property, String value) {
        lock.readLock().lock();
        try {
            HubSpotRecord[] found = new HubSpotRecord[1];
            data.tables.get(type).forEachFrom(Long.MIN_VALUE, r -> {
                if (!r.isArchived() && value.equalsIgnoreCase(r.get(property))) {
                    found[0] = r;
                    return false;
                }
                return true;
            });
            return found[0];
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Up to {@code limit} live (or only archived) records with id at least {@code fromId}, in id order. */
    Page list(HubSpotObjectType type, long fromId, int limit, boolean archived) {
        lock.readLock().lock();
        try {
            List<HubSpotRecord> page = new ArrayList<>(limit);
            Long[] next = new Long[1];
            data.tables.get(type).forEachFrom(fromId, r -> {
                if (r.isArchived() != archived) {
                    return true;
                }
                if (page.size() == limit) {
                    next[0] = r.id();
                    return false;
                }
                page.add(r);
                return true;
            });
            return new Page(page, next[0]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every live record of a type, in id order: what a search looks through. */
    List<HubSpotRecord> live(HubSpotObjectType type) {
        lock.readLock().lock();
        try {
            List<HubSpotRecord> all = new ArrayList<>(data.tables.get(type).liveCount());
            data.tables.get(type).forEachFrom(Long.MIN_VALUE, r -> {
                if (!r.isArchived()) {
                    all.add(r);
                }
                return true;
            });
            return all;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Creates records, all or none: each with its values and the associations it asks for (whose targets must be
     * live records).
     */
    List<HubSpotRecord> create(HubSpotObjectType type, List<Map<String, String>> values,
            List<List<AssociationInput>> associations) {
        List<HubSpotRecord> created = new ArrayList<>(values.size());
        List<Change> changes = new ArrayList<>(values.size());
        lock.writeLock().lock();
        try {
            for (List<AssociationInput> inputs : associations) {
                for (AssociationInput input : inputs) {
                    for (AssociationTypes.Spec spec : input.types()) {
                        requireLive(spec.to(), input.toId(), "association target");
                    }
                }
            }
            RecordTable table = data.tables.get(type);
            for (int i = 0; i < values.size(); i++) {
                HubSpotRecord record = HubSpotRecord.created(type, table.newId(), values.get(i), nextStamp());
                table.put(record);
                for (AssociationInput input : associations.get(i)) {
                    boolean primary = input.types().stream().anyMatch(AssociationTypes.Spec::primary);
                    data.associations.associate(type, record.id(), input.types().get(0).to(), input.toId(), primary);
                }
                created.add(record);
                Map<String, String> set = new LinkedHashMap<>();
                values.get(i).forEach((k, v) -> {
                    if (v != null && !v.isEmpty()) {
                        set.put(k, v);
                    }
                });
                changes.add(new Change(type, Kind.CREATED, record.id(), set, record.createdAt()));
            }
        } finally {
            lock.writeLock().unlock();
        }
        notify(changes);
        return created;
    }

    /**
     * Applies changes to live records; ids that are missing or archived are skipped and reported by returning null
     * in their place (a single update turns that into a 404).
     */
    List<HubSpotRecord> update(HubSpotObjectType type, List<Long> ids, List<Map<String, String>> values) {
        List<HubSpotRecord> updated = new ArrayList<>(ids.size());
        List<Change> changes = new ArrayList<>();
        lock.writeLock().lock();
        try {
            RecordTable table = data.tables.get(type);
            for (int i = 0; i < ids.size(); i++) {
                HubSpotRecord current = table.get(ids.get(i));
                if (current == null || current.isArchived()) {
                    updated.add(null);
                    continue;
                }
                Map<String, String> changed = new LinkedHashMap<>();
                values.get(i).forEach((k, v) -> {
                    String before = current.get(k);
                    String after = v == null || v.isEmpty() ? null : v;
                    if (!Objects.equals(before, after)) {
                        changed.put(k, after == null ? "" : after);
                    }
                });
                // HubSpot stamps the modification date on every update, even one that changes no value
                HubSpotRecord record = current.updated(values.get(i), nextStamp());
                table.put(record);
                updated.add(record);
                changes.add(new Change(type, Kind.UPDATED, record.id(), changed, record.updatedAt()));
            }
        } finally {
            lock.writeLock().unlock();
        }
        notify(changes);
        return updated;
    }

    /** Moves live records to the recycle bin; missing or archived ids are ignored. */
    void archive(HubSpotObjectType type, List<Long> ids) {
        List<Change> changes = new ArrayList<>();
        lock.writeLock().lock();
        try {
            RecordTable table = data.tables.get(type);
            for (long id : ids) {
                HubSpotRecord current = table.get(id);
                if (current != null && !current.isArchived()) {
                    HubSpotRecord archived = current.archived(nextStamp());
                    table.put(archived);
                    changes.add(new Change(type, Kind.ARCHIVED, id, Map.of(), archived.archivedAt()));
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        notify(changes);
    }

    /**
     * The live records of {@code toType} associated with a live record, id to whether the association is Primary;
     * null when the record is missing or archived.
     */
    NavigableMap<Long, Boolean> associations(HubSpotObjectType type, long id, HubSpotObjectType toType) {
        lock.readLock().lock();
        try {
            HubSpotRecord record = data.tables.get(type).get(id);
            if (record == null || record.isArchived()) {
                return null;
            }
            java.util.TreeMap<Long, Boolean> live = new java.util.TreeMap<>();
            RecordTable targets = data.tables.get(toType);
            data.associations.targets(type, id, toType).forEach((toId, primary) -> {
                HubSpotRecord target = targets.get(toId);
                if (target != null && !target.isArchived()) {
                    live.put(toId, primary);
                }
            });
            return live;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Associates two live records; {@code primary} adds the Primary label. */
    void associate(HubSpotObjectType type, long id, HubSpotObjectType toType, long toId, boolean primary) {
        lock.writeLock().lock();
        try {
            requireLive(type, id, "record");
            requireLive(toType, toId, "association target");
            data.associations.associate(type, id, toType, toId, primary);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes an association with all its labels; nothing happens when there is none. */
    void dissociate(HubSpotObjectType type, long id, HubSpotObjectType toType, long toId) {
        lock.writeLock().lock();
        try {
            data.associations.dissociate(type, id, toType, toId);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void requireLive(HubSpotObjectType type, long id, String what) {
        HubSpotRecord record = data.tables.get(type).get(id);
        if (record == null || record.isArchived()) {
            throw new HubSpotApiException(HttpStatus.BAD_REQUEST, HubSpotJson.error(
                    "Invalid " + what + ": no " + type.upperName() + " with id " + id + " exists", "VALIDATION_ERROR"));
        }
    }

    /** Now, or 1 ms after the previous change: strictly increasing, in milliseconds as HubSpot stores times. */
    private Instant nextStamp() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        data.lastStamp = now.isAfter(data.lastStamp) ? now : data.lastStamp.plusMillis(1);
        return data.lastStamp;
    }

    private void notify(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            listener.changed(this, changes);
        } catch (RuntimeException e) {
            LOG.warn("HubSpot sandbox change listener failed for portal {}", portalId, e);
        }
    }
}
