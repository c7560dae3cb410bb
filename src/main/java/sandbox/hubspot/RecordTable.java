package sandbox.hubspot;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One portal's records of one type: the seeded records, shared read-only by every portal seeded alike, and the
 * portal's own changes over them (edited or archived seeded records, and new ones). Seeded ids are the lowest, so
 * records come in id order by walking the seed and then the new records. Not thread-safe: the portal's lock guards it.
 */
final class RecordTable {

    private final HubSpotRecord[] seeded;
    private final long lastSeededId;
    private final TreeMap<Long, HubSpotRecord> changed = new TreeMap<>();
    private long nextId;
    private int live;

    /** {@code seeded} must be sorted by id and not archived. */
    RecordTable(HubSpotObjectType type, HubSpotRecord[] seeded) {
        this.seeded = seeded;
        this.lastSeededId = seeded.length == 0 ? type.firstId() - 1 : seeded[seeded.length - 1].id();
        this.nextId = lastSeededId + 1;
        this.live = seeded.length;
    }

    /** The record with this id, archived or not, or null. */
    HubSpotRecord get(long id) {
        HubSpotRecord own = changed.get(id);
        if (own != null || id > lastSeededId) {
            return own;
        }
        int at = indexOf(id);
        return at < 0 ? null : seeded[at];
    }

    /** Stores a new or changed record. */
    void put(HubSpotRecord record) {
        HubSpotRecord before = get(record.id());
        boolean wasLive = before != null && !before.isArchived();
        if (wasLive != !record.isArchived()) {
            live += record.isArchived() ? -1 : 1;
        }
        changed.put(record.id(), record);
    }

    /** An id for a new record: after every id given so far. */
    long newId() {
        return nextId++;
    }

    /** Records not archived. */
    int liveCount() {
        return live;
    }

    /** Visits records with id at least {@code fromId}, in id order, while the visitor answers true. */
    void forEachFrom(long fromId, Predicate<HubSpotRecord> visitor) {
        if (fromId <= lastSeededId) {
            int start = indexOf(fromId);
            if (start < 0) {
                start = -start - 1;
            }
            for (int i = start; i < seeded.length; i++) {
                HubSpotRecord own = changed.get(seeded[i].id());
                if (!visitor.test(own != null ? own : seeded[i])) {
                    return;
                }
            }
        }
        for (Map.Entry<Long, HubSpotRecord> e : changed.tailMap(Math.max(fromId, lastSeededId + 1), true).entrySet()) {
            if (!visitor.test(e.getValue())) {
                return;
            }
        }
    }

    private int indexOf(long id) {
        int low = 0;
        int high = seeded.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long at = seeded[mid].id();
            if (at < id) {
                low = mid + 1;
            } else if (at > id) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    @Override
    public String toString() {
        return "RecordTable[seeded=" + seeded.length + ", changed=" + changed.size() + ", live=" + live + "]"
                + (seeded.length > 0 ? Arrays.asList(seeded[0].id(), lastSeededId) : "");
    }
}
