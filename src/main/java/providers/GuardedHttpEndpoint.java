package providers;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

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
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.util.Timeout;

import security.GuardedDnsResolver;
import security.OutboundGuard;

/**
 * The camel-http endpoint of a provider client that has no Camel component of its own: a component under the client's
 * name with a pool that resolves hosts through the {@link OutboundGuard}, no redirects followed, no automatic retries (the
 * hub retries), no cookies, no auth cache and no Camel headers copied to the request; one endpoint, every request naming
 * its full URL ({@code CamelHttpUri}) and getting any status back ({@code throwExceptionOnFailure=false}). Made on first
 * use; {@link #close()} with the client. {@link #request} sends any request and returns what came back (bytes, or the
 * failure when nothing did); {@link #send} is the JSON API call most clients make.
 */
public final class GuardedHttpEndpoint implements AutoCloseable {

    /**
     * What one request got: its status, body bytes (null when none) and a header lookup (case-insensitive); or, when no
     * answer came at all, the failure (status 0), for the provider's classification.
     */
    public record Reply(int status, byte[] body, Function<String, String> header, Exception failure) {

        /** The body as JSON; null when there is none or it is not JSON. */
        public JsonNode json(ObjectMapper mapper) {
            return GuardedHttpEndpoint.json(mapper, body);
        }
    }

    private final CamelContext camel;
    private final OutboundGuard guard;
    private final String component;
    private final String defaultBaseUrl;
    private final long requestTimeoutMs;
    private final long connectTimeoutMs;
    private final int maxConnections;
    private final int maxConnectionsPerRoute;
    private final Supplier<SSLContext> tls;
    private volatile Endpoint endpoint;
    private PoolingHttpClientConnectionManager pool;

    public GuardedHttpEndpoint(CamelContext camel, OutboundGuard guard, String component, String defaultBaseUrl, long requestTimeoutMs,
                               long connectTimeoutMs, int maxConnections) {
        this(camel, guard, component, defaultBaseUrl, requestTimeoutMs, connectTimeoutMs, maxConnections, Math.max(1, maxConnections / 4),
                null);
    }

    /**
     * An endpoint whose https connections trust what {@code tls} gives (read when the endpoint is made, on first use), as
     * {@code SandboxTrust::sslContext} does for a provider the sandboxes serve over TLS.
     */
    public GuardedHttpEndpoint(CamelContext camel, OutboundGuard guard, String component, String defaultBaseUrl, long requestTimeoutMs,
                               long connectTimeoutMs, int maxConnections, Supplier<SSLContext> tls) {
        this(camel, guard, component, defaultBaseUrl, requestTimeoutMs, connectTimeoutMs, maxConnections, Math.max(1, maxConnections / 4),
                tls);
    }

    /**
     * With its own limit of connections per route (host and port): outgoing webhooks, whose endpoints may share a host
     * and must not wait on each other's connections.
     */
    public GuardedHttpEndpoint(CamelContext camel, OutboundGuard guard, String component, String defaultBaseUrl, long requestTimeoutMs,
                               long connectTimeoutMs, int maxConnections, int maxConnectionsPerRoute) {
        this(camel, guard, component, defaultBaseUrl, requestTimeoutMs, connectTimeoutMs, maxConnections, maxConnectionsPerRoute, null);
    }

    /** The JDK's trust when {@code tls} is null. */
    private GuardedHttpEndpoint(CamelContext camel, OutboundGuard guard, String component, String defaultBaseUrl, long requestTimeoutMs,
                                long connectTimeoutMs, int maxConnections, int maxConnectionsPerRoute, Supplier<SSLContext> tls) {
        this.tls = tls;
        this.maxConnectionsPerRoute = maxConnectionsPerRoute;
        this.camel = camel;
        this.guard = guard;
        this.component = component;
        this.defaultBaseUrl = defaultBaseUrl;
        this.requestTimeoutMs = requestTimeoutMs;
        this.connectTimeoutMs = connectTimeoutMs;
        this.maxConnections = maxConnections;
    }

    public Endpoint endpoint() {
        Endpoint current = endpoint;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (endpoint == null) {
                PoolingHttpClientConnectionManagerBuilder builder = PoolingHttpClientConnectionManagerBuilder.create();
                if (tls != null) {
                    builder.setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls.get()).buildClassic());
                }
                pool = builder
                        .setDnsResolver(new GuardedDnsResolver(guard))
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxConnectionsPerRoute)
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
                endpoint = camel.getEndpoint(component + ":" + defaultBaseUrl + "?throwExceptionOnFailure=false&responseTimeout="
                        + requestTimeoutMs + "&connectionRequestTimeout=" + requestTimeoutMs);
            }
            return endpoint;
        }
    }

    /** A provider's answer whatever its status: the status, the body as JSON (null when none or no JSON) and its headers. */
    public record JsonAnswer(int status, JsonNode body, Function<String, String> header) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Whether the status is one the caller takes as an answer (a 404 read as "gone"). */
        public boolean isOneOf(int... statuses) {
            return ProviderResponses.isOneOf(status, statuses);
        }
    }

    /** A request body as JSON text; a body that cannot be written is a permanent failure of the request. */
    public static String write(ObjectMapper json, Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PermanentProviderException("record cannot be written as JSON: " + e.getOriginalMessage());
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

    /**
     * Sends one JSON API request: {@code payload} (JSON text, or null for none) with these headers, and
     * {@code Accept: application/json}. A request that got no answer (I/O, timeout, a refused address) is thrown as
     * {@code noAnswer} makes it of the failure.
     */
    public JsonAnswer send(ProducerTemplate producer, ObjectMapper json, String method, String url, Map<String, String> headers,
                           String payload, Function<Throwable, RuntimeException> noAnswer) {
        Map<String, String> withAccept = new java.util.LinkedHashMap<>(headers);
        withAccept.put("Accept", "application/json");
        Reply reply = request(producer, method, url, withAccept, "application/json", payload);
        if (reply.failure() != null) {
            throw noAnswer.apply(reply.failure());
        }
        return new JsonAnswer(reply.status(), reply.json(json), reply.header());
    }

    @Override
    public void close() {
        PoolingHttpClientConnectionManager open = pool;
        if (open != null) {
            open.close();
        }
    }

    /** A body as JSON; null when there is none or it is no JSON. */
    public static JsonNode json(ObjectMapper json, byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    /** The host of a base URL, for messages; "?" when it has none. */
    public static String host(String baseUrl) {
        try {
            String host = URI.create(baseUrl).getHost();
            return host == null ? "?" : host;
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }
}
