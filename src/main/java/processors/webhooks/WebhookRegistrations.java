package processors.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import connections.Connections;
import hub.Ids;
import hub.InvalidInputException;
import hub.JsonText;
import providers.AdapterRegistry;
import providers.ConnectionContext;
import providers.IntegrationAdapter;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.WebhookSubscription;
import providers.webhooks.EventPatterns;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookSchemes;
import security.InvalidCredentialsException;
import security.OutboundGuard;
import store.Integration;
import store.Timestamps;
import store.IntegrationStore;
import store.WebhookRegistration;
import store.WebhookRegistrationStore;

/** Creating and removing webhook registrations: validation, secrets, and the receiver URL to give the provider. */
@Component
public class WebhookRegistrations {

    /**
     * A new registration, with the secret to show once when the hub chose it, and what became of
     * registering it with the provider: "registered", "manual" (configure it in the provider's own
     * settings with the URL and secret), or why it failed.
     */
    public record Created(WebhookRegistration registration, String generatedSecret, String providerRegistration) {
    }

    /** Shortest secret a caller may choose: a shorter one can be guessed offline from one signed delivery. */
    static final int MIN_SECRET_LENGTH = 16;

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRegistrations.class);

    private final WebhookRegistrationStore registrations;
    private final WebhookSecrets secrets;
    private final PublicUrl publicUrl;
    private final AdapterRegistry adapters;
    private final Connections connections;
    private final OutboundGuard guard;
    private final ObjectMapper json;
    private final WebhookSchemes schemes;
    private final IntegrationStore integrations;

    public WebhookRegistrations(WebhookRegistrationStore registrations, WebhookSecrets secrets, PublicUrl publicUrl,
                                AdapterRegistry adapters, Connections connections, OutboundGuard guard, ObjectMapper json,
                                WebhookSchemes schemes, IntegrationStore integrations) {
        this.schemes = schemes;
        this.integrations = integrations;
        this.guard = guard;
        this.registrations = registrations;
        this.secrets = secrets;
        this.publicUrl = publicUrl;
        this.adapters = adapters;
        this.connections = connections;
        this.json = json;
    }

    public String url(WebhookRegistration registration) {
        return publicUrl.receiver(registration);
    }

    public Created create(Integration integration, String schemeId, List<String> events, String secret, Map<String, String> settings) {
        if (schemeId == null) {
            throw new InvalidInputException("scheme", "required; one of " + schemes());
        }
        WebhookScheme scheme = schemes.of(schemeId)
                .orElseThrow(() -> new InvalidInputException("scheme", "unknown scheme '" + schemeId + "'; one of " + schemes()));
        List<String> patterns = fits("events", patterns(events));
        Map<String, String> checked = fits("settings", settings(scheme, settings == null ? Map.of() : settings));
        for (String urlSetting : scheme.fetchedUrlSettingNames()) {
            if (checked.containsKey(urlSetting)) {
                try {
                    // the receiver fetches from it (signing keys): refused now rather than on the first delivery
                    guard.checkField("settings." + urlSetting, checked.get(urlSetting));
                } catch (InvalidCredentialsException e) {
                    throw new InvalidInputException(e.field(), e.getMessage());
                }
            }
        }
        String chosen = secret(scheme, secret);
        var now = Timestamps.now();
        WebhookRegistration registration = new WebhookRegistration(Ids.newId(), integration.tenantId(), integration.id(), scheme.id(),
                patterns, checked, null, WebhookRegistration.Status.ACTIVE, 0, 0, null, null, null, null, null, null, null, null, now, now);
        registrations.insert(registration);
        if (chosen != null) {
            secrets.store(registration, chosen.getBytes(StandardCharsets.UTF_8));
        }
        String providerRegistration = registerWithProvider(integration, registration, chosen);
        WebhookRegistration stored = registrations.findById(registration.id()).orElseThrow();
        return new Created(stored, secret == null ? chosen : null, providerRegistration);
    }

    private String registerWithProvider(Integration integration, WebhookRegistration registration, String secret) {
        IntegrationAdapter adapter = adapters.find(integration.providerId()).orElse(null);
        ConnectionContext context = adapter == null ? null
                : connections.context(integration, "register webhook " + registration.id()).orElse(null);
        if (context == null) {
            return "manual: the integration is not connected; configure the webhook in " + integration.providerId() + " yourself";
        }
        try {
            String callbackUrl = url(registration);
            WebhookSubscription subscription = adapter.registerWebhook(context, registration.events(), callbackUrl, secret);
            registrations.providerSubscription(registration.id(), subscription.providerWebhookId(), Timestamps.of(subscription.expiresAt()),
                    callbackUrl);
            return "registered";
        } catch (PermanentProviderException e) {
            return "manual: " + e.getMessage() + "; configure it in the provider with this URL";
        } catch (ProviderException e) {
            return "failed: " + e.getMessage();
        }
    }

    /**
     * Deletes the registration and its secret, after asking the provider to stop sending (best effort: a provider that
     * cannot be reached keeps sending to a URL that now answers 404 until its subscription expires).
     */
    public boolean delete(Optional<WebhookRegistration> registration) {
        registration.filter(r -> r.providerWebhookId() != null).ifPresent(this::unregisterAtProvider);
        registration.ifPresent(secrets::delete);
        return registration.isPresent()
                && registrations.delete(registration.get().tenantId(), registration.get().integrationId(), registration.get().id());
    }

    private void unregisterAtProvider(WebhookRegistration registration) {
        Integration integration = integrations.findById(registration.integrationId()).orElse(null);
        IntegrationAdapter adapter = integration == null ? null : adapters.find(integration.providerId()).orElse(null);
        ConnectionContext context = adapter == null ? null
                : connections.context(integration, "unregister webhook " + registration.id()).orElse(null);
        if (context == null) {
            return;
        }
        try {
            adapter.unregisterWebhook(context, registration.providerWebhookId());
        } catch (ProviderException e) {
            LOG.warn("Registration {} deleted; the provider could not be told to stop sending: {}", registration.id(), e.getMessage());
        }
    }

    /** The value, when its stored JSON fits its column ({@link WebhookRegistrationStore#MAX_JSON_CHARS}). */
    private <T> T fits(String field, T value) {
        if (JsonText.write(json, value).length() > WebhookRegistrationStore.MAX_JSON_CHARS) {
            throw new InvalidInputException(field, "longer than " + WebhookRegistrationStore.MAX_JSON_CHARS + " characters in all");
        }
        return value;
    }

    private static List<String> patterns(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw new InvalidInputException("events", "required: event patterns such as \"contact.*\" or \"*\"");
        }
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            try {
                patterns.add(EventPatterns.validate(events.get(i)));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("events[" + i + "]", e.getMessage());
            }
        }
        return patterns;
    }

    private static Map<String, String> settings(WebhookScheme scheme, Map<String, String> given) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!scheme.settingNames().contains(e.getKey())) {
                throw new InvalidInputException("settings." + e.getKey(), "not a setting of " + scheme.id()
                        + (scheme.settingNames().isEmpty() ? " (it takes none)" : " (known: " + String.join(", ", scheme.settingNames()) + ")"));
            }
            if (e.getValue() == null || e.getValue().isBlank() || e.getValue().length() > 2000) {
                throw new InvalidInputException("settings." + e.getKey(), "must be a non-empty string of at most 2000 characters");
            }
            String problem = scheme.settingProblem(e.getKey(), e.getValue().trim());
            if (problem != null) {
                throw new InvalidInputException("settings." + e.getKey(), problem);
            }
            settings.put(e.getKey(), e.getValue().trim());
        }
        for (String required : scheme.requiredSettingNames()) {
            if (!settings.containsKey(required)) {
                throw new InvalidInputException("settings." + required, "required for " + scheme.id());
            }
        }
        return settings;
    }

    /** The secret to store: the one given, or a generated one where the hub may choose; none for schemes without one. */
    private static String secret(WebhookScheme scheme, String given) {
        if (!scheme.usesSecret()) {
            if (given != null) {
                throw new InvalidInputException("secret", scheme.id() + " deliveries carry no signature; it takes no secret");
            }
            return null;
        }
        if (given != null) {
            if (given.length() < MIN_SECRET_LENGTH || given.length() > 1000 || given.isBlank()) {
                throw new InvalidInputException("secret", "must be " + MIN_SECRET_LENGTH + " to 1000 characters");
            }
            return given;
        }
        if (scheme.hubGeneratesSecret()) {
            return scheme.newSecret();
        }
        if (scheme.secretArrivesByHandshake()) {
            return null;
        }
        throw new InvalidInputException("secret", "required: " + scheme.id() + " gives you the secret; copy it here");
    }

    private String schemes() {
        return String.join(", ", schemes.ids());
    }
}
