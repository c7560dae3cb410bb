package sandbox.salesforce;

import java.time.Clock;
import java.time.Duration;

import sandbox.kit.AccessTokens;
import sandbox.kit.TokenText;

/**
 * Access tokens, refresh tokens and authorization codes issued by the sandbox's OAuth endpoints, kept by the kit's
 * {@link AccessTokens}: here is what Salesforce's look like (opaque random strings, access tokens prefixed with the
 * org id) and how long access tokens live.
 */
public final class SandboxTokens {

    /** Scope granted to the web-server flow, which is what makes it return a refresh token. */
    public static final String SCOPE = "api refresh_token";

    private final Clock clock;
    private final AccessTokens tokens;
    private volatile Duration tokenTtl;

    public SandboxTokens(Duration tokenTtl, Clock clock) {
        this.tokenTtl = tokenTtl;
        this.clock = clock;
        this.tokens = new AccessTokens(clock);
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
        tokens.expireAccess(org.name());
    }

    String issueAccessToken(SandboxOrg org, String fromRefreshToken) {
        return issueAccessToken(org, fromRefreshToken, tokenTtl);
    }

    /** An access token that lives {@code ttl} (short-lived tokens), whatever {@link #tokenTtl()} says. */
    String issueAccessToken(SandboxOrg org, String fromRefreshToken, Duration ttl) {
        return tokens.issueAccess(SalesforceIds.to15(org.orgId()) + "!AQ" + randomText(72), org.name(), fromRefreshToken,
                ttl);
    }

    String issueRefreshToken(SandboxOrg org) {
        return tokens.issueRefresh("5Aep" + randomText(80), org.name());
    }

    String issueCode(SandboxOrg org, String redirectUri, String challenge, String challengeMethod) {
        // real codes end in "==", which clients must URL-encode in the redirect
        return tokens.issueCode("aPrx" + TokenText.base64(46), org.name(), redirectUri, challenge, challengeMethod);
    }

    /** The org name of a live access token, or null for unknown, expired or revoked tokens. */
    String orgOfAccessToken(String token) {
        return tokens.workspaceOf(token);
    }

    /** The org name of a refresh token, or null. */
    String orgOfRefreshToken(String token) {
        return tokens.workspaceOfRefresh(token);
    }

    /**
     * Takes a refresh token out (rotation: each is used once) and returns its org name; null when it is
     * unknown or already used. Access tokens it issued stay valid until they expire.
     */
    String takeRefreshToken(String token) {
        return tokens.takeRefresh(token);
    }

    /** Takes a code out (codes are single use); null when unknown or expired. */
    AccessTokens.Code redeemCode(String code) {
        return tokens.redeemCode(code);
    }

    /** Revokes an access token, or a refresh token together with the access tokens it issued. */
    void revoke(String token) {
        tokens.revoke(token);
    }

    private static String randomText(int bytes) {
        return TokenText.urlSafe(bytes).replace('-', '.');
    }
}
