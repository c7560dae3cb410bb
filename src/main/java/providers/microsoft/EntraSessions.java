package providers.microsoft;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import providers.AuthProviderException;
import providers.ConnectionContext;
import security.TokenLifecycle;

/**
 * Where each connection of one Microsoft resource (a Dataverse org, Microsoft Graph) is and the access token it calls
 * with. App-only connections take their token from Entra ID with the client credentials grant and scope
 * {@code <resource>/.default} ({@link EntraClientCredentials}), kept until shortly before it expires; a token the resource
 * refuses is taken again once. Authorization-code connections call with the token the hub keeps in the vault: one about
 * to expire is refreshed before use, one the resource refuses is refreshed once ({@link TokenLifecycle}, which stores
 * Entra's rotated refresh token), and the session then calls with the new one. One instance per adapter; sessions are
 * per integration and opened again when the connection's credentials change.
 */
public final class EntraSessions {

    /** App-only credentials: the authority, the app and its secret. */
    public static final String AUTHORITY = "authority";
    public static final String CLIENT_ID = "clientId";
    public static final String CLIENT_SECRET = "clientSecret";

    /**
     * Where a connection calls: whether it is app-only, the resource its app-only tokens are for (the scope is
     * {@code <resource>/.default}) and the API's base URL (ending in {@code /}).
     */
    public record Target(boolean appOnly, URI resource, URI api) {
    }

    /** A connection's session: its target and, for delegated access, the token to call with now. */
    public static final class Session {
        final String fingerprint;
        private final Target target;
        /** Delegated access: the token the context carried when last seen, and the one to call with now. */
        volatile String contextToken;
        volatile String token;
        volatile long refreshCheckedAt;

        Session(String fingerprint, Target target) {
            this.fingerprint = fingerprint;
            this.target = target;
        }

        public Target target() {
            return target;
        }
    }

    private static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);
    private static final long REFRESH_CHECK_NANOS = Duration.ofSeconds(30).toNanos();

    private final String providerName;
    private final EntraClientCredentials appTokens;
    private final TokenLifecycle tokens;
    private final Function<ConnectionContext, Target> targets;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    /**
     * @param providerName for messages ("Dynamics 365")
     * @param targets      where a connection calls (may throw {@code InvalidCredentialsException} naming a field)
     */
    public EntraSessions(String providerName, EntraClientCredentials appTokens, TokenLifecycle tokens,
                         Function<ConnectionContext, Target> targets) {
        this.providerName = providerName;
        this.appTokens = appTokens;
        this.tokens = tokens;
        this.targets = targets;
    }

    /** The connection's session, opened again when its credentials changed. */
    public Session session(ConnectionContext connection) {
        Session current = sessions.get(connection.integrationId());
        // delegated sessions outlive a token refresh: only another resource or client makes a new one
        String key = connection.credential("accessToken") == null ? connection.fingerprint() : stableFingerprint(connection);
        if (current != null && current.fingerprint.equals(key)) {
            return current;
        }
        Session session = new Session(key, targets.apply(connection));
        if (current != null) {
            close(connection.integrationId());
        }
        sessions.put(connection.integrationId(), session);
        return session;
    }

    /** The API's base URL, ending in {@code /}. */
    public URI api(ConnectionContext connection) {
        return session(connection).target.api();
    }

    /** The access token to call with now. */
    public String token(ConnectionContext connection) {
        Session session = session(connection);
        if (session.target.appOnly()) {
            return appTokens.token(appRequest(connection, session));
        }
        String given = connection.credential("accessToken");
        if (given != null && !given.equals(session.contextToken)) {
            // a newer context (reconnected, or the refreshed token reached the hub's credential cache)
            session.contextToken = given;
            session.token = given;
        }
        refreshOnUse(connection, session);
        if (session.token == null) {
            throw new AuthProviderException(providerName + ": the connection has no access token; reconnect", 401, null);
        }
        return session.token;
    }

    /**
     * The resource refused {@code rejected}: the token to try once more with. App-only: a new one from Entra; delegated:
     * the hub refreshes it (once, whoever else was refused with it too).
     *
     * @throws AuthProviderException when no new token can be had
     */
    public String renew(ConnectionContext connection, String rejected) {
        Session session = session(connection);
        if (session.target.appOnly()) {
            appTokens.forget(appKey(connection, session));
            return appTokens.token(appRequest(connection, session));
        }
        TokenLifecycle.Outcome outcome = tokens.refreshRejected(connection.integrationId(), rejected);
        if (outcome == TokenLifecycle.Outcome.AUTH_FAILED || outcome == TokenLifecycle.Outcome.NOT_REFRESHABLE) {
            throw new AuthProviderException(providerName + " refused the access token and it could not be refreshed ("
                    + outcome.name().toLowerCase(Locale.ROOT) + "); reconnect", 401, null);
        }
        tokens.currentAccessToken(connection.integrationId()).ifPresent(t -> session.token = t);
        return session.token;
    }

    /** Forgets the integration's session and app tokens (disconnected, or to start afresh). */
    public void close(String integrationId) {
        sessions.remove(integrationId);
        appTokens.forgetAll(integrationId + ":");
    }

    private void refreshOnUse(ConnectionContext connection, Session session) {
        Instant expiresAt = expiry(connection.credential("expiresAt"));
        if (expiresAt == null || expiresAt.isAfter(Instant.now().plus(REFRESH_AHEAD))) {
            return;
        }
        long now = System.nanoTime();
        if (session.refreshCheckedAt != 0 && now - session.refreshCheckedAt < REFRESH_CHECK_NANOS) {
            return;
        }
        session.refreshCheckedAt = now;
        TokenLifecycle.Outcome outcome = tokens.refresh(connection.integrationId());
        if (outcome == TokenLifecycle.Outcome.REFRESHED || outcome == TokenLifecycle.Outcome.STILL_FRESH) {
            tokens.currentAccessToken(connection.integrationId()).ifPresent(t -> session.token = t);
        }
    }

    private EntraClientCredentials.Request appRequest(ConnectionContext connection, Session session) {
        EntraAuthority authority = EntraAuthority.of(AUTHORITY, connection.credential(AUTHORITY));
        return new EntraClientCredentials.Request(appKey(connection, session), authority, connection.credential(CLIENT_ID),
                connection.credential(CLIENT_SECRET), session.target.resource() + "/.default");
    }

    private static String appKey(ConnectionContext connection, Session session) {
        return connection.integrationId() + ":" + session.fingerprint;
    }

    /** What makes a delegated session stale: its client and resource, not the tokens the hub refreshes. */
    private static String stableFingerprint(ConnectionContext connection) {
        Map<String, String> values = new TreeMap<>();
        for (String name : new String[] {CLIENT_ID, CLIENT_SECRET, "tokenUrl", "instanceUrl", "scope", "orgUrl", "graphUrl"}) {
            String value = connection.credential(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return "delegated:" + new ConnectionContext(connection.tenantId(), connection.integrationId(), connection.providerId(), values)
                .fingerprint();
    }

    private static Instant expiry(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
