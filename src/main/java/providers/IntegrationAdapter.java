package providers;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the hub asks of every provider. One implementation per provider, found through
 * {@link AdapterRegistry}; adapters know their provider's API, never the store or the REST API.
 * Failures are {@link ProviderException}s classified as transient, rate-limited, auth or permanent.
 */
public interface IntegrationAdapter {

    ProviderDescriptor descriptor();

    default boolean supports(String providerId) {
        return descriptor().id().equals(providerId);
    }

    /**
     * Checks provider-specific formats of credentials that have every required field, and fills
     * defaults; throws {@link security.InvalidCredentialsException} naming the field at fault.
     */
    default Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        return credentials;
    }

    /**
     * Checks the sources an integration selects ({@link ConnectionContext#sources()}: channels, repositories, databases,
     * folders) against the provider, when its settings are saved while connected; throws
     * {@link hub.InvalidInputException} on {@code sources.<entity>} naming each one the provider does not know.
     */
    default void checkSources(ConnectionContext connection) {
    }

    /** Opens (or reuses) the provider session for this connection; fails with the provider's reason. */
    void connect(ConnectionContext connection);

    /** Closes the provider session and forgets anything cached for the connection. */
    void disconnect(ConnectionContext connection);

    ConnectionTestResult testConnection(ConnectionContext connection);

    /**
     * One page of records. Unless {@link #recordsInMarkerOrder()} says otherwise, records come in ascending order of
     * their change marker (the mapping's {@code externalVersion}), so the last record of a page is a safe resume point.
     *
     * @throws ChangeMarkerRefusedException when the provider no longer serves changes since {@code request.since()}
     */
    FetchPage fetchRecords(ConnectionContext connection, FetchRequest request);

    /**
     * Provider requests one {@link #fetchRecords} of the entity makes; the rate limits take as many tokens for it.
     * One, unless the adapter reads more per page (HubSpot reads a page's associations in a second request).
     */
    default int requestsPerPage(String entity) {
        return 1;
    }

    /**
     * Whether records come in ascending order of their change marker. When they do not (Dataverse change tracking:
     * the marker is the row's etag), no record is a resume point: a pass that stops early (throttled, a crash,
     * {@code maxRecordsPerSync}, which then ends a run after a whole page) goes on at the page after the last one
     * committed, through the page cursor ({@link FetchPage#nextPageCursor()}) the hub keeps in its checkpoint; when the
     * provider no longer serves that page (a permanent refusal), the pass replays from the marker it started from,
     * finding the records already written unchanged. The next pass starts from the last page's
     * {@link FetchPage#resumeMarker()}.
     */
    default boolean recordsInMarkerOrder() {
        return true;
    }

    /**
     * Whether deletions come with the pages ({@link FetchPage#deleted()}, as Dataverse's {@code $deletedEntity} rows)
     * rather than from {@link #fetchDeleted}, which is then not called.
     */
    default boolean deletionsInPages() {
        return false;
    }

    /**
     * The part of a change marker the provider compares on. A pass resumed from a marker re-reads
     * every record whose marker shares this part (Salesforce compares datetimes to the second).
     */
    default String resumeGranule(String version) {
        return version;
    }

    /** Ids of records deleted at the provider between {@code from} and {@code to}. */
    DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to);

    /** Creates a record and returns its provider id. */
    String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields);

    /** Batched write-back, when the provider reads and writes many records per call; none by default (one record per call). */
    default java.util.Optional<BatchWriteBack> batchWriteBack() {
        return java.util.Optional.empty();
    }

    /**
     * Updates the given fields of a record. With an {@code expectedVersion} (the record's change
     * marker as the hub last read it, the mapping's {@code externalVersion}) the write is conditional
     * where the provider offers it (Salesforce {@code If-Unmodified-Since}, Dynamics and Graph
     * {@code If-Match}); null writes unconditionally.
     *
     * @throws ConflictProviderException when the provider says the record changed since that version
     */
    void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields, String expectedVersion);

    /**
     * One record as the provider holds it now, with at least the given fields; empty when it does
     * not exist or is deleted.
     */
    Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields);

    void deleteRecord(ConnectionContext connection, String entity, String externalId);

    /**
     * Registers a webhook with the provider where its API allows it: deliveries of these hub event
     * patterns to the callback URL, signed with the secret when the provider takes one.
     */
    default WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        throw new PermanentProviderException(descriptor().name() + " webhooks cannot be registered through its API");
    }

    /**
     * Extends a subscription the provider lets expire (Microsoft Graph subscriptions, Google Drive
     * channels) before it does, or re-creates it when the provider has dropped it; returns it with
     * its new id and expiry. The callback URL is null when the hub's public URL is not configured
     * ({@code hub.public-url}) and the renewal runs on schedule, outside any request.
     */
    default WebhookSubscription renewWebhook(ConnectionContext connection, String providerWebhookId, List<String> events,
                                             String callbackUrl, String secret) {
        throw new PermanentProviderException(descriptor().name() + " webhooks cannot be renewed through its API");
    }

    /**
     * Stops what {@link #registerWebhook} started at the provider (its registration was deleted in the hub), where the
     * provider's API allows it; the default leaves it to expire or to fail against the hub's 404.
     */
    default void unregisterWebhook(ConnectionContext connection, String providerWebhookId) {
    }

    List<EntityInfo> discoverEntities(ConnectionContext connection);

    List<FieldInfo> discoverFields(ConnectionContext connection, String entity);

    AdapterHealth health(ConnectionContext connection);
}
