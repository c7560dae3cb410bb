package sandbox.hubspot;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * OAuth access tokens, refresh tokens and authorization codes of the sandbox's app. Access tokens expire after their
 * portal's lifetime and are remembered a while after, so a call with one is told how long ago it expired, as HubSpot
 * does. Everything outstanding is bounded: the oldest entries make room for new ones. Refresh tokens are not rotated.
 */
final class HubSpotTokens {

    static final String CLIENT_ID = "sandbox-client";
    static final String CLIENT_SECRET = "sandbox-secret";
    /** HubSpot's scopes for what the sandbox serves, as token information lists them. */
    static final java.util.List<String> SCOPES = java.util.List.of("oauth", "crm.objects.companies.read",
            "crm.objects.companies.write", "crm.objects.contacts.read", "crm.objects.contacts.write",
            "crm.objects.deals.read", "crm.objects.deals.write", "crm.schemas.companies.read",
            "crm.schemas.contacts.read", "crm.schemas.deals.read");
    static final Duration CODE_TTL = Duration.ofMinutes(10);
    /** How long an expired access token is still recognised as one. */
    static final Duration REMEMBER_EXPIRED = Duration.ofHours(24);
    static final int MAX_ACCESS_TOKENS = 100_000;
    static final int MAX_REFRESH_TOKENS = 10_000;
    static final int MAX_CODES = 1_000;

    /** What an access token grants, and until when. */
    record AccessGrant(String portal, Instant expiresAt, String refreshToken) {
    }

    record AuthorizationCode(String portal, String redirectUri, Instant expiresAt) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, AccessGrant> accessTokens = new LinkedHashMap<>();
    private final Map<String, String> refreshTokens = new LinkedHashMap<>();
    private final Map<String, AuthorizationCode> codes = new LinkedHashMap<>();

    HubSpotTokens(Clock clock) {
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** A new access token for the portal, living {@code ttl}. */
    synchronized String issueAccessToken(String portal, String refreshToken, Duration ttl) {
        purge(accessTokens, MAX_ACCESS_TOKENS, e -> e.getValue().expiresAt().plus(REMEMBER_EXPIRED).isBefore(clock.instant()));
        // HubSpot's access tokens are long opaque strings (up to 512 characters)
        String token = "C" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(96));
        accessTokens.put(token, new AccessGrant(portal, clock.instant().plus(ttl), refreshToken));
        return token;
    }

    synchronized String issueRefreshToken(String portal) {
        purge(refreshTokens, MAX_REFRESH_TOKENS, e -> false);
        String token = "na1-" + UUID.randomUUID().toString().substring(4);
        refreshTokens.put(token, portal);
        return token;
    }

    synchronized String issueCode(String portal, String redirectUri) {
        purge(codes, MAX_CODES, e -> !clock.instant().isBefore(e.getValue().expiresAt()));
        String code = UUID.randomUUID().toString();
        codes.put(code, new AuthorizationCode(portal, redirectUri, clock.instant().plus(CODE_TTL)));
        return code;
    }

    /** The grant of an access token, expired or not; null for one never issued (or long forgotten). */
    synchronized AccessGrant accessGrant(String token) {
        return token == null ? null : accessTokens.get(token);
    }

    /** The portal of a refresh token, or null. */
    synchronized String portalOfRefreshToken(String token) {
        return token == null ? null : refreshTokens.get(token);
    }

    /** Takes a code out (codes are single use); null when unknown or expired. */
    synchronized AuthorizationCode redeemCode(String code) {
        AuthorizationCode found = code == null ? null : codes.remove(code);
        return found == null || !clock.instant().isBefore(found.expiresAt()) ? null : found;
    }

    /** Revokes a refresh token; the access tokens it issued stay valid until they expire, as HubSpot's do. */
    synchronized boolean revokeRefreshToken(String token) {
        return token != null && refreshTokens.remove(token) != null;
    }

    /** Ends every live access token of a portal now; refresh tokens stay valid. Answers how many it ended. */
    synchronized int expireAccessTokens(String portal) {
        Instant now = clock.instant();
        int[] ended = new int[1];
        accessTokens.replaceAll((token, grant) -> {
            if (grant.portal().equals(portal) && now.isBefore(grant.expiresAt())) {
                ended[0]++;
                return new AccessGrant(grant.portal(), now, grant.refreshToken());
            }
            return grant;
        });
        return ended[0];
    }

    /** Drops what may go, then the oldest entries while the map is full. */
    private static <V> void purge(Map<String, V> map, int max, java.util.function.Predicate<Map.Entry<String, V>> gone) {
        if (map.size() < max) {
            return;
        }
        map.entrySet().removeIf(gone);
        Iterator<String> oldest = map.keySet().iterator();
        while (map.size() >= max && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    private byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
