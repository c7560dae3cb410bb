package sandbox.salesforce;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One org's open query cursors. A cursor holds the matching records as they were when the query ran
 * (records are immutable, so later changes don't show through). Cursors close when read to the end, after
 * {@link #IDLE_TIMEOUT} without use, or, beyond {@link #MAX_OPEN}, oldest-used first as Salesforce does.
 */
final class QueryLocators {

    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(15);
    static final int MAX_OPEN = 50;

    /** An open cursor; offsets in locators index into records. */
    record Cursor(String id, List<SandboxRecord> records, List<SObjectField> fields, int batchSize) {
    }

    private record Entry(Cursor cursor, long lastUsed) {
    }

    private final String orgCode;
    private final Clock clock;
    private final Map<String, Entry> open = new LinkedHashMap<>(16, 0.75f, true);
    private long counter;

    QueryLocators(String orgCode, Clock clock) {
        this.orgCode = orgCode;
        this.clock = clock;
    }

    synchronized Cursor open(List<SandboxRecord> records, List<SObjectField> fields, int batchSize) {
        evictIdle();
        String id = SalesforceIds.of("01g", orgCode, ++counter);
        Cursor cursor = new Cursor(id, records, fields, batchSize);
        open.put(id, new Entry(cursor, clock.millis()));
        if (open.size() > MAX_OPEN) {
            Iterator<String> eldest = open.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return cursor;
    }

    /** The open cursor with this id, or null; touching it keeps it alive. */
    synchronized Cursor find(String id) {
        evictIdle();
        Entry entry = open.get(id);
        if (entry == null) {
            return null;
        }
        open.put(id, new Entry(entry.cursor(), clock.millis()));
        return entry.cursor();
    }

    synchronized void close(String id) {
        open.remove(id);
    }

    synchronized int size() {
        evictIdle();
        return open.size();
    }

    private void evictIdle() {
        long oldest = clock.millis() - IDLE_TIMEOUT.toMillis();
        open.values().removeIf(e -> e.lastUsed() < oldest);
    }
}
