package providers;

import java.util.Map;

/**
 * An adapter whose provider records the hub only reads (calls, messages): every write is refused for good, with the
 * provider's reason, so a write-back never retries it.
 */
public interface ReadOnlyRecords extends IntegrationAdapter {

    /** Why the provider's records are not written: the message of every refused write. */
    String readOnlyReason();

    @Override
    default String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        throw new PermanentProviderException(readOnlyReason());
    }

    @Override
    default void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields,
                              String expectedVersion) {
        throw new PermanentProviderException(readOnlyReason());
    }

    @Override
    default void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        throw new PermanentProviderException(readOnlyReason());
    }
}
