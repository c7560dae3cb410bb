package sandbox.hubspot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import sandbox.kit.AccessTokens;
import sandbox.kit.IssuedTokens;
import sandbox.kit.TokenText;

/**
 * OAuth access tokens, refresh tokens and authorization codes of the sandbox's app, kept by the kit's
 * {@link AccessTokens}: here is what HubSpot's look like. Access tokens expire after their portal's lifetime and are
 * remembered a while after, so a call with one is told how long ago it expired, as HubSpot does. Refresh tokens are
 * not rotated.
 */
final class HubSpotTokens {

    static final String CLIENT_ID = "sandbox-client";
    static final String CLIENT_SECRET = "sandbox-secret";
    /** HubSpot's scopes for what the sandbox serves, as token information lists them. */
    static final List<String> SCOPES = List.of("oauth", "crm.objects.companies.read",
            "crm.objects.companies.write", "crm.objects.contacts.read", "crm.objects.contacts.write",
            "crm.objects.deals.read", "crm.objects.deals.write", "crm.schemas.companies.read",
            "crm.schemas.contacts.read", "crm.schemas.deals.read");

    private final AccessTokens tokens;

    HubSpotTokens(Clock clock) {
        this.tokens = new AccessTokens(clock);
    }

    Instant now() {
        return tokens.now();
    }

    /** A new access token for the portal, living {@code ttl}. */
    String issueAccessToken(String portal, String refreshToken, Duration ttl) {
        // HubSpot's access tokens are long opaque strings (up to 512 characters)
        return tokens.issueAccess("C" + TokenText.urlSafe(96), portal, refreshToken, ttl);
    }

    String issueRefreshToken(String portal) {
        return tokens.issueRefresh("na1-" + UUID.randomUUID().toString().substring(4), portal);
    }

    String issueCode(String portal, String redirectUri) {
        return tokens.issueCode(UUID.randomUUID().toString(), portal, redirectUri, null, null);
    }

    /** The grant of an access token, expired or not; null for one never issued (or long forgotten). */
    IssuedTokens.Issued<AccessTokens.Access> accessGrant(String token) {
        return tokens.access(token);
    }

    /** The portal of a refresh token, or null. */
    String portalOfRefreshToken(String token) {
        return tokens.workspaceOfRefresh(token);
    }

    /** Takes a code out (codes are single use); null when unknown or expired. */
    AccessTokens.Code redeemCode(String code) {
        return tokens.redeemCode(code);
    }

    /** Revokes a refresh token; the access tokens it issued stay valid until they expire, as HubSpot's do. */
    boolean revokeRefreshToken(String token) {
        return tokens.revokeRefresh(token);
    }

    /** Ends every live access token of a portal now; refresh tokens stay valid. Answers how many it ended. */
    int expireAccessTokens(String portal) {
        return tokens.expireAccess(portal);
    }
}
