package providers;

import java.time.Instant;
import java.util.List;

/**
 * Records the provider reports deleted in a window, and how far its report actually covers
 * (providers may cover less than asked): the next window starts from there.
 */
public record DeletedRecords(List<DeletedRecord> records, Instant coveredUntil) {
}
