package providers.gong;

import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

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
 * Gong's API v2 over HTTP through Camel: Gong has no Camel component, so the client has a camel-http component of its
 * own ({@code gong-http}, a {@link GuardedHttpEndpoint}: hosts resolved through the {@link OutboundGuard}, no redirects,
 * the hub retries, never the client). A request authenticates with Basic (access key and its secret) or with the OAuth access
 * token the hub holds, against the connection's API base: the {@code baseUrl} given with the access key, or the
 * {@code api_base_url_for_customer} of the token answer. A 401 on an OAuth connection makes the hub refresh the token
 * (single-use refresh tokens, once per connection across instances, {@link TokenLifecycle#refreshRejected}) and the
 * request is made once more. Every request first counts against the integration's {@link DailyAllowance}.
 */
@Component
public class GongClient {

    static final String PROVIDER_ID = "gong";
    static final String COMPONENT = "gong-http";
    static final String DEFAULT_BASE_URL = "https://api.gong.io";
    static final String ACCESS_KEY = "accessKey";
    static final String ACCESS_KEY_SECRET = "accessKeySecret";
    static final String BASE_URL = "baseUrl";
    static final String ACCESS_TOKEN = "accessToken";
    /** Where the OAuth connection keeps the token answer's api_base_url_for_customer. */
    static final String INSTANCE_URL = "instanceUrl";

    /** An access token refreshed for a connection, and the one its credentials held before. */
    private record HeldToken(String value, String replaced) {
    }

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final ProviderResponses responses;
    private final TokenLifecycle tokens;
    private final DailyAllowance daily;
    private final AdapterHealths health = new AdapterHealths();
    private final Map<String, HeldToken> heldTokens = new ConcurrentHashMap<>();
    private final GuardedHttpEndpoint http;

    GongClient(CamelContext camel, ProducerTemplate producer, ObjectMapper json, ProviderResponses responses, OutboundGuard guard,
               TokenLifecycle tokens, @Value("${hub.providers.gong.daily-limit:10000}") int dailyLimit,
               @Value("${hub.providers.gong.request-timeout-ms:30000}") long requestTimeoutMs,
               @Value("${hub.providers.gong.connect-timeout-ms:10000}") long connectTimeoutMs) {
        this.producer = producer;
        this.json = json;
        this.responses = responses;
        this.tokens = tokens;
        this.daily = new DailyAllowance(dailyLimit, Clock.systemUTC());
        this.http = new GuardedHttpEndpoint(camel, guard, COMPONENT, DEFAULT_BASE_URL, requestTimeoutMs, connectTimeoutMs, 16);
    }

    static boolean oauth(ConnectionContext connection) {
        return connection.credential("clientId") != null;
    }

    /** The API base of a connection (without /v2 and without a trailing slash). */
    static String baseUrl(ConnectionContext connection) {
        String base = oauth(connection) ? connection.credential(INSTANCE_URL) : connection.credential(BASE_URL);
        if (base == null || base.isBlank()) {
            if (oauth(connection)) {
                throw new AuthProviderException("Gong call not attempted: the OAuth connection has no API base"
                        + " (api_base_url_for_customer of the token answer); reconnect", 0, null);
            }
            base = DEFAULT_BASE_URL;
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /**
     * Sends one request ({@code /v2/...}) and answers Gong's reply; a failure is thrown classified, unless its status is
     * one of {@code accepted} (the 404 of a window without calls).
     */
    GuardedHttpEndpoint.JsonAnswer send(ConnectionContext connection, String action, String method, String pathAndQuery, Object body, int... accepted) {
        daily.take(connection.integrationId());
        String authorization = authorization(connection);
        GuardedHttpEndpoint.JsonAnswer answer = exchange(connection, action, method, pathAndQuery, body, authorization);
        if (answer.status() == 401 && oauth(connection)) {
            String renewed = renew(connection, authorization.substring("Bearer ".length()));
            if (renewed != null) {
                daily.take(connection.integrationId());
                answer = exchange(connection, action, method, pathAndQuery, body, "Bearer " + renewed);
            }
        }
        if (answer.ok() || answer.isOneOf(accepted)) {
            health.succeeded(connection);
            return answer;
        }
        ProviderException failure = GongErrors.fromAnswer(action, answer.status(), answer.body(), answer.header());
        if (failure.kind() == ProviderException.Kind.PERMANENT) {
            health.succeeded(connection);
        } else {
            health.failed(connection, failure);
        }
        if (failure.kind() == ProviderException.Kind.AUTH && !oauth(connection) && connection.integrationId() != null) {
            // an access key Gong refuses does not come back: auth_failed until it is reconnected
            tokens.rejectedForGood(connection.integrationId(), ACCESS_KEY_SECRET, connection.credential(ACCESS_KEY_SECRET), failure.getMessage());
        }
        throw failure;
    }

    private GuardedHttpEndpoint.JsonAnswer exchange(ConnectionContext connection, String action, String method, String pathAndQuery, Object body, String authorization) {
        String url = baseUrl(connection) + pathAndQuery;
        String payload = body == null ? null : GuardedHttpEndpoint.write(json, body);
        GuardedHttpEndpoint.JsonAnswer answer = http.send(producer, json, method, url, Map.of("Authorization", authorization), payload,
                failure -> health.failed(connection, GongErrors.noAnswer(action, failure)));
        responses.received(PROVIDER_ID, connection.integrationId(), answer.status(), answer.header());
        return answer;
    }

    /** A 2xx answer's body as JSON; an answer that is not is Gong failing, not the request. */
    JsonNode body(GuardedHttpEndpoint.JsonAnswer answer, String what) {
        if (answer.body() == null || !answer.body().isObject()) {
            throw new PermanentProviderException("Gong returned an unreadable " + what + ": " + GongErrors.NOT_GONG);
        }
        return answer.body();
    }

    AdapterHealth health(ConnectionContext connection) {
        return health.of(connection);
    }

    void forget(String integrationId) {
        health.forget(integrationId);
        heldTokens.remove(integrationId);
    }

    /** Basic with the access key and its secret, or Bearer with the OAuth token (the one this instance refreshed, if any). */
    private String authorization(ConnectionContext connection) {
        if (!oauth(connection)) {
            String key = connection.credential(ACCESS_KEY);
            String secret = connection.credential(ACCESS_KEY_SECRET);
            if (key == null || secret == null) {
                throw new AuthProviderException("Gong call not attempted: the connection has no access key and secret; reconnect", 0, null);
            }
            return "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
        }
        String given = connection.credential(ACCESS_TOKEN);
        if (given == null) {
            throw new AuthProviderException("Gong call not attempted: the connection has no access token; reconnect", 0, null);
        }
        HeldToken held = heldTokens.get(connection.integrationId());
        return "Bearer " + (held != null && (held.value().equals(given) || given.equals(held.replaced())) ? held.value() : given);
    }

    /** The access token after Gong refused {@code rejected}: refreshed by the hub (or by another refresher); null when none. */
    private String renew(ConnectionContext connection, String rejected) {
        TokenLifecycle.Outcome outcome = tokens.refreshRejected(connection.integrationId(), rejected);
        if (outcome != TokenLifecycle.Outcome.REFRESHED && outcome != TokenLifecycle.Outcome.STILL_FRESH) {
            return null;
        }
        String current = tokens.currentAccessToken(connection.integrationId()).orElse(null);
        if (current == null || current.equals(rejected)) {
            return null;
        }
        heldTokens.put(connection.integrationId(), new HeldToken(current, connection.credential(ACCESS_TOKEN)));
        return current;
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
