package hub;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import adapters.AdapterHealth;
import adapters.ConnectionContext;
import adapters.ConnectionTestResult;
import adapters.DeletedRecords;
import adapters.EntityInfo;
import adapters.FetchPage;
import adapters.FetchRequest;
import adapters.FieldInfo;
import adapters.IntegrationAdapter;
import adapters.PermanentProviderException;
import adapters.ProviderDescriptor;
import adapters.ProviderDescriptor.CredentialField;
import adapters.TransientProviderException;
import adapters.WebhookSubscription;

/**
 * A provider whose webhook subscriptions expire, as Microsoft Graph's do: registering one gives it
 * an id and a lifetime ({@code ttlMinutes} credential); renewing gives it a new lifetime, or fails
 * with the provider unavailable when the {@code renewal} credential says "fail". It keeps what the
 * hub asked of it, so tests can check the calls. Records are not its business.
 */
public class SubscriptionTestAdapter implements IntegrationAdapter {

    public static final String PROVIDER_ID = "test-subscriptions";

    /** What the provider holds for one subscription. */
    public record Held(String id, String callbackUrl, String secret, Instant expiresAt, int renewals) {
    }

    private static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor(PROVIDER_ID, "Test Subscriptions", "test", "active",
            "tenant", List.of("api_key"), List.of(),
            List.of(new CredentialField("ttlMinutes", true, false, "lifetime of a subscription"),
                    new CredentialField("renewal", false, false, "'fail' makes renewals fail")),
            100);

    private final Map<String, Held> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

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
            throw new PermanentProviderException("no subscription " + providerWebhookId);
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
        throw new PermanentProviderException("no records");
    }

    @Override
    public DeletedRecords fetchDeleted(ConnectionContext connection, String entity, Instant from, Instant to) {
        throw new PermanentProviderException("no records");
    }

    @Override
    public String createRecord(ConnectionContext connection, String entity, Map<String, Object> fields) {
        throw new PermanentProviderException("no records");
    }

    @Override
    public void updateRecord(ConnectionContext connection, String entity, String externalId, Map<String, Object> fields,
                             String expectedVersion) {
        throw new PermanentProviderException("no records");
    }

    @Override
    public Optional<Map<String, Object>> fetchRecord(ConnectionContext connection, String entity, String externalId, Set<String> fields) {
        return Optional.empty();
    }

    @Override
    public void deleteRecord(ConnectionContext connection, String entity, String externalId) {
        throw new PermanentProviderException("no records");
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
