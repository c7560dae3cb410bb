package sandbox.salesforce;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import sandbox.kit.CallAdmission;
import sandbox.kit.DailyQuota;
import sandbox.kit.RateWindow;

/**
 * One sandbox org: its records (deleted ones stay, flagged, as in the recycle bin), its open query cursors
 * and its API usage. Reads run concurrently; writes are serialized and stamp strictly increasing times.
 */
public final class SandboxOrg {

    /** The REST API's rate window, in {@link #calls()}. */
    static final String REST_API = "rest-api";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxOrg.class);

    private final String name;
    private final String code;
    private final String orgId;
    private final String userId;
    private final String username;
    private final Clock clock;
    private final SalesforceChangeListener listener;
    private final Map<SObjectSchema, Map<String, SandboxRecord>> tables = new HashMap<>();
    private final Map<SObjectSchema, Long> counters = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final QueryLocators cursors;
    private final DailyQuota usage;
    private final CallAdmission calls;
    private final SandboxDataGenerator generator;
    private final int seededAccounts;
    private Instant lastStamp = Instant.EPOCH;

    /** A change to report once the write lock is released. */
    private record Change(String changeType, SandboxRecord record) {
    }

    SandboxOrg(String name, String code, String username, SalesforceSandboxProperties properties,
            SandboxDataGenerator generator, Clock clock, SalesforceChangeListener listener) {
        int accounts = properties.accounts();
        this.name = name;
        this.code = code;
        this.orgId = SalesforceIds.of("00D", code, 1);
        this.userId = SalesforceIds.of("005", code, 1);
        this.username = username;
        this.clock = clock;
        this.listener = listener;
        this.cursors = new QueryLocators(code, clock);
        this.usage = new DailyQuota(clock, properties.apiDailyLimit());
        this.calls = new CallAdmission(clock, properties.latencyMs())
                .window(REST_API, properties.rateLimit(), properties.rateWindow());
        this.generator = generator;
        this.seededAccounts = accounts;
        SObjectSchema.ALL.forEach(t -> {
            tables.put(t, new LinkedHashMap<>());
            counters.put(t, 0L);
        });
        generator.generate(accounts, code, r -> {
            tables.get(r.type()).put(r.id(), r);
            counters.merge(r.type(), 1L, Long::sum);
            if (r.systemModstamp().isAfter(lastStamp)) {
                lastStamp = r.systemModstamp();
            }
        });
    }

    /**
     * Which world entity each seeded account (company), contact and lead (person) and opportunity (deal) is, whatever has
     * happened to the record since; records created through the API are no entity of the world and are not told.
     */
    public void groundTruth(SandboxDataGenerator.TruthSink sink) {
        generator.groundTruth(seededAccounts, code, sink);
    }

    /** Which world company each seeded lead's Company names (leads without a company are not told). */
    public void leadCompanies(SandboxDataGenerator.TruthSink sink) {
        generator.leadCompanies(seededAccounts, code, sink);
    }

    /** The name after {@code admin+} in the username; empty for the default org. */
    public String name() {
        return name;
    }

    /** Two chars after the key prefix of every id in this org, like a pod code. */
    public String code() {
        return code;
    }

    public String orgId() {
        return orgId;
    }

    public String userId() {
        return userId;
    }

    public String username() {
        return username;
    }

    /** Until when the org's REST API answers 503, as Salesforce does in an outage (null: it is up). */
    private volatile Instant unavailableUntil;

    /** Starts an outage of the REST API lasting {@code length}; zero ends one. */
    void outage(java.time.Duration length) {
        unavailableUntil = length.isZero() ? null : clock.instant().plus(length);
    }

    /** When the current outage ends; null when the REST API is up. */
    Instant unavailableUntil() {
        Instant until = unavailableUntil;
        return until != null && until.isAfter(clock.instant()) ? until : null;
    }

    /** The org's clock, which stamps changes. */
    public Instant now() {
        return clock.instant();
    }

    QueryLocators cursors() {
        return cursors;
    }

    /** Today's authenticated calls, against the daily limit Sforce-Limit-Info reports (never enforced). */
    DailyQuota usage() {
        return usage;
    }

    /** How the org lets calls in: the REST API's rate window and the configured latency. */
    CallAdmission calls() {
        return calls;
    }

    /** The org's REST API rate limit (off unless hub.sandbox.salesforce.rate-limit or setup/limits sets it). */
    public RateWindow rateLimit() {
        return calls.window(REST_API);
    }

    /** REST API calls refused with 429 REQUEST_LIMIT_EXCEEDED so far, so tests can assert zero. */
    public long rateLimitViolations() {
        return rateLimit().violations();
    }

    /** The records a query matches, in result order: a snapshot, safe to page through later. */
    public List<SandboxRecord> query(SoqlQuery query, boolean includeDeleted) {
        lock.readLock().lock();
        try {
            return query.select(tables.get(query.type()).values(), includeDeleted);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The record with this id, deleted or not, or null. */
    public SandboxRecord get(SObjectSchema type, String id) {
        lock.readLock().lock();
        try {
            return tables.get(type).get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Non-deleted records of a type modified within [from, to]. */
    public List<SandboxRecord> updatedBetween(SObjectSchema type, Instant from, Instant to) {
        return between(type, from, to, r -> !r.isDeleted());
    }

    /** Deleted records of a type whose deletion falls within [from, to]. */
    public List<SandboxRecord> deletedBetween(SObjectSchema type, Instant from, Instant to) {
        return between(type, from, to, SandboxRecord::isDeleted);
    }

    private List<SandboxRecord> between(SObjectSchema type, Instant from, Instant to, Predicate<SandboxRecord> which) {
        lock.readLock().lock();
        try {
            List<SandboxRecord> out = new ArrayList<>();
            for (SandboxRecord r : tables.get(type).values()) {
                Instant at = r.systemModstamp();
                if (which.test(r) && !at.isBefore(from) && !at.isAfter(to)) {
                    out.add(r);
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    public SandboxRecord create(SObjectSchema type, Map<SObjectField, Object> values) {
        SandboxRecord created;
        lock.writeLock().lock();
        try {
            checkReferences(values);
            Map<SObjectField, Object> all = ActivityFields.complete(type, null, values, userId, this::find);
            long counter = counters.merge(type, 1L, Long::sum);
            created = SandboxRecord.created(type, SalesforceIds.of(type.keyPrefix(), code, counter), all, nextStamp());
            tables.get(type).put(created.id(), created);
        } finally {
            lock.writeLock().unlock();
        }
        notify(List.of(new Change("created", created)));
        return created;
    }

    /**
     * Applies changes to a live record. The precondition sees the current record inside the write lock and
     * throws to refuse (conditional request headers).
     */
    public SandboxRecord update(SObjectSchema type, String id, Map<SObjectField, Object> changes,
            Consumer<SandboxRecord> precondition) {
        SandboxRecord updated;
        lock.writeLock().lock();
        try {
            SandboxRecord current = live(type, id);
            precondition.accept(current);
            checkReferences(changes);
            updated = current.updated(ActivityFields.complete(type, current, changes, userId, this::find), nextStamp());
            tables.get(type).put(id, updated);
        } finally {
            lock.writeLock().unlock();
        }
        notify(List.of(new Change("updated", updated)));
        return updated;
    }

    /** One update of {@link #updateAll}. */
    public record Update(SObjectSchema type, String id, Map<SObjectField, Object> changes, Consumer<SandboxRecord> precondition) {
    }

    /**
     * Applies several updates together or none of them (a Composite request with {@code allOrNone}): every record,
     * precondition and reference is checked under the write lock before the first is changed. A refusal is thrown as
     * {@link Refused}, naming the update that failed.
     */
    public List<SandboxRecord> updateAll(List<Update> updates) {
        List<SandboxRecord> updated = new ArrayList<>();
        lock.writeLock().lock();
        try {
            List<SandboxRecord> currents = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                Update u = updates.get(i);
                try {
                    SandboxRecord current = live(u.type(), u.id());
                    u.precondition().accept(current);
                    checkReferences(u.changes());
                    currents.add(current);
                } catch (SalesforceApiException e) {
                    throw new Refused(i, e);
                }
            }
            for (int i = 0; i < updates.size(); i++) {
                Update u = updates.get(i);
                SandboxRecord current = tables.get(u.type()).get(u.id());
                SandboxRecord next = current.updated(ActivityFields.complete(u.type(), current, u.changes(), userId, this::find), nextStamp());
                tables.get(u.type()).put(u.id(), next);
                updated.add(next);
            }
        } finally {
            lock.writeLock().unlock();
        }
        notify(updated.stream().map(r -> new Change("updated", r)).toList());
        return updated;
    }

    /** {@link #updateAll} refused: the update at {@code index} failed with {@code error}; nothing was changed. */
    public static final class Refused extends RuntimeException {
        private final int index;
        private final SalesforceApiException error;

        Refused(int index, SalesforceApiException error) {
            super(error.getMessage());
            this.index = index;
            this.error = error;
        }

        public int index() {
            return index;
        }

        public SalesforceApiException error() {
            return error;
        }
    }

    /**
     * Moves a record to the recycle bin, as Salesforce does with what hangs off it: deleting an account takes its
     * contacts and opportunities, and deleting an account, contact or opportunity takes the tasks and events whose
     * WhoId or WhatId is one of the deleted records.
     */
    public void delete(SObjectSchema type, String id) {
        List<Change> changes = new ArrayList<>();
        lock.writeLock().lock();
        try {
            SandboxRecord current = live(type, id);
            SandboxRecord deleted = current.deleted(nextStamp());
            tables.get(type).put(id, deleted);
            changes.add(new Change("deleted", deleted));
            Set<String> gone = new HashSet<>();
            gone.add(id);
            if (type == SObjectSchema.ACCOUNT) {
                for (SObjectSchema child : List.of(SObjectSchema.CONTACT, SObjectSchema.OPPORTUNITY)) {
                    SObjectField accountId = child.require("AccountId");
                    deleteWhere(child, r -> id.equals(r.get(accountId)), gone, changes);
                }
            }
            if (!type.isActivity()) {
                for (SObjectSchema activity : SObjectSchema.ACTIVITIES) {
                    SObjectField who = activity.require("WhoId");
                    SObjectField what = activity.require("WhatId");
                    deleteWhere(activity, r -> gone.contains(r.get(who)) || gone.contains(r.get(what)), gone, changes);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        notify(changes);
    }

    /** Deletes the live records of a type that match; holds the write lock. */
    private void deleteWhere(SObjectSchema type, Predicate<SandboxRecord> which, Set<String> gone, List<Change> changes) {
        Map<String, SandboxRecord> table = tables.get(type);
        for (SandboxRecord r : new ArrayList<>(table.values())) {
            if (!r.isDeleted() && which.test(r)) {
                SandboxRecord removed = r.deleted(nextStamp());
                table.put(r.id(), removed);
                gone.add(r.id());
                changes.add(new Change("deleted", removed));
            }
        }
    }

    /** A live record, or null; holds a lock. */
    private SandboxRecord find(SObjectSchema type, String id) {
        SandboxRecord record = tables.get(type).get(id);
        return record == null || record.isDeleted() ? null : record;
    }

    private SandboxRecord live(SObjectSchema type, String id) {
        SandboxRecord current = tables.get(type).get(id);
        if (current == null) {
            throw SalesforceApiException.notFound();
        }
        if (current.isDeleted()) {
            throw new SalesforceApiException(HttpStatus.NOT_FOUND, "ENTITY_IS_DELETED", "entity is deleted");
        }
        return current;
    }

    /**
     * Each reference names a live record of an object the field may point at (for a polymorphic field such as
     * WhoId, the object the id's key prefix says); owners are the org's user.
     */
    private void checkReferences(Map<SObjectField, Object> values) {
        values.forEach((field, value) -> {
            if (field.referenceTo().isEmpty() || value == null) {
                return;
            }
            String id = (String) value;
            String target = field.referenceTo().stream()
                    .filter(t -> SObjectSchema.keyPrefixOf(t) != null && id.startsWith(SObjectSchema.keyPrefixOf(t)))
                    .findFirst().orElse(null);
            if (target == null) {
                throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "FIELD_INTEGRITY_EXCEPTION",
                        field.label() + ": id value of incorrect type: " + id, List.of(field.name()));
            }
            boolean exists = target.equals("User") ? id.equals(userId)
                    : SObjectSchema.find(target).map(t -> find(t, id) != null).orElse(false);
            if (!exists) {
                throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "INVALID_CROSS_REFERENCE_KEY",
                        "invalid cross reference id", List.of(field.name()));
            }
        });
    }

    /** Now, or 1 ms after the previous change, so {@code SystemModstamp > t} never misses a change. */
    private Instant nextStamp() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusMillis(1);
        return lastStamp;
    }

    private void notify(List<Change> changes) {
        for (Change c : changes) {
            try {
                listener.recordChanged(orgId, c.record().type().name(), c.changeType(), c.record().toMap());
            } catch (RuntimeException e) {
                LOG.warn("Salesforce sandbox change listener failed for {} {}", c.record().type(), c.record().id(), e);
            }
        }
    }
}
