package providers.notion;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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
 * Notion's REST API over HTTP through Camel: Notion has no Camel component, so the adapter has a camel-http component of
 * its own ({@code notion-http}) and one endpoint, every request naming its full URL ({@code CamelHttpUri}), as the
 * HubSpot client does. The pool resolves hosts through the {@link OutboundGuard}; redirects are not followed; the hub
 * retries, never the client. Every request carries {@code Notion-Version: 2025-09-03} and the bearer token (an internal
 * integration token, or the OAuth access token the hub holds). Notion's access tokens carry no expiry: a 401 on an OAuth
 * connection makes the hub refresh the token (rotating the refresh token, once per connection across instances,
 * {@link TokenLifecycle#refreshRejected}) and the call is made once more with the new one.
 */
@Component
public class NotionClient {

    static final String PROVIDER_ID = "notion";
    static final String COMPONENT = "notion-http";
    static final String DEFAULT_BASE_URL = "https://api.notion.com";
    static final String NOTION_VERSION = "2025-09-03";
    static final String ACCESS_TOKEN = "accessToken";
    static final String BASE_URL = "baseUrl";
    static final String TOKEN_PATH = "/v1/oauth/token";

    /** One answer: its status, JSON body (null when it had none) and headers. */
    record Answer(int status, JsonNode body, Function<String, String> header) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** An access token refreshed for a connection, and the one its credentials held before. */
    private record HeldToken(String value, String replaced) {
    }

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final ProviderResponses responses;
    private final TokenLifecycle tokens;
    private final AdapterHealths health = new AdapterHealths();
    private final Map<String, HeldToken> heldTokens = new ConcurrentHashMap<>();
    private final GuardedHttpEndpoint http;

    NotionClient(CamelContext camel, ProducerTemplate producer, ObjectMapper json, ProviderResponses responses, OutboundGuard guard,
                 TokenLifecycle tokens,
                 @Value("${hub.providers.notion.request-timeout-ms:30000}") long requestTimeoutMs,
                 @Value("${hub.providers.notion.connect-timeout-ms:10000}") long connectTimeoutMs) {
        this.producer = producer;
        this.json = json;
        this.responses = responses;
        this.tokens = tokens;
        this.http = new GuardedHttpEndpoint(camel, guard, COMPONENT, DEFAULT_BASE_URL, requestTimeoutMs, connectTimeoutMs, 32);
    }

    /** The API base URL of a connection (without /v1 and without a trailing slash). */
    static String baseUrl(ConnectionContext connection) {
        String base = connection.credential(BASE_URL);
        String tokenUrl = connection.credential("tokenUrl");
        if (base == null && tokenUrl != null && tokenUrl.endsWith(TOKEN_PATH)) {
            base = tokenUrl.substring(0, tokenUrl.length() - TOKEN_PATH.length());
        }
        if (base == null || base.isBlank()) {
            base = DEFAULT_BASE_URL;
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    static boolean oauth(ConnectionContext connection) {
        return connection.credential("clientId") != null;
    }

    /**
     * Sends one request below {@code /v1} and answers Notion's reply; a failure is thrown classified, unless its status
     * is one of {@code accepted} (a 404 the caller reads as "gone").
     */
    Answer send(ConnectionContext connection, String action, String method, String pathAndQuery, Object body, int... accepted) {
        String token = bearer(connection);
        Answer answer = exchange(connection, action, method, pathAndQuery, body, token);
        if (answer.status() == 401 && oauth(connection)) {
            String renewed = renew(connection, token);
            if (renewed != null) {
                answer = exchange(connection, action, method, pathAndQuery, body, renewed);
            }
        }
        if (answer.ok() || ProviderResponses.isOneOf(answer.status(), accepted)) {
            health.succeeded(connection);
            return answer;
        }
        ProviderException failure = NotionErrors.fromAnswer(action, answer.status(), answer.body(), answer.header(), Instant.now());
        if (failure.kind() == ProviderException.Kind.PERMANENT || failure.kind() == ProviderException.Kind.CONFLICT) {
            health.succeeded(connection);
        } else {
            health.failed(connection, failure);
        }
        if (failure.kind() == ProviderException.Kind.AUTH && !oauth(connection) && connection.integrationId() != null) {
            // an internal integration token Notion refuses does not come back: auth_failed until it is reconnected
            tokens.rejectedForGood(connection.integrationId(), token, failure.getMessage());
        }
        throw failure;
    }

    private Answer exchange(ConnectionContext connection, String action, String method, String pathAndQuery, Object body, String token) {
        String url = baseUrl(connection) + "/v1" + pathAndQuery;
        String payload = body == null ? null : GuardedHttpEndpoint.write(json, body);
        GuardedHttpEndpoint.JsonAnswer answer = http.send(producer, json, method, url, Map.of("Authorization", "Bearer " + token,
                "Notion-Version", NOTION_VERSION), payload, failure -> health.failed(connection, NotionErrors.noAnswer(action, failure)));
        responses.received(PROVIDER_ID, connection.integrationId(), answer.status(), answer.header());
        return new Answer(answer.status(), answer.body(), answer.header());
    }

    /** A 2xx answer's body as JSON; an answer that is not is Notion failing, not the request. */
    JsonNode body(Answer answer, String what) {
        if (answer.body() == null || !answer.body().isObject()) {
            throw new PermanentProviderException("Notion returned an unreadable " + what + ": " + NotionErrors.NOT_NOTION);
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

    /** The token to send: the connection's, or the one this instance got by refreshing it. */
    private String bearer(ConnectionContext connection) {
        String given = connection.credential(ACCESS_TOKEN);
        if (given == null) {
            throw new AuthProviderException("Notion call not attempted: the connection has no access token; reconnect", 0, null);
        }
        HeldToken held = oauth(connection) ? heldTokens.get(connection.integrationId()) : null;
        return held != null && (held.value().equals(given) || given.equals(held.replaced())) ? held.value() : given;
    }

    /** The access token after Notion refused {@code rejected}: refreshed by the hub (or by another refresher); null when none. */
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

    static String host(String baseUrl) {
        return GuardedHttpEndpoint.host(baseUrl);
    }
}
