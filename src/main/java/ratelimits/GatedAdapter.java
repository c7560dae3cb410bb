package ratelimits;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import providers.AdapterHealth;
import providers.BatchWriteBack;
import providers.ConnectionContext;
import providers.ConnectionTestResult;
import providers.DeletedRecords;
import providers.EntityInfo;
import providers.FetchPage;
import providers.FetchRequest;
import providers.FieldInfo;
import providers.IntegrationAdapter;
import providers.ProviderDescriptor;
import providers.RateLimitedProviderException;
import providers.WebhookSubscription;

/**
 * An adapter whose provider calls all pass through the {@link ProviderGate}: each is checked against
 * the limits before it is made and reported after, so no flow can call a provider around them.
 */
public final class GatedAdapter implements IntegrationAdapter {

    private final IntegrationAdapter adapter;
    private final ProviderGate gate;
    private final Limit providerDefault;

    public GatedAdapter(IntegrationAdapter adapter, ProviderGate gate) {
        this.adapter = adapter;
        this.gate = gate;
        this.providerDefault = Limit.providerDefault(adapter.descriptor());
    }

    private <T> T call(ConnectionContext connection, Operation operation, Supplier<T> call) {
        return call(connection, operation, 1, call);
    }

    /** A call that makes {@code requests} provider requests: each takes its tokens, all before the first is made. */
    private <T> T call(ConnectionContext connection, Operation operation, int requests, Supplier<T> call) {
        gate.acquire(connection, operation, providerDefault, requests);
        long start = System.nanoTime();
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            throw gate.completed(connection, System.nanoTime() - start, e);
        } catch (Error e) {
            gate.completed(connection, System.nanoTime() - start, new IllegalStateException(e));
            throw e;
        }
        gate.completed(connection, System.nanoTime() - start, null);
        return result;
    }

    private void run(ConnectionContext connection, Operation operation, Runnable call) {
        call(connection, operation, () -> {
            call.run();
            return null;
        });
    }

    @Override
    public ProviderDescriptor descriptor() {
        return adapter.descriptor();
    }

    @Override
    public boolean supports(String providerId) {
        return adapter.supports(providerId);
    }

    @Override
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        return adapter.normalizeCredentials(credentials);
    }

    @Override
    public void checkSources(ConnectionContext connection) {
        run(connection, Operation.FETCH, () -> adapter.checkSources(connection));
    }

    @Override
    public void connect(ConnectionContext connection) {
        adapter.connect(connection);
    }

    @Override
    public void disconnect(ConnectionContext connection) {
        adapter.disconnect(connection);
    }

    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        return call(connection, Operation.FETCH, () -> adapter.testConnection(connection));
    }

    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        return call(connection, Operation.FETCH, Math.max(1, adapter.requestsPerPage(request.entity())),
                () -> adapter.fetchRecords(connection, request));
    }

    @Override
    public int requestsPerPage(String entity) {
        return adapter.requestsPerPage(entity);
    }

    @Override
    public String resumeGranule(String version) {
        return adapter.resumeGranule(version);
    }

    @Override
    public boolean recordsInMarkerOrder() {
        return adapter.recordsInMarkerOrder();
    }

    @Override
    public boolean deletionsInPages() {
        return adapter.deletionsInPages();
    }

    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        return call(connection, Operation.FETCH, () -> adapter.fetchDeleted(connection, entity, from, to));
    }

    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        return call(connection, Operation.CREATE, () -> adapter.createRecord(connection, entity, fields));
    }

    @Override
    public void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields, String expectedVersion) {
        run(connection, Operation.UPDATE, () -> adapter.updateRecord(connection, entity, externalId, fields, expectedVersion));
    }

    /** Each batch call is one provider request: it passes the gate as one, whatever the number of records it carries. */
    @Override
    public Optional<BatchWriteBack> batchWriteBack() {
        return adapter.batchWriteBack().map(batch -> new BatchWriteBack() {
            @Override
            public int maxReads() {
                return batch.maxReads();
            }

            @Override
            public int maxWrites() {
                return batch.maxWrites();
            }

            @Override
            public Map<String, Map<String, Object>> fetchRecords(ConnectionContext connection, String entity, List<String> externalIds,
                                                                 Set<String> fields) {
                return call(connection, Operation.FETCH, () -> batch.fetchRecords(connection, entity, externalIds, fields));
            }

            /**
             * A row the provider refused for volume inside the batch's answer (a 429 subresponse, Salesforce's
             * REQUEST_LIMIT_EXCEEDED) pauses the connection as the same refusal of a single call does: the batch's own
             * answer was a success, so the gate would not hear of it otherwise. The row keeps its retryable failure.
             */
            @Override
            public List<Outcome> updateRecords(ConnectionContext connection, String entity, List<Write> writes) {
                List<Outcome> outcomes = call(connection, Operation.UPDATE, () -> batch.updateRecords(connection, entity, writes));
                outcomes.stream().map(Outcome::failure).filter(RateLimitedProviderException.class::isInstance).findFirst()
                        .ifPresent(refused -> gate.pausedForVolume(connection, refused));
                return outcomes;
            }
        });
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        return call(connection, Operation.FETCH, () -> adapter.fetchRecord(connection, entity, externalId, fields));
    }

    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        run(connection, Operation.DELETE, () -> adapter.deleteRecord(connection, entity, externalId));
    }

    @Override
    public WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        return call(connection, Operation.CREATE, () -> adapter.registerWebhook(connection, events, callbackUrl, secret));
    }

    @Override
    public WebhookSubscription renewWebhook(ConnectionContext connection, String providerWebhookId, List<String> events, String callbackUrl,
                                           String secret) {
        return call(connection, Operation.UPDATE, () -> adapter.renewWebhook(connection, providerWebhookId, events, callbackUrl, secret));
    }

    @Override
    public void unregisterWebhook(ConnectionContext connection, String providerWebhookId) {
        run(connection, Operation.DELETE, () -> adapter.unregisterWebhook(connection, providerWebhookId));
    }

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        return call(connection, Operation.FETCH, () -> adapter.discoverEntities(connection));
    }

    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        return call(connection, Operation.FETCH, () -> adapter.discoverFields(connection, entity));
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return adapter.health(connection);
    }
}
