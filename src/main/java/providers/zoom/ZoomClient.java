package providers.zoom;

import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
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
 * Zoom's REST API over HTTP through Camel: Zoom has no Camel component, so the adapter has a camel-http component of its
 * own ({@code zoom-http}, a {@link GuardedHttpEndpoint}: hosts resolved through the {@link OutboundGuard}, no redirects
 * followed, no retries) and one endpoint, every request naming its full URL. A file download's redirect to storage is
 * followed once, without the token; the hub retries, never the client.
 *
 * <p>Tokens: a Server-to-Server connection takes its token from {@code POST <tokenUrl>?grant_type=account_credentials&
 * account_id=...} with the client's id and secret as HTTP Basic; it is kept (per connection and credentials) until a
 * minute before {@code expires_in} runs out, and taken again once when the API refuses it (code 124). A token endpoint
 * that refuses the client ({@code invalid_client}) makes the connection auth_failed ({@link TokenLifecycle#rejectedForGood}).
 * An authorization-code connection calls with the token the hub keeps in the vault: refreshed before use when it
 * expires within five minutes, and once when the API refuses it ({@link TokenLifecycle}, which stores Zoom's rotated
 * refresh token under the connection's lock).
 */
@Component
public class ZoomClient {

    static final String PROVIDER_ID = "zoom";
    static final String COMPONENT = "zoom-http";
    static final String DEFAULT_API_URL = "https://api.zoom.us";
    static final String DEFAULT_OAUTH_URL = "https://zoom.us";
    static final String TOKEN_PATH = "/oauth/token";
    static final String ACCOUNT_ID = "accountId";
    static final String CLIENT_ID = "clientId";
    static final String CLIENT_SECRET = "clientSecret";
    static final String BASE_URL = "baseUrl";
    static final String TOKEN_URL = "tokenUrl";
    private static final Duration S2S_REFRESH_AHEAD = Duration.ofSeconds(60);
    private static final Duration OAUTH_REFRESH_AHEAD = Duration.ofMinutes(5);

    /** One answer: its status, JSON body (null when it had none or no JSON), raw bytes and headers. */
    record Answer(int status, JsonNode body, byte[] raw, Function<String, String> header) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** A token this instance holds for a connection: its value, expiry, and (OAuth) the one the credentials held before. */
    private record HeldToken(String value, Instant expiresAt, String replaced, String fingerprint) {
    }

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final ProviderResponses responses;
    private final TokenLifecycle tokens;
    private final AdapterHealths health = new AdapterHealths();
    private final Map<String, HeldToken> heldTokens = new ConcurrentHashMap<>();
    private final GuardedHttpEndpoint http;

    ZoomClient(CamelContext camel, ProducerTemplate producer, ObjectMapper json, ProviderResponses responses, OutboundGuard guard,
               TokenLifecycle tokens,
               @Value("${hub.providers.zoom.request-timeout-ms:30000}") long requestTimeoutMs,
               @Value("${hub.providers.zoom.connect-timeout-ms:10000}") long connectTimeoutMs) {
        this.http = new GuardedHttpEndpoint(camel, guard, COMPONENT, DEFAULT_API_URL, requestTimeoutMs, connectTimeoutMs, 32);
        this.producer = producer;
        this.json = json;
        this.responses = responses;
        this.tokens = tokens;
    }

    /** Whether the connection is a user's authorization-code grant (else Server-to-Server). */
    static boolean oauth(ConnectionContext connection) {
        return connection.credential("accessToken") != null;
    }

    /** The API origin (without /v2 and a trailing slash): the token answer's api_url for OAuth, baseUrl for Server-to-Server. */
    static String apiUrl(ConnectionContext connection) {
        String base = oauth(connection) ? connection.credential("instanceUrl") : connection.credential(BASE_URL);
        if (base == null || base.isBlank()) {
            base = DEFAULT_API_URL;
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Server-to-Server: the token URL given, else Zoom's, else (a base URL other than Zoom's API, a sandbox) below the base URL. */
    static String tokenUrl(ConnectionContext connection) {
        String given = connection.credential(TOKEN_URL);
        if (given != null && !given.isBlank()) {
            return given;
        }
        String base = apiUrl(connection);
        return base.equals(DEFAULT_API_URL) ? DEFAULT_OAUTH_URL + TOKEN_PATH : base + TOKEN_PATH;
    }

    /**
     * Sends one request below {@code /v2} and answers Zoom's reply; a failure is thrown classified, unless its status is one
     * of {@code accepted} (a 404 the caller reads as "gone").
     */
    Answer send(ConnectionContext connection, String action, String method, String pathAndQuery, int... accepted) {
        String token = bearer(connection);
        String url = apiUrl(connection) + "/v2" + pathAndQuery;
        Answer answer = exchange(connection, action, method, url, token, null, null);
        if (answer.status() == 401) {
            String renewed = renew(connection, token);
            if (renewed != null) {
                answer = exchange(connection, action, method, url, renewed, null, null);
            }
        }
        return checked(connection, action, answer, accepted);
    }

    /**
     * A recording file's bytes as text (a transcript), from its {@code download_url} with the bearer token; null when the
     * file is gone since it was listed (404). The token goes only to Zoom's own hosts or the API's host; a redirect (to
     * storage) is followed once, without it.
     */
    String download(ConnectionContext connection, String action, String downloadUrl) {
        URI target = URI.create(downloadUrl);
        URI api = URI.create(apiUrl(connection));
        String host = target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT);
        boolean zoomHost = host.equals("zoom.us") || host.endsWith(".zoom.us");
        if (!zoomHost && !(host.equals(api.getHost()) && target.getPort() == api.getPort())) {
            throw new PermanentProviderException("Zoom " + action + " not attempted: the download URL is on neither Zoom's hosts nor the"
                    + " API's (" + host + "), and the token goes nowhere else");
        }
        String token = bearer(connection);
        Answer answer = exchange(connection, action, "GET", downloadUrl, token, null, null);
        if (answer.status() == 401) {
            String renewed = renew(connection, token);
            if (renewed != null) {
                answer = exchange(connection, action, "GET", downloadUrl, renewed, null, null);
            }
        }
        if (answer.status() >= 300 && answer.status() < 400 && answer.header().apply("Location") != null) {
            answer = exchange(connection, action, "GET", target.resolve(answer.header().apply("Location")).toString(), null, null, null);
        }
        checked(connection, action, answer, 404);
        if (answer.status() == 404) {
            return null;
        }
        return answer.raw() == null ? "" : new String(answer.raw(), StandardCharsets.UTF_8);
    }

    private Answer checked(ConnectionContext connection, String action, Answer answer, int... accepted) {
        if (answer.ok() || ProviderResponses.isOneOf(answer.status(), accepted)) {
            health.succeeded(connection);
            return answer;
        }
        ProviderException failure = ZoomErrors.fromAnswer(action, answer.status(), answer.body(), answer.header(), Instant.now());
        if (failure.kind() == ProviderException.Kind.PERMANENT) {
            health.succeeded(connection);
        } else {
            health.failed(connection, failure);
        }
        throw failure;
    }

    private Answer exchange(ConnectionContext connection, String action, String method, String url, String bearer, String basic,
                            String form) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        } else if (basic != null) {
            headers.put("Authorization", "Basic " + basic);
        }
        headers.put("Accept", "application/json");
        GuardedHttpEndpoint.Reply reply = http.request(producer, method, url, headers, "application/x-www-form-urlencoded", form);
        if (reply.failure() != null) {
            throw health.failed(connection, ZoomErrors.noAnswer(action, reply.failure()));
        }
        responses.received(PROVIDER_ID, connection.integrationId(), reply.status(), reply.header());
        return new Answer(reply.status(), reply.json(json), reply.body(), reply.header());
    }

    /** A 2xx answer's body as JSON; an answer that is not is Zoom failing, not the request. */
    JsonNode body(Answer answer, String what) {
        if (answer.body() == null || !answer.body().isObject()) {
            throw new PermanentProviderException("Zoom returned an unreadable " + what + ": " + ZoomErrors.NOT_ZOOM);
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

    // ------------------------------------------------------------------ tokens

    /** The token to send now. */
    private String bearer(ConnectionContext connection) {
        return oauth(connection) ? userToken(connection) : accountToken(connection, false);
    }

    /** The API refused {@code rejected}: the token to try once more with, or null. */
    private String renew(ConnectionContext connection, String rejected) {
        if (!oauth(connection)) {
            return accountToken(connection, true);
        }
        TokenLifecycle.Outcome outcome = tokens.refreshRejected(connection.integrationId(), rejected);
        if (outcome != TokenLifecycle.Outcome.REFRESHED && outcome != TokenLifecycle.Outcome.STILL_FRESH) {
            return null;
        }
        String current = tokens.currentAccessToken(connection.integrationId()).orElse(null);
        if (current == null || current.equals(rejected)) {
            return null;
        }
        heldTokens.put(connection.integrationId(), new HeldToken(current, null, connection.credential("accessToken"), null));
        return current;
    }

    /** Authorization code: the vault's token (or the one this instance refreshed it to), refreshed first when it expires soon. */
    private String userToken(ConnectionContext connection) {
        String given = connection.credential("accessToken");
        HeldToken held = heldTokens.get(connection.integrationId());
        boolean useHeld = held != null && held.fingerprint() == null && (held.value().equals(given) || given.equals(held.replaced()));
        String token = useHeld ? held.value() : given;
        Instant expiresAt = useHeld ? held.expiresAt() : instant(connection.credential("expiresAt"));
        if (expiresAt != null && expiresAt.isBefore(Instant.now().plus(OAUTH_REFRESH_AHEAD))) {
            TokenLifecycle.AccessToken fresh = tokens.refreshForUse(connection.integrationId()).orElse(null);
            if (fresh != null && !fresh.value().equals(token)) {
                heldTokens.put(connection.integrationId(), new HeldToken(fresh.value(), fresh.expiresAt(), given, null));
                return fresh.value();
            }
        }
        return token;
    }

    /** Server-to-Server: the kept token, or a new one ({@code fresh}: always a new one). */
    private String accountToken(ConnectionContext connection, boolean fresh) {
        String fingerprint = connection.fingerprint();
        HeldToken held = heldTokens.get(connection.integrationId());
        if (!fresh && held != null && fingerprint.equals(held.fingerprint()) && held.expiresAt().isAfter(Instant.now().plus(S2S_REFRESH_AHEAD))) {
            return held.value();
        }
        String accountId = connection.credential(ACCOUNT_ID);
        String clientId = connection.credential(CLIENT_ID);
        String secret = connection.credential(CLIENT_SECRET);
        if (accountId == null || clientId == null || secret == null) {
            throw new AuthProviderException("Zoom call not attempted: the connection has no account id, client id or client secret; reconnect",
                    0, null);
        }
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        String form = "grant_type=account_credentials&account_id=" + URLEncoder.encode(accountId, StandardCharsets.UTF_8);
        Answer answer = exchange(connection, "token request", "POST", tokenUrl(connection), null, basic, form);
        if (!answer.ok() || answer.body() == null || !answer.body().path("access_token").isTextual()) {
            String reason = "Zoom refused the Server-to-Server token request (HTTP " + answer.status() + "): " + ZoomErrors.reason(answer.body());
            if (answer.status() == 400 || answer.status() == 401) {
                // the account, client id or secret are wrong or revoked: they do not come back by themselves
                if (connection.integrationId() != null) {
                    tokens.rejectedForGood(connection.integrationId(), CLIENT_SECRET, secret, reason);
                }
                throw health.failed(connection, new AuthProviderException(reason, answer.status(), null));
            }
            throw health.failed(connection, ZoomErrors.fromAnswer("token request", answer.status(), answer.body(), answer.header(), Instant.now()));
        }
        long expiresIn = answer.body().path("expires_in").asLong(3600);
        HeldToken token = new HeldToken(answer.body().path("access_token").asText(), Instant.now().plusSeconds(expiresIn), null, fingerprint);
        heldTokens.put(connection.integrationId(), token);
        return token.value();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ plumbing

    @PreDestroy
    void close() {
        http.close();
    }

    static String host(String url) {
        return GuardedHttpEndpoint.host(url);
    }
}
