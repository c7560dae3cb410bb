package providers.salesforce;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import providers.ConnectionContext;
import providers.ProviderResponses;
import providers.TransientProviderException;
import security.OutboundGuard;
import security.TokenLifecycle;

/**
 * One camel-salesforce component per connection, registered under its own scheme
 * ({@code sf-<integration>-<n>}) so each tenant's org has its own login session.
 * A component is replaced when the connection's credentials change.
 * <p>
 * Username-password connections log in at Salesforce themselves. Authorization-code connections
 * ({@code oauth2_authorization_code}) have tokens the hub manages ({@link security.TokenLifecycle}
 * refreshes them, storing rotated refresh tokens), so their component must never use the real
 * refresh token: it logs in with the refresh-token flow against the hub itself
 * ({@link HubTokenEndpoint}, on loopback) with a random per-session handle as its "refresh token",
 * and gets the hub's current access token. Their session is therefore not replaced when only the
 * tokens change: camel picks up a new access token by logging in again (it does on a 401).
 */
@Component
public class SalesforceSessions {

    /** {@code workerPool}: the HTTP client's own pool (authorization-code sessions), shut down with the session; else null. */
    private record Session(String scheme, String fingerprint, SalesforceComponent component, ExecutorService workerPool) {
    }

    /**
     * What the hub's token endpoint needs to serve one session: whose it is, the handle camel
     * presents as its refresh token, and the access token last handed to it (null: none yet).
     */
    public record Grant(String tenantId, String integrationId, String providerId, String handle, AtomicReference<String> issued) {
        @Override
        public String toString() {
            return "Grant[integration=" + integrationId + "]";
        }
    }

    public static final String TOKEN_PATH = "/internal/salesforce-token/";
    public static final String ACCESS_TOKEN = "accessToken";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSessions.class);

    private final CamelContext camel;
    private final String apiVersion;
    private final long requestTimeoutMs;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    /** Authorization-code sessions by integration; set before their component logs in. */
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    /** When an authorization-code connection's token expiry was last checked on use, by integration. */
    private final Map<String, Long> refreshChecked = new ConcurrentHashMap<>();
    private static final java.time.Duration ON_USE_WINDOW = java.time.Duration.ofMinutes(5);
    private static final java.time.Duration ON_USE_CHECK = java.time.Duration.ofSeconds(30);
    private final TokenLifecycle tokens;
    private final ProviderResponses responses;
    private final String contextPath;
    private final OutboundGuard guard;
    private volatile int port = -1;
    private volatile boolean closing;

    SalesforceSessions(CamelContext camel,
                       @Value("${hub.providers.salesforce.api-version}") String apiVersion,
                       @Value("${hub.providers.salesforce.request-timeout-ms}") long requestTimeoutMs,
                       @Value("${server.servlet.context-path:}") String contextPath,
                       TokenLifecycle tokens, ProviderResponses responses, OutboundGuard guard) {
        this.camel = camel;
        this.guard = guard;
        this.responses = responses;
        this.tokens = tokens;
        this.apiVersion = apiVersion;
        this.requestTimeoutMs = requestTimeoutMs;
        this.contextPath = contextPath == null || contextPath.equals("/") ? "" : contextPath;
    }

    /** The hub's own port: authorization-code sessions log in to it on loopback. */
    @EventListener
    public void onWebServer(WebServerInitializedEvent event) {
        String namespace = event.getApplicationContext().getServerNamespace();
        if (namespace == null || namespace.isEmpty()) {
            port = event.getWebServer().getPort();
        }
    }

    /** The session's grant when {@code handle} is its current handle (compared in constant time). */
    public Optional<Grant> grant(String integrationId, String handle) {
        Grant grant = integrationId == null ? null : grants.get(integrationId);
        if (grant == null || handle == null) {
            return Optional.empty();
        }
        boolean same = MessageDigest.isEqual(grant.handle().getBytes(StandardCharsets.UTF_8), handle.getBytes(StandardCharsets.UTF_8));
        return same ? Optional.of(grant) : Optional.empty();
    }

    /** Authorization-code credentials: tokens the hub manages, no user name and password. */
    static boolean hubManaged(ConnectionContext connection) {
        return connection.credential(ACCESS_TOKEN) != null && connection.credential(SalesforceAdapter.USERNAME) == null;
    }

    /**
     * What makes a session stale: any credential for username-password; only the client (not the
     * tokens the hub refreshes) for authorization-code connections.
     */
    private static String fingerprint(ConnectionContext connection) {
        if (!hubManaged(connection)) {
            return connection.fingerprint();
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String name : new String[] {SalesforceAdapter.CLIENT_ID, SalesforceAdapter.CLIENT_SECRET, "tokenUrl"}) {
                String value = connection.credential(name);
                digest.update((name + "=" + (value == null ? "" : value)).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return "hub:" + HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String apiVersion() {
        return apiVersion;
    }

    /**
     * An authorization-code token about to expire (within {@link #ON_USE_WINDOW}) is refreshed
     * before it is used, not after the provider refuses it; when the hub got a new one, the session
     * logs in again and takes it. Checked at most every {@link #ON_USE_CHECK} per connection.
     */
    private void refreshOnUse(ConnectionContext connection) {
        Instant expiresAt = expiry(connection.credential("expiresAt"));
        if (expiresAt == null || expiresAt.isAfter(Instant.now().plus(ON_USE_WINDOW))) {
            return;
        }
        long now = System.nanoTime();
        Long checked = refreshChecked.get(connection.integrationId());
        if (checked != null && now - checked < ON_USE_CHECK.toNanos()) {
            return;
        }
        refreshChecked.put(connection.integrationId(), now);
        if (tokens.refresh(connection.integrationId()) == TokenLifecycle.Outcome.REFRESHED) {
            close(connection.integrationId());
        }
    }

    private static Instant expiry(String text) {
        try {
            return text == null ? null : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** The scheme of a logged-in component for this connection, logging in on first use; none once the hub is closing. */
    String schemeFor(ConnectionContext connection) {
        if (closing) {
            // sessions are logged out: a call now would log in again while the hub stops
            throw new TransientProviderException("Salesforce call refused: the hub is shutting down", 0, null);
        }
        if (hubManaged(connection)) {
            refreshOnUse(connection);
        }
        Session current = sessions.get(connection.integrationId());
        String fingerprint = fingerprint(connection);
        if (current != null && current.fingerprint().equals(fingerprint)) {
            return current.scheme();
        }
        synchronized (this) {
            current = sessions.get(connection.integrationId());
            if (current != null && current.fingerprint().equals(fingerprint)) {
                return current.scheme();
            }
            if (current != null) {
                close(connection.integrationId());
            }
            Session session = open(connection, fingerprint);
            sessions.put(connection.integrationId(), session);
            return session.scheme();
        }
    }

    synchronized void close(String integrationId) {
        Session session = sessions.remove(integrationId);
        try {
            stop(integrationId, session);
        } finally {
            grants.remove(integrationId);
        }
    }

    private void stop(String integrationId, Session session) {
        if (session != null) {
            try {
                camel.removeEndpoints(session.scheme() + ":*");
            } catch (Exception e) {
                // endpoints are only cached; the component is removed either way
            }
            camel.removeComponent(session.scheme());
            try {
                ServiceHelper.stopAndShutdownService(session.component());
            } catch (RuntimeException e) {
                LOG.debug("Salesforce session of integration {} did not log out cleanly: {}", integrationId, e.getMessage());
            }
            if (session.workerPool() != null) {
                camel.getExecutorServiceManager().shutdown(session.workerPool());
            }
        }
    }

    private Session open(ConnectionContext connection, String fingerprint) {
        SalesforceComponent component = new SalesforceComponent();
        ExecutorService workerPool = null;
        String hubLogin = null;
        String handle = null;
        if (hubManaged(connection)) {
            int hubPort = port;
            if (hubPort <= 0) {
                throw new TransientProviderException("Salesforce login: the hub's web server is not up yet", 0, null);
            }
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            handle = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            grants.put(connection.integrationId(), new Grant(connection.tenantId(), connection.integrationId(), connection.providerId(),
                    handle, new AtomicReference<>()));
            hubLogin = "http://127.0.0.1:" + hubPort + contextPath + TOKEN_PATH + connection.integrationId();
        }
        String loginUrl = hubLogin != null ? hubLogin : connection.credential(SalesforceAdapter.LOGIN_URL);
        if (loginUrl == null || loginUrl.isBlank()) {
            throw new providers.PermanentProviderException("Salesforce login: the connection has no loginUrl", 0, null);
        }
        login(component, connection, loginUrl, handle);
        component.setLazyLogin(false);
        component.setHttpRequestTimeout(requestTimeoutMs);
        component.setWorkerPoolSize(2);
        component.setWorkerPoolMaxSize(8);
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(apiVersion);
        config.setRawPayload(true);
        workerPool = camel.getExecutorServiceManager().newThreadPool(this, "SalesforceHttpClient-" + connection.integrationId(), 2, 8);
        config.setHttpClient(new SessionHttpClient(camel, workerPool, hubLogin, loginUrl, connection.integrationId(), responses, guard));
        component.setConfig(config);
        String scheme = "sf-" + connection.integrationId() + "-" + generation.incrementAndGet();
        try {
            camel.addComponent(scheme, component);
            component.start();
            // nothing may have replaced the login (Salesforce's production login is camel-salesforce's default)
            String used = component.getLoginConfig() == null ? null : component.getLoginConfig().getLoginUrl();
            if (!loginUrl.equals(used)) {
                throw new IllegalStateException("the Salesforce session was configured for another login URL than the integration's");
            }
        } catch (RuntimeException e) {
            camel.removeComponent(scheme);
            ServiceHelper.stopAndShutdownService(component);
            grants.remove(connection.integrationId());
            if (workerPool != null) {
                camel.getExecutorServiceManager().shutdown(workerPool);
            }
            throw SalesforceErrors.classify("login", e);
        }
        return new Session(scheme, fingerprint, component, workerPool);
    }

    private static void login(SalesforceComponent component, ConnectionContext connection, String loginUrl, String handle) {
        component.setClientId(connection.credential(SalesforceAdapter.CLIENT_ID));
        component.setClientSecret(connection.credential(SalesforceAdapter.CLIENT_SECRET));
        component.setLoginUrl(loginUrl);
        if (hubManaged(connection)) {
            component.setAuthenticationType(AuthenticationType.REFRESH_TOKEN);
            component.setRefreshToken(handle);
        } else {
            component.setAuthenticationType(AuthenticationType.USERNAME_PASSWORD);
            component.setUserName(connection.credential(SalesforceAdapter.USERNAME));
            component.setPassword(connection.credential(SalesforceAdapter.PASSWORD));
        }
    }

    /**
     * The hub starts closing: no session is opened any more. The open ones stay until Camel has stopped the routes (a
     * run in flight finishes its call and stops at its page boundary); Camel then stops their components, which logs
     * them out. Closing them here would pull a session from under a call in flight.
     */
    @EventListener(ContextClosedEvent.class)
    public void closing() {
        closing = true;
    }

    /** Drops what is left of every session when the hub is gone. */
    @jakarta.annotation.PreDestroy
    public void closeAll() {
        closing = true;
        for (String integrationId : sessions.keySet()) {
            try {
                close(integrationId);
            } catch (RuntimeException e) {
                LOG.debug("Salesforce session of integration {} not closed cleanly: {}", integrationId, e.getMessage());
            }
        }
    }
}
