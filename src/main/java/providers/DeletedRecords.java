package providers;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Records the provider reports deleted in a window, and how far its report actually covers
 * (providers may cover less than asked): the next window starts from there. A provider that lists no deletions can
 * instead list what exists ({@link Listing}): the hub then marks deleted every record it holds under the listing's
 * prefix that the listing does not name.
 */
public record DeletedRecords(List<DeletedRecord> records, Instant coveredUntil, List<Listing> listings) {

    public DeletedRecords(List<DeletedRecord> records, Instant coveredUntil) {
        this(records, coveredUntil, List.of());
    }

    /**
     * Every record id the provider holds under {@code idPrefix} (one repository's issues, say), listed from
     * {@code startedAt} on. The hub compares it with the records it holds under that prefix, except those it linked or
     * wrote after {@code startedAt}: a record created meanwhile by write-back may be missing from the listing without being
     * deleted.
     */
    public record Listing(String idPrefix, Set<String> present, Instant startedAt) {
    }
}
