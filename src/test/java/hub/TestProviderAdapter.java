package hub;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import providers.AdapterHealth;
import providers.ConflictProviderException;
import providers.ConnectionContext;
import providers.ConnectionTestResult;
import providers.DeletedRecords;
import providers.EntityInfo;
import providers.FetchPage;
import providers.FetchRequest;
import providers.FieldInfo;
import providers.IntegrationAdapter;
import providers.PermanentProviderException;
import providers.ProviderDescriptor.CredentialField;
import providers.ProviderDescriptor;
import providers.TransientProviderException;
import providers.WebhookSubscription;

/**
 * A small in-memory provider for what the Salesforce sandbox cannot stage on demand. Its webhook
 * subscriptions expire, as Microsoft Graph's do: registering one gives it an id and a lifetime
 * ({@code ttlMinutes} credential); renewing gives it a new lifetime, or fails with the provider
 * unavailable when the {@code renewal} credential says "fail". It holds "Item" records (Id, Name,
 * Phone, Modstamp) with optimistic concurrency on Modstamp, and can let another writer change a
 * record just before the hub's next conditional write ({@link #raceNextUpdate}), which the hub then
 * sees as a 412. It keeps what the hub asked of it, so tests can check the calls.
 */
public class TestProviderAdapter implements IntegrationAdapter {

    public static final String PROVIDER_ID = "test-provider";

    /** What the provider holds for one subscription. */
    public record Held(String id, String callbackUrl, String secret, Instant expiresAt, int renewals) {
    }

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(PROVIDER_ID, "Test Provider", "test", "active",
            "tenant", java.util.stream.Stream.concat(java.util.stream.Stream.of("test_settings"),
                    security.CredentialTypes.names().stream()).toList(), List.of("Item"),
            List.of(new CredentialField("ttlMinutes", true, false, "lifetime of a subscription"),
                    new CredentialField("renewal", false, false, "'fail' makes renewals fail")),
            100_000);

    private final Map<String, Held> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Item records by tenant, then id. */
    private final Map<String, Map<String, Map<String, Object>>> items = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> races = new ConcurrentHashMap<>();
    private final AtomicInteger modstamps = new AtomicInteger();
    private final AtomicInteger updateCalls = new AtomicInteger();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetchFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusedFetches = new ConcurrentHashMap<>();
    private final Map<String, java.time.Duration> fetchDelays = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusedReads = new ConcurrentHashMap<>();

    /** Adds an Item for the tenant; returns its id. */
    public String seedItem(String tenantId, String name, String phone) {
        String id = "item-" + ids.incrementAndGet();
        Map<String, Object> record = new ConcurrentHashMap<>(Map.of("Id", id, "Name", name, "Phone", phone));
        record.put("Modstamp", nextModstamp());
        items.computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>()).put(id, record);
        return id;
    }

    /** A record without an id, as a provider's broken record would come: the hub cannot map it. */
    public void seedItemWithoutId(String tenantId, String name) {
        Map<String, Object> record = new ConcurrentHashMap<>(Map.of("Name", name, "Phone", "+1 000"));
        record.put("Modstamp", nextModstamp());
        items.computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>()).put("no-id-" + ids.incrementAndGet(), record);
    }

    public Map<String, Object> item(String tenantId, String id) {
        return Map.copyOf(items.get(tenantId).get(id));
    }

    /** Before the next conditional update of the record, another writer sets these fields (a new Modstamp). */
    public void raceNextUpdate(String id, Map<String, Object> change) {
        races.put(id, change);
    }

    /** The record's next {@code times} updates fail as a provider outage would (503). */
    public void failUpdates(String id, int times) {
        failures.put(id, new AtomicInteger(times));
    }

    /** The tenant's next {@code times} fetches fail as a provider outage would (503). */
    public void failFetches(String tenantId, int times) {
        fetchFailures.put(tenantId, new AtomicInteger(times));
    }

    /** The tenant's next {@code times} fetches are refused for good (400: a query the provider will never accept). */
    public void refuseFetches(String tenantId, int times) {
        refusedFetches.put(tenantId, new AtomicInteger(times));
    }

    /** Each fetch of the tenant's records takes this long (a slow provider). */
    public void slowFetches(String tenantId, java.time.Duration delay) {
        fetchDelays.put(tenantId, delay);
    }

    /** The tenant's next read of one record is refused for volume (429), as a provider's rate limit would. */
    public void refuseNextRecordRead(String tenantId) {
        refusedReads.put(tenantId, new AtomicInteger(1));
    }

    public int itemCount(String tenantId) {
        return items.getOrDefault(tenantId, Map.of()).size();
    }

    public int updateCalls() {
        return updateCalls.get();
    }

    private String nextModstamp() {
        int n = modstamps.incrementAndGet();
        return String.format("2026-01-01T00:%02d:%02d.%03dZ", n / 60_000 % 60, n / 1000 % 60, n % 1000);
    }

    public Map<String, Held> subscriptions() {
        return subscriptions;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public WebhookSubscription registerWebhook(ConnectionContext connection, List<String> events, String callbackUrl, String secret) {
        Held held = new Held("sub-" + ids.incrementAndGet(), callbackUrl, secret, expiry(connection), 0);
        subscriptions.put(held.id(), held);
        return new WebhookSubscription(held.id(), held.expiresAt());
    }

    @Override
    public WebhookSubscription renewWebhook(ConnectionContext connection, String providerWebhookId, List<String> events,
                                            String callbackUrl, String secret) {
        if ("fail".equals(connection.credential("renewal"))) {
            throw new TransientProviderException("subscription service unavailable (503)", 503, null);
        }
        Held held = subscriptions.get(providerWebhookId);
        if (held == null) {
            if (callbackUrl == null) {
                throw new PermanentProviderException("no subscription " + providerWebhookId);
            }
            // the provider dropped it: a new one, and what changed in between was never notified
            Held created = new Held("sub-" + ids.incrementAndGet(), callbackUrl, secret, expiry(connection), 0);
            subscriptions.put(created.id(), created);
            return new WebhookSubscription(created.id(), created.expiresAt(), true);
        }
        Held renewed = new Held(held.id(), held.callbackUrl(), secret, expiry(connection), held.renewals() + 1);
        subscriptions.put(renewed.id(), renewed);
        return new WebhookSubscription(renewed.id(), renewed.expiresAt());
    }

    private static Instant expiry(ConnectionContext connection) {
        return Instant.now().plus(Duration.ofMinutes(Long.parseLong(connection.credential("ttlMinutes"))));
    }

    @Override
    public void connect(ConnectionContext connection) {
    }

    @Override
    public void disconnect(ConnectionContext connection) {
    }

    @Override
    public ConnectionTestResult testConnection(ConnectionContext connection) {
        return ConnectionTestResult.success("test account");
    }

    @Override
    public FetchPage fetchRecords(ConnectionContext connection, FetchRequest request) {
        AtomicInteger refused = refusedFetches.get(connection.tenantId());
        if (refused != null && refused.getAndDecrement() > 0) {
            throw new PermanentProviderException("Test provider refused the query (HTTP 400)", 400, null);
        }
        AtomicInteger failing = fetchFailures.get(connection.tenantId());
        if (failing != null && failing.getAndDecrement() > 0) {
            throw new providers.TransientProviderException("Test provider unavailable (HTTP 503)", 503, null);
        }
        java.time.Duration delay = fetchDelays.get(connection.tenantId());
        if (delay != null) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Map<String, Object>> page = items.getOrDefault(connection.tenantId(), Map.of()).values().stream()
                .filter(r -> request.since() == null || r.get("Modstamp").toString().compareTo(request.since()) >= 0)
                .sorted(java.util.Comparator.comparing(r -> r.get("Modstamp").toString()))
                .map(r -> (Map<String, Object>) new java.util.HashMap<>(r)).toList();
        return new FetchPage(page, null, page.size());
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        AtomicInteger refused = refusedReads.get(connection.tenantId());
        if (refused != null && refused.getAndDecrement() > 0) {
            throw new providers.RateLimitedProviderException("Test provider: too many requests (HTTP 429)", 429, java.time.Duration.ofMillis(300));
        }
        return Optional.ofNullable(items.getOrDefault(connection.tenantId(), Map.of()).get(externalId)).map(java.util.HashMap::new);
    }

    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        return new DeletedRecords(List.of(), to);
    }

    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        return seedItem(connection.tenantId(), String.valueOf(fields.get("Name")), String.valueOf(fields.get("Phone")));
    }

    @Override
    public synchronized void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields,
                                          String expectedVersion) {
        updateCalls.incrementAndGet();
        Map<String, Object> record = items.getOrDefault(connection.tenantId(), Map.of()).get(externalId);
        if (record == null) {
            throw new PermanentProviderException("no item " + externalId, 404, null);
        }
        AtomicInteger failing = failures.get(externalId);
        if (failing != null && failing.getAndDecrement() > 0) {
            throw new TransientProviderException("item service unavailable (503)", 503, null);
        }
        Map<String, Object> race = races.remove(externalId);
        if (race != null) {
            record.putAll(race);
            record.put("Modstamp", nextModstamp());
        }
        if (expectedVersion != null && !expectedVersion.equals(record.get("Modstamp"))) {
            throw new ConflictProviderException("item " + externalId + " changed since " + expectedVersion, 412, null);
        }
        record.putAll(fields);
        record.put("Modstamp", nextModstamp());
    }

    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        items.getOrDefault(connection.tenantId(), Map.of()).remove(externalId);
    }

    @Override
    public List<EntityInfo> discoverEntities(ConnectionContext connection) {
        return List.of();
    }

    @Override
    public List<FieldInfo> discoverFields(ConnectionContext connection, String entity) {
        return List.of();
    }

    @Override
    public AdapterHealth health(ConnectionContext connection) {
        return new AdapterHealth("healthy", null, null, null);
    }
}
