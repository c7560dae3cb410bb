package sandbox.salesforce;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Access tokens, refresh tokens and authorization codes issued by the sandbox's OAuth endpoints.
 * Tokens are opaque random strings prefixed with the org id, as Salesforce's are.
 */
public final class SandboxTokens {

    /** Scope granted to the web-server flow, which is what makes it return a refresh token. */
    public static final String SCOPE = "api refresh_token";
    static final Duration CODE_TTL = Duration.ofMinutes(10);

    /** What an access token grants, until when, and the refresh token it came from (or null). */
    record AccessGrant(String orgName, Instant expiresAt, String refreshToken) {
    }

    /** An authorization code waiting to be exchanged; the PKCE challenge is null when none was sent. */
    record AuthorizationCode(String orgName, String redirectUri, String challenge, String challengeMethod,
            Instant expiresAt) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, AccessGrant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, AuthorizationCode> codes = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();
    private volatile Duration tokenTtl;

    public SandboxTokens(Duration tokenTtl, Clock clock) {
        this.tokenTtl = tokenTtl;
        this.clock = clock;
    }

    long nowMillis() {
        return clock.millis();
    }

    public Duration tokenTtl() {
        return tokenTtl;
    }

    /** Changes the lifetime of access tokens issued from now on (tests of token expiry). */
    public void setTokenTtl(Duration ttl) {
        this.tokenTtl = ttl;
    }

    /** Ends every access token of an org now, as a session timeout would; refresh tokens stay valid. */
    public void expireAccessTokens(SandboxOrg org) {
        Instant now = clock.instant();
        accessTokens.replaceAll((t, g) -> g.orgName().equals(org.name()) ? new AccessGrant(g.orgName(), now,
                g.refreshToken()) : g);
    }

    String issueAccessToken(SandboxOrg org, String fromRefreshToken) {
        return issueAccessToken(org, fromRefreshToken, tokenTtl);
    }

    /** An access token that lives {@code ttl} (short-lived tokens), whatever {@link #tokenTtl()} says. */
    String issueAccessToken(SandboxOrg org, String fromRefreshToken, Duration ttl) {
        purgeExpiredNow();
        String token = SalesforceIds.to15(org.orgId()) + "!AQ" + randomText(72);
        accessTokens.put(token, new AccessGrant(org.name(), clock.instant().plus(ttl), fromRefreshToken));
        return token;
    }

    String issueRefreshToken(SandboxOrg org) {
        String token = "5Aep" + randomText(80);
        refreshTokens.put(token, org.name());
        return token;
    }

    String issueCode(SandboxOrg org, String redirectUri, String challenge, String challengeMethod) {
        purgeExpiredNow();
        // real codes end in "==", which clients must URL-encode in the redirect
        String code = "aPrx" + Base64.getEncoder().encodeToString(randomBytes(46));
        codes.put(code, new AuthorizationCode(org.name(), redirectUri, challenge, challengeMethod,
                clock.instant().plus(CODE_TTL)));
        return code;
    }

    /** The org name of a live access token, or null for unknown, expired or revoked tokens. */
    String orgOfAccessToken(String token) {
        AccessGrant grant = token == null ? null : accessTokens.get(token);
        if (grant == null || !clock.instant().isBefore(grant.expiresAt())) {
            return null;
        }
        return grant.orgName();
    }

    /** The org name of a refresh token, or null. */
    String orgOfRefreshToken(String token) {
        return token == null ? null : refreshTokens.get(token);
    }

    /**
     * Takes a refresh token out (rotation: each is used once) and returns its org name; null when it is
     * unknown or already used. Access tokens it issued stay valid until they expire.
     */
    String takeRefreshToken(String token) {
        return token == null ? null : refreshTokens.remove(token);
    }

    /** Takes a code out (codes are single use); null when unknown or expired. */
    AuthorizationCode redeemCode(String code) {
        AuthorizationCode found = code == null ? null : codes.remove(code);
        return found == null || !clock.instant().isBefore(found.expiresAt()) ? null : found;
    }

    /** Revokes an access token, or a refresh token together with the access tokens it issued. */
    void revoke(String token) {
        if (token == null) {
            return;
        }
        accessTokens.remove(token);
        if (refreshTokens.remove(token) != null) {
            accessTokens.values().removeIf(g -> token.equals(g.refreshToken()));
        }
    }

    private void purgeExpiredNow() {
        if (issued.incrementAndGet() % 256 == 0) {
            Instant now = clock.instant();
            accessTokens.values().removeIf(g -> !now.isBefore(g.expiresAt()));
            codes.values().removeIf(c -> !now.isBefore(c.expiresAt()));
        }
    }

    private String randomText(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes)).replace('-', '.');
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
