package providers;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

import security.GuardedDnsResolver;
import security.OutboundGuard;

/**
 * The camel-http component and endpoint of a provider whose REST API has no Camel component of its own: a component
 * under the provider's name ({@code zoom-http}), made on first use, whose pool resolves every host through the
 * {@link OutboundGuard}, follows no redirect, retries nothing (the hub retries), keeps no cookies and copies no headers;
 * and one endpoint, every request naming its full URL ({@code CamelHttpUri}) and reading any status itself
 * ({@code throwExceptionOnFailure=false}). Close it with the client ({@code @PreDestroy}).
 */
public final class GuardedHttpEndpoint implements AutoCloseable {

    private final CamelContext camel;
    private final OutboundGuard guard;
    private final String component;
    private final String defaultUrl;
    private final long connectTimeoutMs;
    private final long requestTimeoutMs;
    private volatile Endpoint endpoint;
    private PoolingHttpClientConnectionManager pool;

    public GuardedHttpEndpoint(CamelContext camel, OutboundGuard guard, String component, String defaultUrl, long connectTimeoutMs,
                               long requestTimeoutMs) {
        this.camel = camel;
        this.guard = guard;
        this.component = component;
        this.defaultUrl = defaultUrl;
        this.connectTimeoutMs = connectTimeoutMs;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    public Endpoint endpoint() {
        Endpoint current = endpoint;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (endpoint == null) {
                pool = PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new GuardedDnsResolver(guard))
                        .setMaxConnTotal(32)
                        .setMaxConnPerRoute(8)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                                .setSocketTimeout(Timeout.ofMilliseconds(requestTimeoutMs))
                                .build())
                        .build();
                HttpComponent http = new HttpComponent();
                http.setClientConnectionManager(pool);
                http.setFollowRedirects(false);
                http.setAutomaticRetriesDisabled(true);
                http.setCookieManagementDisabled(true);
                http.setAuthCachingDisabled(true);
                http.setCopyHeaders(false);
                camel.addComponent(component, http);
                endpoint = camel.getEndpoint(component + ":" + defaultUrl + "?throwExceptionOnFailure=false&responseTimeout="
                        + requestTimeoutMs + "&connectionRequestTimeout=" + requestTimeoutMs);
            }
            return endpoint;
        }
    }

    @Override
    public void close() {
        PoolingHttpClientConnectionManager open = pool;
        if (open != null) {
            open.close();
        }
    }
}
