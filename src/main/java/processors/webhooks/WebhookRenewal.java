package processors.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import connections.Connections;
import processors.mapping.EntityMapping;
import processors.mapping.MappingCatalog;
import processors.sync.SyncDispatcher;
import providers.AdapterRegistry;
import providers.ConnectionContext;
import providers.IntegrationAdapter;
import providers.ProviderException;
import providers.WebhookSubscription;
import providers.webhooks.EventPatterns;
import store.Integration;
import store.IntegrationStore;
import store.Timestamps;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/**
 * Keeps provider subscriptions that expire alive: each one expiring within {@code hub.webhooks.renew-before}
 * is renewed through its adapter, ahead of time, and on the provider's own request (a Microsoft Graph
 * {@code reauthorizationRequired} or {@code subscriptionRemoved} lifecycle event). A renewal that fails is
 * noted on the registration and tried again on the next sweep. When changes went unnotified (the provider removed the
 * subscription, the adapter had to re-create one that was gone, or the provider said it missed notifications), a
 * catch-up sync of every entity the registration covers is queued ({@link #catchUp}), and the registration records it.
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
    private final MappingCatalog mappings;
    private final SyncDispatcher dispatcher;
    private final ExecutorService sweepers;

    public WebhookRenewal(WebhookRegistrationStore registrations, IntegrationStore integrations, AdapterRegistry adapters,
                          Connections connections, RegistrationCache cache, PublicUrl publicUrl, WebhookSettings settings,
                          MappingCatalog mappings, SyncDispatcher dispatcher) {
        this.registrations = registrations;
        this.integrations = integrations;
        this.adapters = adapters;
        this.connections = connections;
        this.cache = cache;
        this.publicUrl = publicUrl;
        this.settings = settings;
        this.mappings = mappings;
        this.dispatcher = dispatcher;
        this.sweepers = Executors.newFixedThreadPool(Math.max(1, settings.renewConcurrency()),
                new CustomizableThreadFactory("webhook-renewal-"));
    }

    /**
     * Renews every subscription expiring within renew-before, {@code hub.webhooks.renew-concurrency} at a time (each
     * renewal waits on its provider), in batches of {@value #SWEEP_LIMIT} until none is left due; a registration whose
     * renewal failed is not tried again in the same sweep. Returns how many were renewed.
     */
    public int renewExpiring() {
        Set<String> tried = new HashSet<>();
        int renewed = 0;
        while (true) {
            List<WebhookRegistration> due = registrations.expiringBefore(Timestamps.now().plus(settings.renewBefore()), SWEEP_LIMIT + tried.size())
                    .stream().filter(r -> tried.add(r.id())).limit(SWEEP_LIMIT).toList();
            if (due.isEmpty()) {
                break;
            }
            long started = System.nanoTime();
            int batch = renewAll(due);
            renewed += batch;
            LOG.info("Renewed {} of {} expiring webhook registrations in {} ms", batch, due.size(), (System.nanoTime() - started) / 1_000_000);
        }
        return renewed;
    }

    private int renewAll(List<WebhookRegistration> due) {
        List<Future<Boolean>> running = new ArrayList<>(due.size());
        for (WebhookRegistration registration : due) {
            running.add(sweepers.submit(() -> renew(registration)));
        }
        int renewed = 0;
        for (Future<Boolean> outcome : running) {
            try {
                if (outcome.get()) {
                    renewed++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(f -> f.cancel(true));
                return renewed;
            } catch (ExecutionException e) {
                LOG.warn("A webhook renewal failed unexpectedly", e.getCause());
            }
        }
        return renewed;
    }

    @PreDestroy
    void stop() {
        sweepers.shutdownNow();
    }

    /** What a renewal did, in words for the registration and the delivery log. */
    public record Outcome(boolean renewed, String summary) {
    }

    /** Renews one registration's provider subscription now; false (and noted on the registration) when it could not be. */
    public boolean renew(WebhookRegistration registration) {
        return renew(registration, false).renewed();
    }

    /**
     * Renews one registration's provider subscription now. {@code missed}: the provider said changes went unnotified
     * (it removed the subscription), so a catch-up sync follows the renewal, as it does when the adapter had to re-create
     * the subscription.
     */
    public Outcome renew(WebhookRegistration registration, boolean missed) {
        Integration integration = integrations.findById(registration.integrationId()).orElse(null);
        IntegrationAdapter adapter = integration == null ? null : adapters.find(integration.providerId()).orElse(null);
        if (adapter == null) {
            return new Outcome(failed(registration, "the integration or its provider adapter no longer exists"), "renewal failed");
        }
        ConnectionContext context = connections.context(integration, "renew webhook " + registration.id()).orElse(null);
        if (context == null) {
            return new Outcome(failed(registration, "the integration is not connected"), "renewal failed: the integration is not connected");
        }
        byte[] secret = cache.get(registration.id()).map(RegistrationCache.Entry::secret).orElse(null);
        try {
            WebhookSubscription renewed = adapter.renewWebhook(context, registration.providerWebhookId(), registration.events(),
                    publicUrl.receiverIfKnown(registration).orElse(registration.callbackUrl()),
                    secret == null ? null : new String(secret, StandardCharsets.UTF_8));
            String summary = (renewed.missedChanges() ? "re-created (the provider no longer had it)" : "renewed")
                    + (renewed.expiresAt() == null ? "" : " until " + renewed.expiresAt());
            if (missed || renewed.missedChanges()) {
                summary += "; " + catchUp(registration, integration);
            }
            registrations.renewed(registration.id(), renewed.providerWebhookId(), Timestamps.of(renewed.expiresAt()), summary);
            cache.invalidate(registration.id());
            LOG.info("Webhook subscription of registration {} {}", registration.id(), summary);
            return new Outcome(true, summary);
        } catch (ProviderException e) {
            return new Outcome(failed(registration, e.getMessage()), "renewal failed: " + e.getMessage());
        }
    }

    /**
     * Changes went unnotified: an incremental sync of each entity of the integration whose shard type the registration's
     * event patterns cover (coalesced with one already queued). Returns what was queued, in words.
     */
    public String catchUp(WebhookRegistration registration, Integration integration) {
        if (!integration.syncEnabled()) {
            return "no catch-up sync: sync is disabled for the integration";
        }
        List<String> queued = new ArrayList<>();
        for (EntityMapping mapping : mappings.forProvider(integration.providerId())) {
            String noun = mapping.shardType().startsWith("c_") ? mapping.shardType().substring(2) : mapping.shardType();
            if (EventPatterns.matches(registration.events(), noun + ".updated")) {
                SyncDispatcher.ChangeRun run = dispatcher.dispatchForChange(integration.tenantId(), integration.id(), mapping.entity());
                queued.add(mapping.entity() + " as execution " + run.executionId());
            }
        }
        return queued.isEmpty() ? "no catch-up sync: the registration's events name no entity the integration syncs"
                : "catch-up sync queued: " + String.join(", ", queued);
    }

    private boolean failed(WebhookRegistration registration, String why) {
        String reason = "renewal failed: " + why;
        registrations.recordRenewalFailure(registration.id(), reason.length() > 500 ? reason.substring(0, 500) : reason);
        LOG.warn("Could not renew the webhook subscription of registration {} (expires {}): {}", registration.id(),
                registration.expiresAt(), why);
        return false;
    }
}
