package providers.webhooks;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;

import providers.github.GitHubVerifier;
import providers.google.GooglePubSubVerifier;
import providers.google_drive.GoogleDriveVerifier;
import providers.hubspot.HubSpotVerifier;
import providers.microsoft.MicrosoftGraphVerifier;
import providers.notion.NotionVerifier;
import providers.salesforce.SalesforceOutboundVerifier;
import providers.slack.SlackVerifier;
import providers.zoom.ZoomVerifier;

/** Every scheme's verifier; thread-safe, create once. */
public final class WebhookVerifiers {

    private final Map<WebhookScheme, WebhookVerifier> verifiers = new EnumMap<>(WebhookScheme.class);

    /** Google's signing keys are fetched over HTTPS, cached and refreshed by Nimbus. */
    public WebhookVerifiers() {
        this(uri -> remoteKeys(uri, null));
    }

    /**
     * @param jwkSources the key source for a JWKS URI (tests pass local keys); called once per URI, the result
     *     is kept
     */
    public WebhookVerifiers(Function<String, JWKSource<SecurityContext>> jwkSources) {
        Objects.requireNonNull(jwkSources, "jwkSources");
        Map<String, JWKSource<SecurityContext>> cache = new ConcurrentHashMap<>();
        Function<String, JWKSource<SecurityContext>> cached = uri -> cache.computeIfAbsent(uri, jwkSources);
        for (WebhookVerifier verifier : List.of(new GitHubVerifier(), new SlackVerifier(), new HubSpotVerifier(),
                new ZoomVerifier(), new NotionVerifier(), new MicrosoftGraphVerifier(), new GooglePubSubVerifier(cached),
                new GoogleDriveVerifier(), new SalesforceOutboundVerifier(), new StandardWebhooksVerifier())) {
            verifiers.put(verifier.scheme(), verifier);
        }
    }

    public WebhookVerifier get(WebhookScheme scheme) {
        return verifiers.get(Objects.requireNonNull(scheme, "scheme"));
    }

    /** Shorthand for {@code get(scheme).verify(request, context)}. */
    public Verdict verify(WebhookScheme scheme, InboundWebhook request, VerificationContext context) {
        return get(scheme).verify(request, context);
    }

    /**
     * Caching (5 min TTL), refresh-ahead, rate limiting and one retry: Nimbus's defaults for a remote JWKS.
     * {@code retriever}: how the key set is fetched (the hub's guarded one), null for Nimbus's own.
     */
    public static JWKSource<SecurityContext> remoteKeys(String uri, ResourceRetriever retriever) {
        try {
            URL url = URI.create(uri).toURL();
            return (retriever == null ? JWKSourceBuilder.<SecurityContext>create(url) : JWKSourceBuilder.<SecurityContext>create(url, retriever))
                    .retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("jwksUri is not a URL", e);
        }
    }
}
