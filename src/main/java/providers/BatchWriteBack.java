package providers;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an adapter offers when its provider reads and writes many records per call (Salesforce's Composite API):
 * write-back reads a batch's records in one call, writes the changed ones in calls of {@link #maxWrites()}, each
 * write conditional on the version it read (a record changed since is refused alone, the others are written), and
 * re-reads them in one call. Reached through {@link IntegrationAdapter#batchWriteBack()}, so the rate limits see
 * every call.
 */
public interface BatchWriteBack {

    /** Records one {@link #fetchRecords} call reads at most. */
    int maxReads();

    /** Writes one {@link #updateRecords} call carries at most. */
    int maxWrites();

    /**
     * The records as the provider holds them now, by external id, with these fields, in one call; a record gone (or
     * not readable) is missing from the map.
     */
    Map<String, Map<String, Object>> fetchRecords(ConnectionContext connection, String entity, List<String> externalIds, Set<String> fields);

    /**
     * Writes the records in one call, each only if the provider's version is still {@link Write#expectedVersion()}
     * (none: unconditionally); one outcome per write, in order. A failure of the call itself is thrown.
     */
    List<Outcome> updateRecords(ConnectionContext connection, String entity, List<Write> writes);

    /** One record's write: its fields in the provider's names, and the version it was read at. */
    record Write(String externalId, Map<String, Object> fields, String expectedVersion) {
    }

    /** One record's outcome: written, or refused with the failure a single write would have thrown (412: {@code CONFLICT}). */
    record Outcome(String externalId, ProviderException failure) {

        public boolean written() {
            return failure == null;
        }
    }
}
