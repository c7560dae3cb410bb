package processors.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import connections.Connections;
import providers.AdapterRegistry;
import providers.ConnectionContext;
import providers.IntegrationAdapter;
import providers.ProviderException;
import providers.WebhookSubscription;
import store.Integration;
import store.IntegrationStore;
import store.Timestamps;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/**
 * Keeps provider subscriptions that expire alive: each one expiring within {@code hub.webhooks.renew-before}
 * is renewed through its adapter, ahead of time, and on the provider's own request (a Microsoft Graph
 * {@code reauthorizationRequired} or {@code subscriptionRemoved} lifecycle event). A renewal that fails is
 * noted on the registration and tried again on the next sweep.
 */
@Component
public class WebhookRenewal {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRenewal.class);
    private static final int SWEEP_LIMIT = 500;

    private final WebhookRegistrationStore registrations;
    private final IntegrationStore integrations;
    private final AdapterRegistry adapters;
    private final Connections connections;
    private final RegistrationCache cache;
    private final PublicUrl publicUrl;
    private final WebhookSettings settings;

    public WebhookRenewal(WebhookRegistrationStore registrations, IntegrationStore integrations, AdapterRegistry adapters,
                          Connections connections, RegistrationCache cache, PublicUrl publicUrl, WebhookSettings settings) {
        this.registrations = registrations;
        this.integrations = integrations;
        this.adapters = adapters;
        this.connections = connections;
        this.cache = cache;
        this.publicUrl = publicUrl;
        this.settings = settings;
    }

    /** Renews every subscription expiring within renew-before; returns how many were renewed. */
    public int renewExpiring() {
        List<WebhookRegistration> due = registrations.expiringBefore(Timestamps.now().plus(settings.renewBefore()), SWEEP_LIMIT);
        int renewed = 0;
        for (WebhookRegistration registration : due) {
            if (renew(registration)) {
                renewed++;
            }
        }
        if (!due.isEmpty()) {
            LOG.info("Renewed {} of {} expiring webhook subscriptions", renewed, due.size());
        }
        return renewed;
    }

    /** Renews one registration's provider subscription now; false (and noted on the registration) when it could not be. */
    public boolean renew(WebhookRegistration registration) {
        Integration integration = integrations.findById(registration.integrationId()).orElse(null);
        IntegrationAdapter adapter = integration == null ? null : adapters.find(integration.providerId()).orElse(null);
        if (adapter == null) {
            return failed(registration, "the integration or its provider adapter no longer exists");
        }
        ConnectionContext context = connections.context(integration, "renew webhook " + registration.id()).orElse(null);
        if (context == null) {
            return failed(registration, "the integration is not connected");
        }
        byte[] secret = cache.get(registration.id()).map(RegistrationCache.Entry::secret).orElse(null);
        try {
            WebhookSubscription renewed = adapter.renewWebhook(context, registration.providerWebhookId(), registration.events(),
                    publicUrl.receiverIfKnown(registration).orElse(null), secret == null ? null : new String(secret, StandardCharsets.UTF_8));
            registrations.providerSubscription(registration.id(), renewed.providerWebhookId(), Timestamps.of(renewed.expiresAt()));
            cache.invalidate(registration.id());
            LOG.info("Renewed webhook subscription of registration {} until {}", registration.id(), renewed.expiresAt());
            return true;
        } catch (ProviderException e) {
            return failed(registration, e.getMessage());
        }
    }

    private boolean failed(WebhookRegistration registration, String why) {
        String reason = "renewal failed: " + why;
        registrations.recordRenewalFailure(registration.id(), reason.length() > 500 ? reason.substring(0, 500) : reason);
        LOG.warn("Could not renew the webhook subscription of registration {} (expires {}): {}", registration.id(),
                registration.expiresAt(), why);
        return false;
    }
}
