package processors.webhooks;

import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookSchemes;
import store.WebhookRegistration;

/**
 * The hub's public base URL, as providers reach it: {@code hub.public-url} when set (behind a proxy
 * or load balancer it must be), otherwise the scheme, host and port of the request at hand.
 * <p>
 * Providers that send only to https URLs (Microsoft Graph, {@link WebhookScheme#httpsReceiver()}) are given the https
 * base instead: {@code hub.webhooks.https-public-url} when set, else {@code hub.public-url} when it is https, else the
 * sandbox TLS port on this machine ({@code https://localhost:<port>}) when it is on, else the request's own base.
 */
@Component
public class PublicUrl {

    /** Published by the sandbox TLS port once it listens (the hub does not import the sandbox). */
    static final String SANDBOX_TLS_PORT = "local.sandbox.tls-port";

    private final String configured;
    private final String configuredHttps;
    private final Environment environment;
    private final WebhookSchemes schemes;

    public PublicUrl(@Value("${hub.public-url:}") String configured,
                     @Value("${hub.webhooks.https-public-url:}") String configuredHttps,
                     Environment environment, WebhookSchemes schemes) {
        this.configured = withoutSlash(configured);
        this.configuredHttps = withoutSlash(configuredHttps);
        this.environment = environment;
        this.schemes = schemes;
        if (!this.configuredHttps.isBlank() && !this.configuredHttps.startsWith("https://")) {
            throw new IllegalArgumentException("hub.webhooks.https-public-url must start with https://");
        }
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The base URL for the current HTTP request. */
    public String base() {
        return configured.isBlank() ? ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString() : configured;
    }

    /** The https base URL, when one is known without a request: see the class comment. */
    private Optional<String> httpsBase() {
        if (!configuredHttps.isBlank()) {
            return Optional.of(configuredHttps);
        }
        if (configured.startsWith("https://")) {
            return Optional.of(configured);
        }
        String port = environment.getProperty(SANDBOX_TLS_PORT);
        return port == null ? Optional.empty() : Optional.of("https://localhost:" + port);
    }

    public String receiver(String registrationId) {
        return base() + "/webhooks/" + registrationId;
    }

    /** The receiver URL to give the registration's provider: its https one when the provider sends only to https. */
    public String receiver(WebhookRegistration registration) {
        if (httpsOnly(registration)) {
            return httpsBase().orElseGet(this::base) + "/webhooks/" + registration.id();
        }
        return receiver(registration.id());
    }

    /** The receiver URL when it can be known here: hub.public-url is set, or an HTTP request is at hand. */
    public Optional<String> receiverIfKnown(String registrationId) {
        if (configured.isBlank() && RequestContextHolder.getRequestAttributes() == null) {
            return Optional.empty();
        }
        return Optional.of(receiver(registrationId));
    }

    /** {@link #receiverIfKnown(String)}, the https one for a provider that sends only to https. */
    public Optional<String> receiverIfKnown(WebhookRegistration registration) {
        if (httpsOnly(registration)) {
            Optional<String> https = httpsBase();
            if (https.isPresent()) {
                return Optional.of(https.get() + "/webhooks/" + registration.id());
            }
        }
        return receiverIfKnown(registration.id()).map(url -> receiver(registration));
    }

    private boolean httpsOnly(WebhookRegistration registration) {
        return schemes.of(registration.scheme()).map(WebhookScheme::httpsReceiver).orElse(false);
    }
}
