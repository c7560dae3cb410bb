package providers;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
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
 * ({@code throwExceptionOnFailure=false}). {@link #request} sends one request through it. Close it with the client
 * ({@code @PreDestroy}).
 */
public final class GuardedHttpEndpoint implements AutoCloseable {

    /**
     * What one request got: its status, body bytes (null when none) and a header lookup (case-insensitive); or, when no
     * answer came at all, the failure (status 0), for the provider's classification.
     */
    public record Reply(int status, byte[] body, Function<String, String> header, Exception failure) {

        /** The body as JSON; null when there is none or it is not JSON. */
        public JsonNode json(ObjectMapper mapper) {
            if (body == null || body.length == 0) {
                return null;
            }
            try {
                JsonNode node = mapper.readTree(body);
                return node == null || node.isMissingNode() ? null : node;
            } catch (IOException e) {
                return null;
            }
        }
    }

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

    /** Sends one request to the full {@code url} with exactly these headers (and the body's content type when it has one). */
    public Reply request(ProducerTemplate producer, String method, String url, Map<String, String> headers, String contentType,
                         String body) {
        Exchange exchange = producer.request(endpoint(), e -> {
            Message in = e.getIn();
            in.setHeader(Exchange.HTTP_METHOD, method);
            in.setHeader(Exchange.HTTP_URI, url);
            headers.forEach(in::setHeader);
            if (body != null) {
                in.setHeader(Exchange.CONTENT_TYPE, contentType);
            }
            in.setBody(body);
        });
        if (exchange.getException() != null) {
            return new Reply(0, null, name -> null, exchange.getException());
        }
        Message out = exchange.getMessage();
        return new Reply(out.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class), out.getBody(byte[].class),
                name -> out.getHeader(name, String.class), null);
    }

    @Override
    public void close() {
        PoolingHttpClientConnectionManager open = pool;
        if (open != null) {
            open.close();
        }
    }
}
