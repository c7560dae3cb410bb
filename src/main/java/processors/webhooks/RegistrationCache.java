package processors.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import security.CredentialVault;
import store.AuditLog;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/**
 * Registrations and their secrets as the receiver needs them on every delivery, read from the
 * store and the vault at most once per {@code hub.webhooks.cache-ttl} (each read audited).
 */
@Component
public class RegistrationCache {

    /** A registration with its secret opened (null when it has none yet). */
    public record Entry(WebhookRegistration registration, byte[] secret, Instant loadedAt) {
    }

    static final String SECRET_FIELD = "secret";
    private static final int MAX_ENTRIES = 100_000;

    private final WebhookRegistrationStore registrations;
    private final CredentialVault vault;
    private final AuditLog audit;
    private final WebhookSettings settings;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public RegistrationCache(WebhookRegistrationStore registrations, CredentialVault vault, AuditLog audit, WebhookSettings settings) {
        this.registrations = registrations;
        this.vault = vault;
        this.audit = audit;
        this.settings = settings;
    }

    public Optional<Entry> get(String registrationId) {
        Entry cached = entries.get(registrationId);
        if (cached != null && cached.loadedAt().plus(settings.cacheTtl()).isAfter(Instant.now())) {
            return Optional.ofNullable(cached.registration() == null ? null : cached);
        }
        Optional<Entry> loaded = registrations.findById(registrationId).map(this::load);
        // unknown ids are remembered too, so posts to made-up URLs do not each cost a database read
        entries.put(registrationId, loaded.orElse(new Entry(null, null, Instant.now())));
        if (entries.size() > MAX_ENTRIES) {
            entries.clear();
        }
        return loaded;
    }

    public void invalidate(String registrationId) {
        entries.remove(registrationId);
    }

    private Entry load(WebhookRegistration registration) {
        byte[] secret = null;
        if (registration.secretName() != null) {
            secret = vault.get(registration.secretName())
                    .map(values -> values.get(SECRET_FIELD))
                    .map(value -> value.getBytes(StandardCharsets.UTF_8))
                    .orElse(null);
            audit.record(registration.tenantId(), "webhook-receiver", "secret.read", "secret", registration.secretName(),
                    "verify deliveries of registration " + registration.id());
        }
        return new Entry(registration, secret, Instant.now());
    }
}
