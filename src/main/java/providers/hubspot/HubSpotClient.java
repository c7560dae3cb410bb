package providers.hubspot;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import providers.AdapterHealth;
import providers.AdapterHealths;
import providers.AuthProviderException;
import providers.ConnectionContext;
import providers.GuardedHttpEndpoint;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.ProviderResponses;
import security.OutboundGuard;
import security.TokenLifecycle;

/**
 * HubSpot's REST API over HTTP through Camel: one camel-http component of the adapter's own ({@code hubspot-http}) and
 * one endpoint, every request naming its full URL ({@code CamelHttpUri}), so all tenants share one pool of kept-alive
 * connections. The pool resolves hosts through the {@link OutboundGuard} when it connects (a tenant's base URL is its
 * own to choose; redirects are not followed). Every answer's status and headers go to {@link ProviderResponses}
 * (X-HubSpot-RateLimit-*, Retry-After); failures come back classified ({@link HubSpotErrors}).
 *
 * <p>Authorization is a private app's token, or an OAuth access token the hub manages: one about to expire (HubSpot's
 * last 30 minutes, and HubSpot says a 401 is not the signal to refresh) is refreshed before it is used.
 */
@Component
public class HubSpotClient {

    static final String PROVIDER_ID = "hubspot";
    static final String COMPONENT = "hubspot-http";
    static final String DEFAULT_BASE_URL = "https://api.hubapi.com";
    static final String ACCESS_TOKEN = "accessToken";
    static final String BASE_URL = "baseUrl";
    private static final List<String> TOKEN_PATHS = List.of("/oauth/v1/token", "/oauth/v3/token");
    /** An OAuth token expiring within this is refreshed before it is used; checked at most every {@link #REFRESH_CHECK}. */
    private static final Duration REFRESH_WITHIN = Duration.ofMinutes(5);
    private static final Duration REFRESH_CHECK = Duration.ofSeconds(30);

    /** One answer: its status, JSON body (null when it had none) and headers. */
    record Answer(int status, JsonNode body, Function<String, String> header) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** An OAuth access token this instance refreshed, and the token the connection's credentials held before. */
    private record HeldToken(String value, Instant expiresAt, String replaced, long checkedAt) {
    }

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final ProviderResponses responses;
    private final TokenLifecycle tokens;
    private final AdapterHealths health = new AdapterHealths();
    private final Map<String, HeldToken> heldTokens = new ConcurrentHashMap<>();
    private final GuardedHttpEndpoint http;

    HubSpotClient(CamelContext camel, ProducerTemplate producer, ObjectMapper json, ProviderResponses responses, OutboundGuard guard,
                  TokenLifecycle tokens,
                  @Value("${hub.providers.hubspot.request-timeout-ms:30000}") long requestTimeoutMs,
                  @Value("${hub.providers.hubspot.connect-timeout-ms:10000}") long connectTimeoutMs) {
        this.producer = producer;
        this.json = json;
        this.responses = responses;
        this.tokens = tokens;
        this.http = new GuardedHttpEndpoint(camel, guard, COMPONENT, DEFAULT_BASE_URL, requestTimeoutMs, connectTimeoutMs, 64);
    }

    /** The API base URL of a connection, without a trailing slash. */
    static String baseUrl(ConnectionContext connection) {
        String base = connection.credential(BASE_URL);
        if (base == null) {
            base = connection.credential("instanceUrl");
        }
        if (base == null && connection.credential("tokenUrl") != null) {
            String tokenUrl = connection.credential("tokenUrl");
            for (String path : TOKEN_PATHS) {
                if (tokenUrl.endsWith(path)) {
                    base = tokenUrl.substring(0, tokenUrl.length() - path.length());
                }
            }
        }
        if (base == null || base.isBlank()) {
            base = DEFAULT_BASE_URL;
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** OAuth connections carry the app's client id; private apps only their token. */
    static boolean oauth(ConnectionContext connection) {
        return connection.credential("clientId") != null;
    }

    /**
     * Sends one request and answers HubSpot's reply; a failure is thrown classified, unless its status is one of
     * {@code accepted} (a 404 the caller reads as "gone").
     *
     * @param pathAndQuery below the base URL, starting with '/', query already encoded
     * @param body         JSON-serialisable, or null for none
     */
    Answer send(ConnectionContext connection, String action, String method, String pathAndQuery, Object body, int... accepted) {
        String url = baseUrl(connection) + pathAndQuery;
        String bearer = bearer(connection);
        String payload = body == null ? null : GuardedHttpEndpoint.write(json, body);
        GuardedHttpEndpoint.JsonAnswer reply = http.send(producer, json, method, url, Map.of("Authorization", "Bearer " + bearer), payload,
                failure -> health.failed(connection, HubSpotErrors.noAnswer(action, failure)));
        int status = reply.status();
        responses.received(PROVIDER_ID, connection.integrationId(), status, reply.header());
        Answer answer = new Answer(status, reply.body(), reply.header());
        if (answer.ok() || ProviderResponses.isOneOf(status, accepted)) {
            health.succeeded(connection);
            return answer;
        }
        ProviderException failure = HubSpotErrors.fromAnswer(action, status, reply.body(), reply.header(), Instant.now());
        if (failure.kind() == ProviderException.Kind.PERMANENT || failure.kind() == ProviderException.Kind.CONFLICT) {
            // HubSpot answered and refused this request: the connection itself is fine
            health.succeeded(connection);
        } else {
            health.failed(connection, failure);
        }
        throw failure;
    }

    /** A 2xx answer's body as JSON; an answer that is not is HubSpot failing, not the request. */
    JsonNode body(Answer answer, String what) {
        if (answer.body() == null) {
            throw new PermanentProviderException("HubSpot returned an unreadable " + what + ": " + HubSpotErrors.NOT_HUBSPOT);
        }
        return answer.body();
    }

    AdapterHealth health(ConnectionContext connection) {
        return health.of(connection);
    }

    /** Forgets what this instance holds for the connection (its health, a token it refreshed). */
    void forget(String integrationId) {
        health.forget(integrationId);
        heldTokens.remove(integrationId);
    }

    /**
     * The token to send. A private app's never expires. An OAuth token about to expire is refreshed first (the hub's
     * token lifecycle holds the refresh token and stores the new one); one refreshed by this instance is used in place
     * of the older one the connection's credentials still hold.
     */
    private String bearer(ConnectionContext connection) {
        String given = connection.credential(ACCESS_TOKEN);
        if (given == null) {
            throw new AuthProviderException("HubSpot call not attempted: the connection has no access token; reconnect", 0, null);
        }
        if (!oauth(connection)) {
            return given;
        }
        String integrationId = connection.integrationId();
        HeldToken held = heldTokens.get(integrationId);
        boolean heldIsNewer = held != null && (held.value().equals(given) || given.equals(held.replaced()));
        String token = heldIsNewer ? held.value() : given;
        Instant expiresAt = heldIsNewer ? held.expiresAt() : instant(connection.credential("expiresAt"));
        Instant now = Instant.now();
        if (expiresAt == null || expiresAt.isAfter(now.plus(REFRESH_WITHIN))) {
            return token;
        }
        long nanos = System.nanoTime();
        if (heldIsNewer && nanos - held.checkedAt() < REFRESH_CHECK.toNanos() && expiresAt.isAfter(now)) {
            return token;
        }
        TokenLifecycle.AccessToken renewed = tokens.refreshForUse(integrationId).orElse(null);
        if (renewed == null) {
            if (!expiresAt.isAfter(now)) {
                throw new AuthProviderException("HubSpot call not attempted: the access token expired and could not be refreshed; reconnect",
                        401, null);
            }
            return token;
        }
        heldTokens.put(integrationId, new HeldToken(renewed.value(), renewed.expiresAt(), given, nanos));
        return renewed.value();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** The host of a base URL, for messages (never the path, which a tenant chose). */
    static String host(String baseUrl) {
        return GuardedHttpEndpoint.host(baseUrl);
    }
}
