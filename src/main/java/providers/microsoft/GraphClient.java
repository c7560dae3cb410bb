package providers.microsoft;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import providers.AdapterHealth;
import providers.AdapterHealths;
import providers.AuthProviderException;
import providers.ConnectionContext;
import providers.ConnectionTestResult;
import providers.GuardedHttpEndpoint;
import providers.PermanentProviderException;
import providers.ProviderDescriptor;
import providers.ProviderException;
import providers.ProviderFailures;
import providers.ProviderResponses;
import providers.RateLimitedProviderException;
import providers.TransientProviderException;
import providers.WebhookSubscription;
import security.InvalidCredentialsException;
import security.OutboundGuard;
import security.SandboxTrust;
import security.TokenLifecycle;

/**
 * Microsoft Graph v1.0 as the Teams and OneDrive adapters call it: one camel-http component ({@value #COMPONENT}) through
 * the outbound guard, whose https connections trust {@link SandboxTrust} (the JDK's authorities, and the hub's sandbox TLS
 * port in the default profile); tokens from {@link EntraSessions} (app-only from Entra's client credentials grant with
 * scope {@code https://graph.microsoft.com/.default}, or the vault's delegated token, refreshed), a 401 taking a new one
 * once; every answer reported to the rate gate under the connection's provider.
 * <p>
 * Reads ({@link #get}) follow a path below the connection's Graph base or a link Graph handed out
 * ({@code @odata.nextLink}, {@code @odata.deltaLink}) verbatim, and throw Graph's refusals classified: 401/403 auth,
 * 429/503/504 rate-limited with {@code Retry-After}, other 5xx transient, 404 {@link GraphNotFoundException}, 410
 * {@link GraphResyncRequiredException} with its {@code Location}, other 4xx permanent, each naming Graph's error code.
 * <p>
 * Change notifications: one hub webhook registration is several Graph subscriptions (one per channel, one per drive
 * root), all sending to the registration's URL (notifications and lifecycle events alike) with its secret as
 * {@code clientState}; their ids, joined by spaces, are the registration's provider id.
 */
@Component
public class GraphClient implements DisposableBean {

    public static final String COMPONENT = "graph-http";
    /** The Graph API base a connection calls, {@code https://graph.microsoft.com/v1.0} unless given. */
    public static final String GRAPH_URL = "graphUrl";
    public static final String DEFAULT_GRAPH_URL = "https://graph.microsoft.com/v1.0";
    /** The fields of a Graph connection's app-only credentials (Teams and OneDrive alike). */
    public static final List<ProviderDescriptor.CredentialField> CREDENTIAL_FIELDS = List.of(
            new ProviderDescriptor.CredentialField(EntraSessions.AUTHORITY, true, false,
                    "Entra ID tenant (id or domain) or authority URL, e.g. https://login.microsoftonline.com/<tenant>"),
            new ProviderDescriptor.CredentialField(EntraSessions.CLIENT_ID, true, false, "Application (client) id of the app registration"),
            new ProviderDescriptor.CredentialField(EntraSessions.CLIENT_SECRET, true, true, "Client secret of the app registration"),
            new ProviderDescriptor.CredentialField(GRAPH_URL, false, false, "Graph API base URL, default " + DEFAULT_GRAPH_URL));
    /** Graph's resource: app-only tokens ask for {@code https://graph.microsoft.com/.default}, wherever the API is served. */
    static final URI RESOURCE = URI.create("https://graph.microsoft.com");
    private static final String NOT_GRAPH = "the answer is not Microsoft Graph's (check graphUrl)";

    /** One answer, whatever its status: the status, its JSON body (null when none or no JSON) and a header lookup. */
    public record Answer(int status, JsonNode body, Function<String, String> header) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final GuardedHttpEndpoint http;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final OutboundGuard guard;
    private final ProviderResponses responses;
    private final EntraSessions sessions;
    private final AdapterHealths health = new AdapterHealths();

    GraphClient(CamelContext camel, ProducerTemplate producer, ObjectMapper json, OutboundGuard guard, SandboxTrust trust,
                EntraClientCredentials appTokens, TokenLifecycle tokens, ProviderResponses responses,
                @Value("${hub.providers.graph.request-timeout-ms:30000}") long requestTimeoutMs,
                @Value("${hub.providers.graph.connect-timeout-ms:10000}") long connectTimeoutMs) {
        this.http = new GuardedHttpEndpoint(camel, guard, COMPONENT, DEFAULT_GRAPH_URL, requestTimeoutMs, connectTimeoutMs, 32,
                trust::sslContext);
        this.producer = producer;
        this.json = json;
        this.guard = guard;
        this.responses = responses;
        this.sessions = new EntraSessions("Microsoft Graph", appTokens, tokens,
                connection -> new EntraSessions.Target(connection.credential("accessToken") == null, RESOURCE, base(connection)));
    }

    /**
     * A Graph connection's credentials checked and normalized: the authority (a tenant or an authority URL) and the Graph
     * URL pass the outbound guard; a Graph URL loses its trailing slash.
     *
     * @throws InvalidCredentialsException naming the field at fault
     */
    public Map<String, String> normalizeCredentials(Map<String, String> credentials) {
        Map<String, String> normalized = new LinkedHashMap<>(credentials);
        if (credentials.containsKey(EntraSessions.AUTHORITY)) {
            EntraAuthority authority = EntraAuthority.of(EntraSessions.AUTHORITY, credentials.get(EntraSessions.AUTHORITY));
            guard.checkField(EntraSessions.AUTHORITY, authority.url());
            normalized.put(EntraSessions.AUTHORITY, authority.url());
        }
        String graphUrl = credentials.get(GRAPH_URL);
        if (graphUrl != null && !graphUrl.isBlank()) {
            String text = graphUrl.strip();
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            guard.checkBaseUrl(GRAPH_URL, text, DEFAULT_GRAPH_URL);
            normalized.put(GRAPH_URL, text);
        }
        return normalized;
    }

    /**
     * The connection's Graph base, ending in {@code /} ({@code https://graph.microsoft.com/v1.0/}): its {@code graphUrl};
     * else, for an authorization-code connection, the Graph of the cloud its authority belongs to ({@link #cloudGraphUrl}).
     */
    public URI base(ConnectionContext connection) {
        String given = connection.credential(GRAPH_URL);
        String base = given == null || given.isBlank() ? cloudGraphUrl(connection.credential("tokenUrl")) : given.strip();
        return URI.create(base.endsWith("/") ? base : base + "/");
    }

    /**
     * The Graph endpoint of the cloud whose Entra token endpoint this is: Microsoft's national clouds have a Graph of their
     * own (US Government: {@code login.microsoftonline.us} → {@code graph.microsoft.us}; China:
     * {@code login.chinacloudapi.cn} → {@code microsoftgraph.chinacloudapi.cn}), the hub's Entra sandbox
     * ({@code <origin>/sandbox/entra/<tenant>}) has the Graph sandbox beside it ({@code <origin>/sandbox/graph/v1.0}); any
     * other authority means Graph's global endpoint.
     */
    static String cloudGraphUrl(String tokenUrl) {
        URI authority;
        try {
            authority = tokenUrl == null ? null : URI.create(tokenUrl);
        } catch (IllegalArgumentException e) {
            authority = null;
        }
        if (authority == null || authority.getHost() == null) {
            return DEFAULT_GRAPH_URL;
        }
        String path = authority.getRawPath() == null ? "" : authority.getRawPath();
        int sandbox = path.indexOf("/sandbox/entra/");
        if (sandbox >= 0) {
            String origin = tokenUrl.substring(0, tokenUrl.indexOf(path));
            return origin + path.substring(0, sandbox) + "/sandbox/graph/v1.0";
        }
        return switch (authority.getHost().toLowerCase(java.util.Locale.ROOT)) {
            case "login.microsoftonline.us" -> "https://graph.microsoft.us/v1.0";
            case "login.chinacloudapi.cn", "login.partner.microsoftonline.cn" -> "https://microsoftgraph.chinacloudapi.cn/v1.0";
            default -> DEFAULT_GRAPH_URL;
        };
    }

    /** GETs a path below the base, or a link Graph gave; Graph's refusals are thrown classified. */
    public JsonNode get(ConnectionContext connection, String pathOrLink) {
        Answer answer = send(connection, "GET", pathOrLink, null);
        checked(connection, answer, "GET " + path(pathOrLink));
        if (answer.body() == null || !answer.body().isObject()) {
            throw new PermanentProviderException("Microsoft Graph: " + NOT_GRAPH);
        }
        return answer.body();
    }

    /**
     * One request with the connection's token (a 401 takes a new token and tries once more); the answer whatever its
     * status. No answer at all is thrown classified.
     */
    public Answer send(ConnectionContext connection, String method, String pathOrLink, Object body) {
        String url = url(connection, pathOrLink);
        String payload = body == null ? null : GuardedHttpEndpoint.write(json, body);
        String token = sessions.token(connection);
        Answer answer = exchange(connection, method, url, payload, token);
        if (answer.status() == 401) {
            answer = exchange(connection, method, url, payload, sessions.renew(connection, token));
        }
        return answer;
    }

    /** The connection test: GETs {@code path} and names what answered. */
    public ConnectionTestResult test(ConnectionContext connection, String path, String what) {
        try {
            sessions.close(connection.integrationId());
            get(connection, path);
            return ConnectionTestResult.success("Microsoft Graph at " + base(connection).getHost() + " answered " + what);
        } catch (ProviderException e) {
            return ConnectionTestResult.failure(e.getMessage());
        }
    }

    public AdapterHealth health(ConnectionContext connection) {
        return health.of(connection);
    }

    /** Forgets the integration's session, tokens and health (disconnected). */
    public void close(String integrationId) {
        sessions.close(integrationId);
        health.forget(integrationId);
    }

    // ------------------------------------------------------------------ subscriptions

    /**
     * Subscribes the registration's URL to each resource: notifications and lifecycle events to {@code callbackUrl}, with
     * {@code clientState}, for {@code lifetime}. All or none: a refusal deletes those already made.
     */
    public WebhookSubscription subscribe(ConnectionContext connection, List<String> resources, String changeType, String callbackUrl,
                                         String clientState, Duration lifetime) {
        List<String> ids = new ArrayList<>();
        Instant earliest = null;
        try {
            for (String resource : resources) {
                JsonNode made = create(connection, resource, changeType, callbackUrl, clientState, lifetime);
                ids.add(made.path("id").asText());
                earliest = earlier(earliest, expiry(made));
            }
        } catch (RuntimeException e) {
            ids.forEach(id -> deleteQuietly(connection, id));
            throw e;
        }
        return new WebhookSubscription(String.join(" ", ids), earliest);
    }

    /**
     * Keeps the registration's subscriptions alive, one call each: those Graph still has are extended by {@code lifetime}
     * (the answer names their resource); a wanted resource left with none (Graph dropped it, or it is newly selected) is
     * subscribed again, and the answer then says changes were missed (the hub runs a catch-up pass); ours for resources
     * no longer wanted are deleted.
     */
    public WebhookSubscription renew(ConnectionContext connection, String providerWebhookId, List<String> resources, String changeType,
                                     String callbackUrl, String clientState, Duration lifetime) {
        Map<String, JsonNode> live = new LinkedHashMap<>();
        List<String> unwanted = new ArrayList<>();
        Set<String> wanted = new LinkedHashSet<>();
        resources.forEach(r -> wanted.add(resourceKey(r)));
        for (String id : ids(providerWebhookId)) {
            JsonNode extended = extend(connection, id, lifetime);
            if (extended == null) {
                continue;
            }
            String key = resourceKey(extended.path("resource").asText());
            if (wanted.contains(key) && !live.containsKey(key)) {
                live.put(key, extended);
            } else {
                unwanted.add(id);
            }
        }
        List<String> ids = new ArrayList<>();
        Instant earliest = null;
        boolean missed = false;
        for (String resource : resources) {
            JsonNode current = live.get(resourceKey(resource));
            if (current == null) {
                current = create(connection, resource, changeType, callbackUrl, clientState, lifetime);
                missed = true;
            }
            ids.add(current.path("id").asText());
            earliest = earlier(earliest, expiry(current));
        }
        unwanted.forEach(id -> deleteQuietly(connection, id));
        return new WebhookSubscription(String.join(" ", ids), earliest, missed);
    }

    /** Deletes the registration's subscriptions; those Graph no longer has are gone already. */
    public void unsubscribe(ConnectionContext connection, String providerWebhookId) {
        for (String id : ids(providerWebhookId)) {
            Answer answer = send(connection, "DELETE", "subscriptions/" + id, null);
            if (answer.status() != 404) {
                checked(connection, answer, "DELETE subscriptions/" + id);
            }
        }
    }

    /** Every item of a collection, following its {@code @odata.nextLink}s. */
    public List<JsonNode> list(ConnectionContext connection, String path) {
        List<JsonNode> items = new ArrayList<>();
        String next = path;
        while (next != null) {
            JsonNode page = get(connection, next);
            page.path("value").forEach(items::add);
            next = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        return items;
    }

    private JsonNode create(ConnectionContext connection, String resource, String changeType, String callbackUrl, String clientState,
                            Duration lifetime) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("changeType", changeType);
        request.put("notificationUrl", callbackUrl);
        request.put("lifecycleNotificationUrl", callbackUrl);
        request.put("resource", resource);
        request.put("expirationDateTime", Instant.now().plus(lifetime).toString());
        request.put("clientState", clientState);
        Answer answer = send(connection, "POST", "subscriptions", request);
        checked(connection, answer, "subscription to " + resource);
        return subscriptionBody(answer);
    }

    /** The subscription extended, or null when Graph no longer has it. */
    private JsonNode extend(ConnectionContext connection, String id, Duration lifetime) {
        Answer answer = send(connection, "PATCH", "subscriptions/" + id, Map.of("expirationDateTime", Instant.now().plus(lifetime).toString()));
        if (answer.status() == 404) {
            return null;
        }
        checked(connection, answer, "renewal of subscription " + id);
        return subscriptionBody(answer);
    }

    private void deleteQuietly(ConnectionContext connection, String id) {
        try {
            send(connection, "DELETE", "subscriptions/" + id, null);
        } catch (ProviderException e) {
            // it expires by itself
        }
    }

    private static JsonNode subscriptionBody(Answer answer) {
        if (answer.body() == null || !answer.body().path("id").isTextual()) {
            throw new PermanentProviderException("Microsoft Graph: " + NOT_GRAPH);
        }
        return answer.body();
    }

    /** Graph echoes resources as given, with or without a leading slash. */
    private static String resourceKey(String resource) {
        String key = resource.startsWith("/") ? resource.substring(1) : resource;
        return key.toLowerCase(java.util.Locale.ROOT);
    }

    private static List<String> ids(String providerWebhookId) {
        if (providerWebhookId == null || providerWebhookId.isBlank()) {
            return List.of();
        }
        return List.of(providerWebhookId.strip().split("\\s+"));
    }

    private static Instant expiry(JsonNode subscription) {
        try {
            return OffsetDateTime.parse(subscription.path("expirationDateTime").asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    // ------------------------------------------------------------------ HTTP

    /** An absolute link is used as Graph gave it, but only on the connection's Graph host (the token goes nowhere else). */
    private String url(ConnectionContext connection, String pathOrLink) {
        URI base = base(connection);
        if (pathOrLink.startsWith("https://") || pathOrLink.startsWith("http://")) {
            URI link = URI.create(pathOrLink);
            if (!base.getHost().equalsIgnoreCase(link.getHost()) || base.getPort() != link.getPort()) {
                throw new PermanentProviderException("Microsoft Graph handed out a link to another host (" + link.getHost()
                        + "); the token goes only to " + base.getHost());
            }
            return pathOrLink;
        }
        return base + (pathOrLink.startsWith("/") ? pathOrLink.substring(1) : pathOrLink);
    }

    private Answer exchange(ConnectionContext connection, String method, String url, String payload, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Accept", "application/json");
        GuardedHttpEndpoint.Reply reply = http.request(producer, method, url, headers, "application/json", payload);
        if (reply.failure() != null) {
            throw health.failed(connection, ProviderFailures.noAnswer("Microsoft Graph", method + " " + path(url), reply.failure()));
        }
        responses.received(connection.providerId(), connection.integrationId(), reply.status(), reply.header());
        return new Answer(reply.status(), reply.json(json), reply.header());
    }

    /** A success passes; a refusal is thrown classified (a refusal on purpose leaves the connection's health ok). */
    private void checked(ConnectionContext connection, Answer answer, String action) {
        if (answer.ok()) {
            health.succeeded(connection);
            return;
        }
        ProviderException failure = refusal(answer, action);
        if (failure.kind() == ProviderException.Kind.PERMANENT) {
            health.succeeded(connection);
            throw failure;
        }
        throw health.failed(connection, failure);
    }

    /** Graph's refusal of {@code action}, classified, naming its error code and message. */
    static ProviderException refusal(Answer answer, String action) {
        int status = answer.status();
        JsonNode error = answer.body() == null ? null : answer.body().path("error");
        String code = error == null ? "" : error.path("code").asText("");
        String message = error == null ? "" : error.path("message").asText("");
        String text = "Microsoft Graph refused " + action + " (" + status + (code.isEmpty() ? "" : " " + code) + ")"
                + (message.isEmpty() ? "" : ": " + message);
        if (status == 401 || status == 403) {
            return new AuthProviderException(text, status, null);
        }
        if (status == 429 || status == 503 || status == 504) {
            Duration wait = ProviderResponses.retryAfter(answer.header().apply("Retry-After"), Instant.now());
            return new RateLimitedProviderException(text, status, wait != null ? wait : Duration.ofSeconds(3));
        }
        if (status == 404) {
            return new GraphNotFoundException(text);
        }
        if (status == 410) {
            return new GraphResyncRequiredException(text, answer.header().apply("Location"));
        }
        if (status >= 500) {
            return new TransientProviderException(text, status, null);
        }
        return new PermanentProviderException(text, status, null);
    }

    /** A URL's path and no query (delta and skip tokens stay out of messages). */
    private static String path(String url) {
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        int scheme = path.indexOf("://");
        int slash = scheme < 0 ? -1 : path.indexOf('/', scheme + 3);
        return scheme < 0 ? path : slash < 0 ? "/" : path.substring(slash);
    }

    @Override
    public void destroy() {
        http.close();
    }
}
