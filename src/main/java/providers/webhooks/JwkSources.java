package providers.webhooks;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;

/** Where the signing keys of JWT-signed deliveries are found: the key source for a JWKS URI. */
@FunctionalInterface
public interface JwkSources {

    JWKSource<SecurityContext> keysAt(String uri);

    /**
     * Remote key sets with Nimbus's defaults: caching (5 min TTL), refresh-ahead, rate limiting and one retry.
     *
     * @param retriever how a key set is fetched (the hub's guarded one), null for Nimbus's own
     */
    static JwkSources remote(ResourceRetriever retriever) {
        return uri -> {
            try {
                URL url = URI.create(uri).toURL();
                return (retriever == null ? JWKSourceBuilder.<SecurityContext>create(url)
                        : JWKSourceBuilder.<SecurityContext>create(url, retriever)).retrying(true).build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("jwksUri is not a URL", e);
            }
        };
    }
}
