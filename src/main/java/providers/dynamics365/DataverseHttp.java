package providers.dynamics365;

import static org.apache.commons.lang3.exception.ExceptionUtils.throwableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import providers.ProviderResponses;
import security.GuardedDnsResolver;
import security.OutboundGuard;
import security.RefusedAddressException;

/**
 * The Dataverse Web API over camel-http: an http component of its own ({@value #SCHEME}) whose endpoints share one pooled,
 * kept-alive connection manager for every org, and one endpoint per org origin (every call's URL travels in a header, so the
 * endpoints do not grow with paths or pages). Its connections go only to addresses the {@link OutboundGuard} checked
 * when they were opened (the org URL is the tenant's to choose), and redirects are not followed. Every response's
 * status and headers go to {@link ProviderResponses}: {@code x-ms-ratelimit-*} and {@code Retry-After} pace the integration.
 */
@Component
public class DataverseHttp {

    static final String SCHEME = "dataverse-http";
    private static final String CONNECTION_MANAGER = "dataverseConnectionManager";
    private static final String CLIENT_CONFIGURER = "dataverseHttpClientConfigurer";

    /** One call: method, absolute URL (already encoded), request headers, JSON body or null. */
    record Call(String method, URI url, Map<String, String> headers, String body) {
    }

    /** The answer: status, headers (looked up case-insensitively), body bytes (null when there is none). */
    record Answer(int status, Map<String, Object> headers, byte[] body) {

        String header(String name) {
            Object value = headers.get(name);
            if (value instanceof List<?> values) {
                return values.isEmpty() ? null : String.valueOf(values.get(0));
            }
            return value == null ? null : String.valueOf(value);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** A call that got no answer: the connection failed, timed out or was refused by the guard. */
    static final class Unanswered extends Exception {
        private final boolean timedOut;
        private final boolean refusedAddress;

        Unanswered(Throwable cause, boolean timedOut, boolean refusedAddress) {
            super(cause == null ? "no answer" : cause.getClass().getSimpleName(), cause);
            this.timedOut = timedOut;
            this.refusedAddress = refusedAddress;
        }

        boolean timedOut() {
            return timedOut;
        }

        boolean refusedAddress() {
            return refusedAddress;
        }
    }

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final ProviderResponses responses;
    private final OutboundGuard guard;
    private final long timeoutMs;
    private final int maxConnections;
    private final String endpointOptions;
    private volatile boolean registered;

    public DataverseHttp(CamelContext camel, ProducerTemplate producer, ProviderResponses responses, OutboundGuard guard,
                         @Value("${hub.providers.dynamics365.request-timeout-ms:60000}") long timeoutMs,
                         @Value("${hub.providers.dynamics365.max-connections:50}") int maxConnections) {
        this.camel = camel;
        this.producer = producer;
        this.responses = responses;
        this.guard = guard;
        this.timeoutMs = timeoutMs;
        this.maxConnections = maxConnections;
        // endpoint options, not the component's: camel-http-starter copies its own settings onto every http component
        this.endpointOptions = "?throwExceptionOnFailure=false&clientConnectionManager=#" + CONNECTION_MANAGER
                + "&httpClientConfigurer=#" + CLIENT_CONFIGURER + "&connectTimeout=" + Math.min(timeoutMs, 30_000)
                + "&responseTimeout=" + timeoutMs + "&connectionRequestTimeout=" + timeoutMs;
    }

    /**
     * Sends the call and returns the answer, whatever its status; reports it for the integration's pacing.
     *
     * @throws Unanswered when there is no answer
     */
    Answer send(String integrationId, Call call) throws Unanswered {
        register();
        String origin = call.url().getScheme() + "://" + call.url().getRawAuthority();
        Exchange exchange = producer.request(SCHEME + ":" + origin + endpointOptions, e -> {
            org.apache.camel.Message in = e.getIn();
            in.setHeader(Exchange.HTTP_METHOD, call.method());
            String raw = call.url().toString();
            int query = raw.indexOf('?');
            in.setHeader(Exchange.HTTP_URI, query < 0 ? raw : raw.substring(0, query));
            if (query >= 0) {
                in.setHeader(Exchange.HTTP_RAW_QUERY, raw.substring(query + 1));
            }
            call.headers().forEach(in::setHeader);
            in.setBody(call.body());
        });
        Exception failure = exchange.getException();
        if (failure != null) {
            throw new Unanswered(failure, throwableOfType(failure, java.net.SocketTimeoutException.class) != null
                    || throwableOfType(failure, org.apache.hc.core5.http.ConnectionRequestTimeoutException.class) != null
                    || throwableOfType(failure, java.util.concurrent.TimeoutException.class) != null,
                    throwableOfType(failure, RefusedAddressException.class) != null);
        }
        org.apache.camel.Message out = exchange.getMessage();
        int status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        Map<String, Object> headers = new org.apache.camel.util.CaseInsensitiveMap(out.getHeaders());
        Answer answer = new Answer(status, headers, bytes(out));
        responses.received(DynamicsAdapter.PROVIDER_ID, integrationId, status, answer::header);
        return answer;
    }

    private static byte[] bytes(org.apache.camel.Message message) throws Unanswered {
        Object body = message.getBody();
        if (body == null) {
            return null;
        }
        try (InputStream in = message.getBody(InputStream.class)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new Unanswered(e, e instanceof java.net.SocketTimeoutException, false);
        }
    }

    /** The component, registered once: a pooled connection manager whose names resolve through the outbound guard. */
    private void register() {
        if (registered) {
            return;
        }
        synchronized (this) {
            if (registered) {
                return;
            }
            PoolingHttpClientConnectionManager manager = connectionManager();
            camel.getRegistry().bind(CONNECTION_MANAGER, manager);
            HttpClientConfigurer configurer = builder -> builder
                    // HttpClient would retry a 429 or 503 itself, sleeping through Retry-After: the gate decides when to call again
                    .disableAutomaticRetries()
                    .disableRedirectHandling()
                    .disableCookieManagement();
            camel.getRegistry().bind(CLIENT_CONFIGURER, HttpClientConfigurer.class, configurer);
            HttpComponent component = new HttpComponent();
            // also the component's: its endpoints then build no connection manager of their own first
            component.setClientConnectionManager(manager);
            camel.addComponent(SCHEME, component);
            registered = true;
        }
    }

    private PoolingHttpClientConnectionManager connectionManager() {
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(guard))
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(Math.min(timeoutMs, 30_000), TimeUnit.MILLISECONDS))
                        .setSocketTimeout(Timeout.of(timeoutMs, TimeUnit.MILLISECONDS)).build())
                .build();
    }

    /** Headers every Dataverse call carries, as Microsoft's clients send them. */
    static Map<String, String> standardHeaders(String accessToken) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + accessToken);
        headers.put("Accept", "application/json");
        headers.put("OData-MaxVersion", "4.0");
        headers.put("OData-Version", "4.0");
        return headers;
    }
}
