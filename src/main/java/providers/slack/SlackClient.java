package providers.slack;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import providers.AdapterHealth;
import providers.AdapterHealths;
import providers.AuthProviderException;
import providers.ConnectionContext;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.TransientProviderException;
import security.TokenLifecycle;

/**
 * Slack's Web API through the Java client camel-slack ships ({@code com.slack.api} slack-api-client): one client per API
 * URL (Slack's, or a sandbox's {@code .../api/}), a {@link MethodsClient} per call with the connection's token. Answers
 * with {@code ok:false} and 429s become {@link ProviderException}s ({@link SlackErrors}); the client's own team-id lookup
 * for metrics is off, so every call it makes is one the adapter asked for.
 */
@Component
public class SlackClient {

    public static final String PROVIDER_ID = "slack";
    public static final String DEFAULT_API_URL = "https://slack.com/api/";
    /** The bot token: pasted by the user (xoxb-...), or stored by the OAuth v2 flow. */
    static final String ACCESS_TOKEN = "accessToken";
    static final String API_URL = "apiUrl";

    /** One call of the client, which may fail as the client fails. */
    @FunctionalInterface
    interface Call<T> {
        T run(MethodsClient methods) throws IOException, SlackApiException;
    }

    /** An OAuth token this close to its expiry is refreshed before it is used. */
    static final Duration REFRESH_WITHIN = Duration.ofMinutes(5);

    private final Map<String, Slack> clients = new ConcurrentHashMap<>();
    private final AdapterHealths health = new AdapterHealths();
    /** Tokens this instance refreshed, per integration, used in place of the older one the connection still holds. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final TokenLifecycle tokens;
    private final int timeoutMs;

    private record Held(String value, Instant expiresAt, String replaced) {
    }

    public SlackClient(TokenLifecycle tokens, @Value("${hub.providers.slack.request-timeout-ms:30000}") int timeoutMs) {
        this.tokens = tokens;
        this.timeoutMs = Math.max(1000, timeoutMs);
    }

    /**
     * The connection's API URL, ending in {@code /}: its {@code apiUrl}, else the one under its OAuth token URL
     * ({@code .../api/oauth.v2.access}), else Slack's.
     */
    static String apiUrl(ConnectionContext connection) {
        String url = connection.credential(API_URL);
        if (url == null) {
            String tokenUrl = connection.credential("tokenUrl");
            if (tokenUrl != null && tokenUrl.endsWith("oauth.v2.access")) {
                url = tokenUrl.substring(0, tokenUrl.length() - "oauth.v2.access".length());
            }
        }
        if (url == null || url.isBlank()) {
            return DEFAULT_API_URL;
        }
        return url.endsWith("/") ? url : url + "/";
    }

    static String token(ConnectionContext connection) {
        return connection.credential(ACCESS_TOKEN);
    }

    /**
     * The token to send. A pasted bot token is sent as it is. An OAuth token (rotating: it expires after 12 hours) about to
     * expire is refreshed first through the hub's token lifecycle, which holds the refresh token and stores the new pair.
     */
    private String bearer(ConnectionContext connection) {
        String given = token(connection);
        if (given == null || given.isBlank() || connection.credential("clientId") == null) {
            return given;
        }
        Held newer = held.get(connection.integrationId());
        boolean heldIsNewer = newer != null && (newer.value().equals(given) || given.equals(newer.replaced()));
        String token = heldIsNewer ? newer.value() : given;
        Instant expiresAt = heldIsNewer ? newer.expiresAt() : instant(connection.credential("expiresAt"));
        Instant now = Instant.now();
        if (expiresAt == null || expiresAt.isAfter(now.plus(REFRESH_WITHIN))) {
            return token;
        }
        TokenLifecycle.AccessToken renewed = tokens.refreshForUse(connection.integrationId()).orElse(null);
        if (renewed == null) {
            if (!expiresAt.isAfter(now)) {
                throw new AuthProviderException("Slack call not attempted: the access token expired and could not be refreshed; reconnect",
                        0, null);
            }
            return token;
        }
        held.put(connection.integrationId(), new Held(renewed.value(), renewed.expiresAt(), given));
        return renewed.value();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String host(String apiUrl) {
        try {
            return URI.create(apiUrl).getHost();
        } catch (IllegalArgumentException e) {
            return "slack";
        }
    }

    /**
     * Runs one Web API call for the connection. {@code channel} is named in a channel's errors.
     *
     * @throws ProviderException classified: the token's errors as auth, 429 and {@code ratelimited} as rate-limited, the rest
     */
    <T extends SlackApiTextResponse> T call(ConnectionContext connection, String method, String channel, Call<T> call) {
        String token = bearer(connection);
        if (token == null || token.isBlank()) {
            throw fail(connection, SlackErrors.of(method, "not_authed", channel, null));
        }
        T answer;
        try {
            answer = call.run(slack(apiUrl(connection)).methods(token));
        } catch (SlackApiException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().code();
            throw fail(connection, status == 429 ? SlackErrors.rateLimited(method, e.getResponse().header("Retry-After"))
                    : SlackErrors.http(method, status));
        } catch (IOException e) {
            throw fail(connection, new TransientProviderException("Slack " + method + " could not be reached at "
                    + host(apiUrl(connection)) + ": " + e.getClass().getSimpleName(), 0, e));
        } catch (RuntimeException e) {
            // the client could not read the answer (not Slack's JSON)
            throw fail(connection, new PermanentProviderException("Slack " + method + " answered something that is not Slack's JSON ("
                    + e.getClass().getSimpleName() + ")", 0, e));
        }
        if (answer == null) {
            throw fail(connection, new PermanentProviderException("Slack " + method + " answered without a body"));
        }
        if (!answer.isOk()) {
            ProviderException failure = SlackErrors.of(method, answer.getError(), channel, answer.getNeeded());
            if (failure.kind() == ProviderException.Kind.AUTH && connection.integrationId() != null) {
                // a revoked or refused token does not come back (a rotating one is refreshed before it expires): auth_failed
                tokens.rejectedForGood(connection.integrationId(), token, failure.getMessage());
            }
            throw fail(connection, failure);
        }
        health.succeeded(connection);
        return answer;
    }

    private ProviderException fail(ConnectionContext connection, ProviderException e) {
        return health.failed(connection, e);
    }

    AdapterHealth health(ConnectionContext connection) {
        return health.of(connection);
    }

    void forget(String integrationId) {
        health.forget(integrationId);
        held.remove(integrationId);
    }

    private Slack slack(String apiUrl) {
        return clients.computeIfAbsent(apiUrl, url -> {
            SlackConfig config = new SlackConfig();
            config.setMethodsEndpointUrlPrefix(url);
            config.setStatsEnabled(false);
            config.setFailOnUnknownProperties(false);
            config.setPrettyResponseLoggingEnabled(false);
            config.setHttpClientReadTimeoutMillis(timeoutMs);
            config.setHttpClientWriteTimeoutMillis(timeoutMs);
            config.setHttpClientCallTimeoutMillis(timeoutMs);
            return Slack.getInstance(config);
        });
    }
}
