package providers.onedrive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import providers.DeletedRecords;

/**
 * What full enumerations of drives found, for reconciliation: an enumeration (a full pass, or the resync a {@code 410 Gone}
 * starts) lists every file that exists but not the ones deleted meanwhile, so once one has run to its delta link its files
 * become a {@link DeletedRecords.Listing} of the drive, and the hub marks deleted what it holds of the drive that the
 * listing does not name. Kept in memory until the pass's deletion step takes them: an enumeration this instance did not
 * see from its first page (a restart in between) lists nothing.
 */
final class OneDriveListings {

    private record Enumeration(String integrationId, String driveId, Instant startedAt, Set<String> present) {
    }

    private final Map<String, Enumeration> running = new ConcurrentHashMap<>();
    /** Per integration, per drive: the last enumeration run to its end. */
    private final Map<String, Map<String, Enumeration>> complete = new ConcurrentHashMap<>();

    /** An enumeration of a drive starts now; returns its id for the page cursor. */
    String start(String integrationId, String driveId) {
        String id = UUID.randomUUID().toString();
        // an earlier enumeration of the drive that never reached its end (a pass given up) lists nothing
        running.values().removeIf(e -> e.integrationId().equals(integrationId) && e.driveId().equals(driveId));
        running.put(id, new Enumeration(integrationId, driveId, Instant.now(), ConcurrentHashMap.newKeySet()));
        return id;
    }

    /** Files a page of the enumeration named; false when this instance does not know the enumeration. */
    boolean seen(String id, Set<String> externalIds) {
        Enumeration enumeration = running.get(id);
        if (enumeration == null) {
            return false;
        }
        enumeration.present().addAll(externalIds);
        return true;
    }

    /** The enumeration reached its delta link: its listing replaces the drive's previous one. */
    void complete(String id) {
        Enumeration enumeration = running.remove(id);
        if (enumeration != null) {
            complete.computeIfAbsent(enumeration.integrationId(), k -> new ConcurrentHashMap<>()).put(enumeration.driveId(), enumeration);
        }
    }

    /** The listings of the integration's completed enumerations, each under its drive's prefix; taken once. */
    List<DeletedRecords.Listing> take(String integrationId) {
        Map<String, Enumeration> done = complete.remove(integrationId);
        List<DeletedRecords.Listing> listings = new ArrayList<>();
        if (done != null) {
            done.values().forEach(e -> listings.add(new DeletedRecords.Listing(OneDriveAdapter.prefix(e.driveId()),
                    new HashSet<>(e.present()), e.startedAt())));
        }
        return listings;
    }

    void forget(String integrationId) {
        complete.remove(integrationId);
        running.values().removeIf(e -> e.integrationId().equals(integrationId));
    }
}
