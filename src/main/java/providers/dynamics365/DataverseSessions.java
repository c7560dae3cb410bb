package providers.dynamics365;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import providers.AuthProviderException;
import providers.ConnectionContext;
import providers.microsoft.EntraAuthority;
import providers.microsoft.EntraClientCredentials;
import security.TokenLifecycle;

/**
 * Where each connection's Dataverse is and the access token it calls with. App-only connections
 * ({@value DynamicsAdapter#CLIENT_CREDENTIALS}) take their token from Entra ID with the client credentials grant and scope
 * {@code <org URL>/.default}, kept until shortly before it expires; a token the org refuses is taken again once.
 * Authorization-code connections call with the token the hub keeps in the vault: one about to expire is refreshed
 * before use, one the org refuses is refreshed once ({@link TokenLifecycle}, which stores Entra's rotated refresh token),
 * and the session then calls with the new one.
 */
@Component
public class DataverseSessions {

    /** A connection's org: its URL, its Web API base ({@code <org>/api/data/v9.2/}), and its current token for delegated access. */
    static final class Session {
        final String fingerprint;
        final URI org;
        final URI api;
        final boolean appOnly;
        /** Delegated access: the token the context carried when last seen, and the one to call with now. */
        volatile String contextToken;
        volatile String token;
        volatile long refreshCheckedAt;

        Session(String fingerprint, URI org, URI api, boolean appOnly) {
            this.fingerprint = fingerprint;
            this.org = org;
            this.api = api;
            this.appOnly = appOnly;
        }
    }

    private static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);
    private static final long REFRESH_CHECK_NANOS = Duration.ofSeconds(30).toNanos();

    private final EntraClientCredentials appTokens;
    private final TokenLifecycle tokens;
    private final String apiVersion;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public DataverseSessions(EntraClientCredentials appTokens, TokenLifecycle tokens,
                             @Value("${hub.providers.dynamics365.api-version:9.2}") String apiVersion) {
        this.appTokens = appTokens;
        this.tokens = tokens;
        this.apiVersion = apiVersion;
    }

    /** The connection's session, opened again when its credentials changed. */
    Session session(ConnectionContext connection) {
        String fingerprint = connection.fingerprint();
        boolean appOnly = DynamicsAdapter.isAppOnly(connection);
        Session current = sessions.get(connection.integrationId());
        // delegated sessions outlive a token refresh: only another org or client makes a new one
        String key = appOnly ? fingerprint : stableFingerprint(connection);
        if (current != null && current.fingerprint.equals(key)) {
            return current;
        }
        URI org = DynamicsAdapter.orgUrl(connection);
        Session session = new Session(key, org, URI.create(org + "/api/data/v" + apiVersion + "/"), appOnly);
        if (current != null) {
            close(connection.integrationId());
        }
        sessions.put(connection.integrationId(), session);
        return session;
    }

    URI api(ConnectionContext connection) {
        return session(connection).api;
    }

    /** The access token to call with now. */
    String token(ConnectionContext connection) {
        Session session = session(connection);
        if (session.appOnly) {
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
            throw new AuthProviderException("Dynamics 365: the connection has no access token; reconnect", 401, null);
        }
        return session.token;
    }

    /**
     * The org refused {@code rejected}: the token to try once more with. App-only: a new one from Entra; delegated: the
     * hub refreshes it (once, whoever else was refused with it too).
     *
     * @throws AuthProviderException when no new token can be had
     */
    String renew(ConnectionContext connection, String rejected) {
        Session session = session(connection);
        if (session.appOnly) {
            appTokens.forget(appKey(connection, session));
            return appTokens.token(appRequest(connection, session));
        }
        TokenLifecycle.Outcome outcome = tokens.refreshRejected(connection.integrationId(), rejected);
        if (outcome == TokenLifecycle.Outcome.AUTH_FAILED || outcome == TokenLifecycle.Outcome.NOT_REFRESHABLE) {
            throw new AuthProviderException("Dynamics 365 refused the access token and it could not be refreshed ("
                    + outcome.name().toLowerCase(java.util.Locale.ROOT) + "); reconnect", 401, null);
        }
        tokens.currentAccessToken(connection.integrationId()).ifPresent(t -> session.token = t);
        return session.token;
    }

    void close(String integrationId) {
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
        EntraAuthority authority = EntraAuthority.of(DynamicsAdapter.AUTHORITY, connection.credential(DynamicsAdapter.AUTHORITY));
        return new EntraClientCredentials.Request(appKey(connection, session), authority, connection.credential(DynamicsAdapter.CLIENT_ID),
                connection.credential(DynamicsAdapter.CLIENT_SECRET), session.org + "/.default");
    }

    private static String appKey(ConnectionContext connection, Session session) {
        return connection.integrationId() + ":" + session.fingerprint;
    }

    /** What makes a delegated session stale: its client and org, not the tokens the hub refreshes. */
    private static String stableFingerprint(ConnectionContext connection) {
        return "delegated:" + new ConnectionContext(connection.tenantId(), connection.integrationId(), connection.providerId(),
                mapOfPresent(connection, DynamicsAdapter.CLIENT_ID, DynamicsAdapter.CLIENT_SECRET, "tokenUrl", "instanceUrl", "scope"))
                .fingerprint();
    }

    private static Map<String, String> mapOfPresent(ConnectionContext connection, String... names) {
        Map<String, String> values = new java.util.TreeMap<>();
        for (String name : names) {
            String value = connection.credential(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }

    private static Instant expiry(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
