package providers.github;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import providers.AdapterHealth;
import providers.AdapterHealths;
import providers.AuthProviderException;
import providers.ConnectionContext;
import providers.PermanentProviderException;
import providers.ProviderException;
import providers.ProviderResponses;
import providers.RateLimitedProviderException;
import providers.TransientProviderException;
import security.OutboundGuard;
import security.RefusedAddressException;
import security.TokenLifecycle;

/**
 * GitHub's REST API over the JDK's HTTP client, the host checked by the {@link OutboundGuard} before every call (redirects
 * are not followed). Sends {@code Authorization: token <t>}, {@code Accept: application/vnd.github+json} and the API
 * version; reports every answer's status and headers ({@code x-ratelimit-*}, {@code retry-after}) to
 * {@link ProviderResponses}. GETs are conditional: the ETag of each URL is kept per integration ({@link ConditionalPages},
 * {@code hub.providers.github.etag-cache-mb} for all together), and a 304 (which costs no rate budget at GitHub) answers
 * the body kept with it. Failures come back classified: 401 auth; 403/429 with
 * {@code x-ratelimit-remaining: 0} (primary) or {@code retry-after} / "secondary rate limit" rate-limited with the
 * wait; 5xx and no answer transient; the rest permanent, with GitHub's message.
 */
@Component
public class GitHubApi {

    static final String PROVIDER_ID = "github";
    static final String ACCESS_TOKEN = "accessToken";
    static final String BASE_URL = "baseUrl";
    static final String DEFAULT_BASE_URL = "https://api.github.com";
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    /** One answer: its status, JSON body (null for none), headers, the next page's URL and whether it came from a 304. */
    record Answer(int status, JsonNode body, Function<String, String> header, String next, boolean notModified) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final ObjectMapper json;
    private final ProviderResponses responses;
    private final OutboundGuard guard;
    private final TokenLifecycle tokens;
    private final Duration timeout;
    private final HttpClient http;
    private final ConditionalPages etags;
    private final AdapterHealths health = new AdapterHealths();

    GitHubApi(ObjectMapper json, ProviderResponses responses, OutboundGuard guard, TokenLifecycle tokens,
              @Value("${hub.providers.github.request-timeout-ms:30000}") long requestTimeoutMs,
              @Value("${hub.providers.github.etag-cache-mb:64}") long etagCacheMb) {
        this.etags = new ConditionalPages(etagCacheMb * 1024 * 1024);
        this.json = json;
        this.responses = responses;
        this.guard = guard;
        this.tokens = tokens;
        this.timeout = Duration.ofMillis(Math.max(1000, requestTimeoutMs));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The API base URL of a connection, without a trailing slash (an OAuth connection's is derived from its token URL). */
    static String baseUrl(ConnectionContext connection) {
        String base = connection.credential(BASE_URL);
        if (base == null && connection.credential("tokenUrl") != null) {
            String tokenUrl = connection.credential("tokenUrl");
            int at = tokenUrl.indexOf(GitHubOAuthServer.TOKEN_PATH);
            base = at < 0 ? null : tokenUrl.substring(0, at);
            if ("https://github.com".equals(base)) {
                base = DEFAULT_BASE_URL;
            }
        }
        if (base == null || base.isBlank()) {
            base = DEFAULT_BASE_URL;
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "?" : host;
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    /**
     * Sends one request; a failure is thrown classified unless its status is {@code accepted}.
     *
     * @param pathOrUrl below the base URL starting with '/', or a next-page URL GitHub gave (which must be below the base)
     * @param body JSON-serialisable, or null
     */
    Answer send(ConnectionContext connection, String action, String method, String pathOrUrl, Object body, int... accepted) {
        String base = baseUrl(connection);
        String url = pathOrUrl.startsWith("/") ? base + pathOrUrl : pathOrUrl;
        if (!url.startsWith(base + "/")) {
            throw new PermanentProviderException("GitHub " + action + ": a page link leads away from the API (" + host(url) + ")");
        }
        String token = connection.credential(ACCESS_TOKEN);
        if (token == null || token.isBlank()) {
            throw new AuthProviderException("GitHub call not attempted: the connection has no access token; reconnect", 0, null);
        }
        URI uri;
        try {
            uri = guard.check(url);
        } catch (RefusedAddressException e) {
            throw new PermanentProviderException("GitHub " + action + ": " + e.getMessage());
        } catch (IOException e) {
            throw noAnswer(connection, action, e);
        }
        boolean get = method.equals("GET");
        ConditionalPages.Page cached = get ? etags.get(connection.integrationId(), url) : null;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "token " + token)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "castiel-integration-hub");
        if (cached != null) {
            request.header("If-None-Match", cached.etag());
        }
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(write(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw noAnswer(connection, action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientProviderException("GitHub " + action + " interrupted", 0, e);
        }
        int status = response.statusCode();
        Function<String, String> header = name -> response.headers().firstValue(name).orElse(null);
        responses.received(PROVIDER_ID, connection.integrationId(), status, header);
        if (status == 304 && cached != null) {
            health.succeeded(connection);
            return new Answer(200, parse(cached.body()), header, cached.next(), true);
        }
        String next = next(header.apply("Link"));
        JsonNode parsed = parse(response.body());
        if (status >= 200 && status < 300 || ProviderResponses.isOneOf(status, accepted)) {
            String etag = header.apply("ETag");
            if (get && status == 200 && etag != null) {
                etags.put(connection.integrationId(), url, new ConditionalPages.Page(etag, response.body(), next));
            }
            health.succeeded(connection);
            return new Answer(status, parsed, header, next, false);
        }
        ProviderException failure = failure(action, status, parsed, header, Instant.now());
        if (status == 401 && connection.integrationId() != null) {
            // a personal access token or OAuth app token GitHub refuses does not come back: the integration is auth_failed
            tokens.rejectedForGood(connection.integrationId(), token, failure.getMessage());
        }
        if (failure.kind() == ProviderException.Kind.PERMANENT) {
            health.succeeded(connection);
        } else {
            health.failed(connection, failure);
        }
        throw failure;
    }

    /** A 2xx answer's body as JSON; one that is not is GitHub failing, not the request. */
    JsonNode body(Answer answer, String what) {
        if (answer.body() == null) {
            throw new PermanentProviderException("GitHub returned an unreadable " + what);
        }
        return answer.body();
    }

    AdapterHealth health(ConnectionContext connection) {
        return health.of(connection);
    }

    /** Forgets the integration's ETags and health. */
    void forget(String integrationId) {
        etags.forget(integrationId);
        health.forget(integrationId);
    }

    /** GitHub's answer as the hub's failure kinds. */
    static ProviderException failure(String action, int status, JsonNode body, Function<String, String> header, Instant now) {
        String message = body != null && body.path("message").isTextual() ? body.path("message").asText() : "HTTP " + status;
        String detail = "GitHub " + action + " failed (" + status + "): " + message;
        if (status == 401) {
            return new AuthProviderException(detail + "; the token is invalid, expired or revoked: reconnect", status, null);
        }
        String remaining = header.apply("x-ratelimit-remaining");
        String retryAfter = header.apply("retry-after");
        boolean secondary = message.toLowerCase(Locale.ROOT).contains("secondary rate limit");
        if ((status == 403 || status == 429) && ("0".equals(remaining) || retryAfter != null || secondary || status == 429)) {
            Duration wait;
            if (retryAfter != null && retryAfter.trim().matches("[0-9]{1,7}")) {
                wait = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
            } else if ("0".equals(remaining) && header.apply("x-ratelimit-reset") != null
                    && header.apply("x-ratelimit-reset").trim().matches("[0-9]{1,12}")) {
                wait = Duration.ofSeconds(Math.max(1, Long.parseLong(header.apply("x-ratelimit-reset").trim()) - now.getEpochSecond()));
            } else {
                wait = Duration.ofSeconds(60);
            }
            return new RateLimitedProviderException(detail, status, wait);
        }
        if (status >= 500 || status == 408) {
            return new TransientProviderException(detail, status, null);
        }
        if (status == 422 && body != null && body.path("errors").isArray() && !body.path("errors").isEmpty()) {
            StringBuilder errors = new StringBuilder();
            body.path("errors").forEach(e -> errors.append(errors.length() == 0 ? "" : ", ").append(e.path("field").asText("?"))
                    .append(' ').append(e.path("code").asText("invalid")));
            return new PermanentProviderException(detail + " [" + errors + "]", status, null);
        }
        return new PermanentProviderException(detail, status, null);
    }

    static String next(String link) {
        if (link == null) {
            return null;
        }
        Matcher matcher = NEXT.matcher(link);
        return matcher.find() ? matcher.group(1) : null;
    }

    private ProviderException noAnswer(ConnectionContext connection, String action, IOException e) {
        ProviderException failure = new TransientProviderException("GitHub " + action + ": no answer (" + e.getClass().getSimpleName() + ")", 0, e);
        health.failed(connection, failure);
        return failure;
    }

    private JsonNode parse(byte[] body) {
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

    private byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new PermanentProviderException("record cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

}
