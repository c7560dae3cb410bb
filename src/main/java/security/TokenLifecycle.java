package security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import store.AuditLog;
import store.Connection;
import store.ConnectionStore;
import store.EventStore;
import store.Integration;
import store.IntegrationStore;
import store.Timestamps;

/**
 * Access tokens refreshed ahead of expiry, exactly once: each refresh holds the connection's row
 * lock (a database lock, so it holds across instances) from reading the refresh token to storing
 * the new access token together with the rotated refresh token; a second refresher waiting on the
 * lock finds the token fresh and does nothing. A refresh the provider refuses (invalid_grant, 401)
 * marks the connection {@code auth_failed}, which pauses its scheduled syncs until the tenant
 * reconnects, and records {@code integration.auth_failed}; a refresh that could not reach the
 * provider is tried again on the next sweep.
 */
@Component
public class TokenLifecycle {

    /** Credential types whose access token the hub refreshes with a refresh token. */
    static final List<String> REFRESHABLE = List.of(CredentialTypes.OAUTH2_AUTHORIZATION_CODE);

    private static final Logger LOG = LoggerFactory.getLogger(TokenLifecycle.class);

    /** What became of one refresh. */
    public enum Outcome { REFRESHED, STILL_FRESH, NOT_REFRESHABLE, AUTH_FAILED, UNREACHABLE }

    private final ConnectionStore connections;
    private final IntegrationStore integrations;
    private final Map<String, OAuthServer> servers;
    private final CredentialVault vault;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final Duration refreshAhead;
    private final TokenExchange tokenEndpoint;
    private final EventStore events;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    public TokenLifecycle(ConnectionStore connections, IntegrationStore integrations, CredentialVault vault, TransactionTemplate transaction,
                          AuditLog audit, TokenExchange tokenEndpoint, List<OAuthServer> servers,
                          @Value("${hub.tokens.refresh-ahead}") String refreshAhead, EventStore events,
                          io.micrometer.core.instrument.MeterRegistry meters) {
        this.events = events;
        this.meters = meters;
        this.connections = connections;
        this.integrations = integrations;
        this.vault = vault;
        this.transaction = transaction;
        this.audit = audit;
        this.refreshAhead = DurationStyle.detectAndParse(refreshAhead);
        this.tokenEndpoint = tokenEndpoint;
        this.servers = servers.stream().collect(Collectors.toUnmodifiableMap(OAuthServer::providerId, server -> server));
    }

    /** Refreshes every token expiring within refresh-ahead; returns how many were refreshed. */
    public int refreshExpiring() {
        int refreshed = 0;
        for (Connection c : connections.expiringBefore(Timestamps.now().plus(refreshAhead), REFRESHABLE, 500)) {
            if (refresh(c.integrationId()) == Outcome.REFRESHED) {
                refreshed++;
            }
        }
        return refreshed;
    }

    /** Refreshes the connection's access token if it expires within refresh-ahead (or has no known expiry). */
    public Outcome refresh(String integrationId) {
        return refresh(integrationId, null);
    }

    /** An access token as the vault holds it, with its expiry (null: unknown). */
    public record AccessToken(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "AccessToken[expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * For adapters that call the provider with the access token themselves (HubSpot over HTTP), whose credentials were
     * read before a refresh: refreshes the token as {@link #refresh(String)} does, then answers the one the vault holds
     * now (the read is audited). Empty when there is none to use: the connection is not refreshable or the provider
     * refused the refresh (the connection is then auth_failed). A provider that could not be reached leaves the old one.
     */
    public Optional<AccessToken> refreshForUse(String integrationId) {
        Outcome outcome = refresh(integrationId);
        if (outcome == Outcome.NOT_REFRESHABLE || outcome == Outcome.AUTH_FAILED) {
            return Optional.empty();
        }
        Connection connection = connections.find(integrationId).orElse(null);
        if (connection == null || connection.status() != Connection.Status.CONNECTED) {
            return Optional.empty();
        }
        Map<String, String> credentials = vault.get(connection.secretName()).orElse(null);
        audit.record(connection.tenantId(), "hub", "secret.read", "secret", connection.secretName(), "access token for provider calls");
        if (credentials == null || credentials.get("accessToken") == null) {
            return Optional.empty();
        }
        String expiresAt = credentials.get("expiresAt");
        return Optional.of(new AccessToken(credentials.get("accessToken"), expiresAt == null ? null : OffsetDateTime.parse(expiresAt).toInstant()));
    }

    /**
     * Refreshes the connection's access token now, whatever its expiry, if it still is {@code rejected}:
     * the provider refused that token (a client got 401 with it). When another refresher already
     * replaced it (the stored token differs), nothing is done ({@link Outcome#STILL_FRESH}).
     */
    public Outcome refreshRejected(String integrationId, String rejected) {
        if (rejected == null || rejected.isEmpty()) {
            return refresh(integrationId, null);
        }
        return refresh(integrationId, rejected);
    }

    /**
     * The provider refused a token that cannot be refreshed (a personal access token): when the connection is connected
     * and still holds {@code rejected}, it becomes auth_failed, its syncs paused until it is reconnected. Answers whether it did.
     */
    public boolean rejectedForGood(String integrationId, String rejected, String reason) {
        return rejectedForGood(integrationId, "accessToken", rejected, reason);
    }

    /**
     * As {@link #rejectedForGood(String, String, String)} for a credential other than the access token (a service
     * account's key the provider no longer accepts): auth_failed when the connection still holds {@code rejected} in it.
     */
    public boolean rejectedForGood(String integrationId, String credential, String rejected, String reason) {
        if (rejected == null || rejected.isEmpty()) {
            return false;
        }
        Failure[] failure = new Failure[1];
        transaction.executeWithoutResult(status -> {
            Connection connection = connections.lock(integrationId).orElse(null);
            if (connection == null || connection.status() != Connection.Status.CONNECTED) {
                return;
            }
            Map<String, String> credentials = vault.get(connection.secretName()).orElse(null);
            audit.record(connection.tenantId(), "hub", "secret.read", "secret", connection.secretName(), "token refused by the provider");
            if (credentials != null && constantTimeEquals(rejected, credentials.get(credential))) {
                failure[0] = new Failure(connection, reason, true);
            }
        });
        if (failure[0] != null) {
            authFailed(failure[0]);
            return true;
        }
        return false;
    }

    private Outcome refresh(String integrationId, String rejected) {
        Failure[] failure = new Failure[1];
        Outcome outcome = transaction.execute(status -> {
            Connection connection = connections.lock(integrationId).orElse(null);
            if (connection == null || !REFRESHABLE.contains(connection.authType()) || connection.status() != Connection.Status.CONNECTED) {
                return Outcome.NOT_REFRESHABLE;
            }
            if (rejected == null && connection.expiresAt() != null && connection.expiresAt().isAfter(Timestamps.now().plus(refreshAhead))) {
                return Outcome.STILL_FRESH;
            }
            Map<String, String> credentials = vault.get(connection.secretName()).orElse(null);
            audit.record(connection.tenantId(), "hub", "secret.read", "secret", connection.secretName(), "token refresh");
            if (rejected != null && (credentials == null || !constantTimeEquals(rejected, credentials.get("accessToken")))) {
                // someone refreshed since that token was handed out: the stored one is newer
                return credentials == null ? Outcome.NOT_REFRESHABLE : Outcome.STILL_FRESH;
            }
            OffsetDateTime declared = credentials == null || credentials.get("expiresAt") == null ? null
                    : OffsetDateTime.parse(credentials.get("expiresAt"));
            if (rejected == null && connection.expiresAt() == null && declared != null) {
                // first look at a connection: its expiry comes from the credentials it was connected with
                connections.recordExpiry(integrationId, declared);
                if (declared.isAfter(Timestamps.now().plus(refreshAhead))) {
                    return Outcome.STILL_FRESH;
                }
            }
            if (credentials == null || credentials.get("refreshToken") == null || credentials.get("tokenUrl") == null) {
                if (connection.expiresAt() != null && connection.expiresAt().isBefore(Timestamps.now())) {
                    failure[0] = new Failure(connection, "the access token expired and there is no refresh token to renew it; reconnect", true);
                    return Outcome.AUTH_FAILED;
                }
                return Outcome.NOT_REFRESHABLE;
            }
            try {
                Map<String, String> renewed = exchange(credentials, integrationId);
                vault.put(connection.secretName(), connection.tenantId(), renewed);
                audit.record(connection.tenantId(), "hub", "secret.write", "secret", connection.secretName(), "token refresh");
                connections.recordRefresh(integrationId, expiry(renewed));
                LOG.info("Refreshed the access token of integration {} (expires {})", integrationId, renewed.get("expiresAt"));
                return Outcome.REFRESHED;
            } catch (Refused e) {
                failure[0] = new Failure(connection, e.getMessage(), true);
                return Outcome.AUTH_FAILED;
            } catch (RefusedAddressException e) {
                failure[0] = new Failure(connection, "the token endpoint (tokenUrl) " + e.getMessage() + "; reconnect", true);
                return Outcome.AUTH_FAILED;
            } catch (IOException e) {
                LOG.warn("Could not reach the token endpoint of integration {}: {}; trying again later", integrationId, e.getClass().getSimpleName());
                return Outcome.UNREACHABLE;
            }
        });
        if (failure[0] != null) {
            authFailed(failure[0]);
        }
        if (outcome == Outcome.REFRESHED || outcome == Outcome.AUTH_FAILED || outcome == Outcome.UNREACHABLE) {
            // refresh attempts only: a token still fresh or not refreshable made no call
            meters.counter("hub.tokens.refreshes", "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).increment();
        }
        return outcome;
    }

    /**
     * The access token the vault holds for the connection now (after a refresh, the new one), read for a provider
     * client that calls with it itself (Dynamics 365); empty when the connection has none. The read is audited.
     */
    public java.util.Optional<String> currentAccessToken(String integrationId) {
        Connection connection = connections.find(integrationId).orElse(null);
        if (connection == null || !REFRESHABLE.contains(connection.authType())) {
            return java.util.Optional.empty();
        }
        Map<String, String> credentials = vault.get(connection.secretName()).orElse(null);
        audit.record(connection.tenantId(), "hub", "secret.read", "secret", connection.secretName(), "access token after refresh");
        return java.util.Optional.ofNullable(credentials == null ? null : credentials.get("accessToken"));
    }

    private static boolean constantTimeEquals(String a, String b) {
        return b != null && java.security.MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private record Failure(Connection connection, String reason, boolean permanent) {
    }

    /** The provider refused the refresh: the credentials are no good any more. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** The integration's provider's OAuth server, if it has one here. */
    private Optional<OAuthServer> server(String integrationId) {
        return integrations.findById(integrationId).map(i -> servers.get(i.providerId()));
    }

    private Map<String, String> exchange(Map<String, String> credentials, String integrationId) throws IOException, Refused {
        Optional<OAuthServer> server = server(integrationId);
        // the provider's own token-answer fields (Salesforce's instance and identity URLs)
        Map<String, String> answerFields = server.map(OAuthServer::tokenAnswerFields).orElse(Map.of());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", credentials.get("refreshToken"));
        form.put("client_id", credentials.get("clientId"));
        form.put("client_secret", credentials.get("clientSecret"));
        TokenExchange.Answer reply = tokenEndpoint.send(credentials.get("tokenUrl"), form,
                server.map(OAuthServer::tokenRequestStyle).orElse(OAuthServer.TokenRequestStyle.FORM));
        if (reply.status() >= 500 || reply.status() == 429) {
            throw new IOException("token endpoint answered " + reply.status());
        }
        if (!reply.ok()) {
            // the provider's error code only: the request carried secrets, and its other text is not the hub's to repeat
            throw new Refused("the provider refused the refresh (HTTP " + reply.status() + "): " + reply.errorCode());
        }
        JsonNode answer = reply.body();
        Map<String, String> renewed = new LinkedHashMap<>(credentials);
        renewed.put("accessToken", answer.path("access_token").asText());
        if (answer.hasNonNull("refresh_token")) {
            renewed.put("refreshToken", answer.path("refresh_token").asText());
        }
        answerFields.forEach((answerField, credentialField) -> {
            if (answer.hasNonNull(answerField) && credentials.containsKey(credentialField)) {
                renewed.put(credentialField, answer.path(answerField).asText());
            }
        });
        if (answer.hasNonNull("expires_in")) {
            renewed.put("expiresAt", Instant.now().plusSeconds(answer.path("expires_in").asLong()).toString());
        } else {
            renewed.remove("expiresAt");
        }
        return renewed;
    }

    /** The new token's expiry; a provider that gives none (Salesforce) is refreshed again after refresh-ahead plus an hour. */
    private OffsetDateTime expiry(Map<String, String> credentials) {
        String expiresAt = credentials.get("expiresAt");
        return expiresAt != null ? OffsetDateTime.parse(expiresAt) : Timestamps.now().plus(refreshAhead).plusHours(1);
    }

    /** Marks the connection and integration auth_failed, audits it and appends {@code integration.auth_failed}, in one transaction. */
    private void authFailed(Failure failure) {
        Connection c = failure.connection();
        transaction.executeWithoutResult(status -> {
            connections.recordTest(c.integrationId(), Connection.Status.AUTH_FAILED, failure.reason());
            integrations.updateStatus(c.integrationId(), Integration.Status.AUTH_FAILED);
            audit.record(c.tenantId(), "hub", "integration.auth_failed", "integration", c.integrationId(), failure.reason());
            events.append(c.tenantId(), "integration.auth_failed", c.integrationId(), EventStore.data("integrationId", c.integrationId(),
                    "provider", integrations.providerOf(c.integrationId()).orElse(null), "authType", c.authType(), "reason", failure.reason()));
        });
        LOG.warn("Integration {} (tenant {}) is auth_failed, its syncs are paused until it is reconnected: {}", c.integrationId(),
                c.tenantId(), failure.reason());
    }
}
