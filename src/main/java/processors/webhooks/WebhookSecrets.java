package processors.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.stereotype.Component;

import security.CredentialVault;
import security.SecretNames;
import store.AuditLog;
import store.IntegrationStore;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/** Webhook secrets: generated where the hub may choose them, sealed in the vault, never stored elsewhere. */
@Component
public class WebhookSecrets {

    private final CredentialVault vault;
    private final WebhookRegistrationStore registrations;
    private final IntegrationStore integrations;
    private final RegistrationCache cache;
    private final AuditLog audit;

    public WebhookSecrets(CredentialVault vault, WebhookRegistrationStore registrations, IntegrationStore integrations,
                          RegistrationCache cache, AuditLog audit) {
        this.vault = vault;
        this.registrations = registrations;
        this.integrations = integrations;
        this.cache = cache;
        this.audit = audit;
    }

    /** Seals the secret under the registration's name and points the registration at it. */
    public void store(WebhookRegistration registration, byte[] secret) {
        String provider = integrations.findById(registration.integrationId()).map(i -> i.providerId()).orElse("unknown");
        String name = SecretNames.tenant(registration.tenantId(), provider, registration.id(), "webhook");
        vault.put(name, registration.tenantId(), Map.of(RegistrationCache.SECRET_FIELD, new String(secret, StandardCharsets.UTF_8)));
        registrations.secretName(registration.id(), name);
        cache.invalidate(registration.id());
        audit.record(registration.tenantId(), "webhooks", "secret.write", "secret", name, "registration " + registration.id());
    }

    public void delete(WebhookRegistration registration) {
        if (registration.secretName() != null) {
            vault.delete(registration.secretName());
            audit.record(registration.tenantId(), "webhooks", "secret.delete", "secret", registration.secretName(), null);
        }
        cache.invalidate(registration.id());
    }
}
