package processors.webhooks;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;

import security.OutboundGuard;

/**
 * Fetches a registration's signing keys ({@code google_pubsub} {@code jwksUri}) with Nimbus's limits
 * (timeouts, size), through the {@link OutboundGuard} and without following redirects: a registration
 * must not make the hub fetch from an internal address. HttpURLConnection resolves the name again when
 * it connects (a DNS answer changed in between is not seen).
 */
final class JwksRetriever extends DefaultResourceRetriever {

    private final OutboundGuard guard;

    JwksRetriever(OutboundGuard guard) {
        super(JWKSourceBuilder.DEFAULT_HTTP_CONNECT_TIMEOUT, JWKSourceBuilder.DEFAULT_HTTP_READ_TIMEOUT,
                JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT);
        this.guard = guard;
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        guard.check(url.toString());
        return super.retrieveResource(url);
    }

    @Override
    protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
        HttpURLConnection connection = super.openHTTPConnection(url);
        connection.setInstanceFollowRedirects(false);
        return connection;
    }
}
