package sandbox.kit;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * What a sandbox's OAuth server has handed out, per workspace: access tokens that expire on the kit's clock (and are
 * remembered a while after, so an API can say how long ago one expired), refresh tokens (reusable, or taken out when
 * the provider rotates them) and single-use authorization codes with their redirect URI and PKCE challenge. Token
 * texts come from the sandbox, in its provider's shapes ({@link TokenText} gives the random part); everything is
 * bounded, the oldest forgotten first.
 */
public final class AccessTokens {

    /** How long an authorization code may wait to be exchanged (Salesforce, HubSpot and Entra all say ten minutes). */
    public static final Duration CODE_TTL = Duration.ofMinutes(10);

    /** What an access token grants: a workspace, and the refresh token it came from (or null). */
    public record Access(String workspace, String refreshToken) {
    }

    /** An authorization code waiting to be exchanged; the PKCE challenge is null when none was sent. */
    public record Code(String workspace, String redirectUri, String challenge, String challengeMethod) {

        /** Whether the verifier a token request sends answers the code's challenge (true when there was none). */
        public boolean verifies(String verifier) {
            return challenge == null || pkceVerifies(challenge, challengeMethod, verifier);
        }
    }

    /** Outstanding tokens kept at most, and how long an expired access token is still recognised as one. */
    public record Bounds(int accessTokens, int refreshTokens, int codes, Duration rememberExpired) {

        public static final Bounds DEFAULT = new Bounds(100_000, 10_000, 1_000, Duration.ofHours(24));
    }

    private final Clock clock;
    private final IssuedTokens<Access> access;
    private final IssuedTokens<String> refresh;
    private final IssuedTokens<Code> codes;

    public AccessTokens(Clock clock) {
        this(clock, Bounds.DEFAULT);
    }

    public AccessTokens(Clock clock, Bounds bounds) {
        this.clock = clock;
        this.access = new IssuedTokens<>(clock, bounds.accessTokens(), bounds.rememberExpired());
        this.refresh = new IssuedTokens<>(clock, bounds.refreshTokens(), Duration.ZERO);
        this.codes = new IssuedTokens<>(clock, bounds.codes(), Duration.ZERO);
    }

    public Instant now() {
        return clock.instant();
    }

    /** Stores an access token for a workspace, living {@code ttl}; answers the token. */
    public String issueAccess(String token, String workspace, String fromRefreshToken, Duration ttl) {
        return access.put(token, new Access(workspace, fromRefreshToken), ttl);
    }

    /** An access token's grant and expiry, expired or not; null for one never issued, revoked or long forgotten. */
    public IssuedTokens.Issued<Access> access(String token) {
        return access.find(token);
    }

    /** The workspace of a live access token; null for unknown, expired or revoked tokens. */
    public String workspaceOf(String accessToken) {
        Access grant = access.live(accessToken);
        return grant == null ? null : grant.workspace();
    }

    /** Ends every live access token of a workspace now, as a session timeout would; refresh tokens stay valid. */
    public int expireAccess(String workspace) {
        return access.expireWhere(g -> g.workspace().equals(workspace));
    }

    /** Stores a refresh token for a workspace; answers the token. */
    public String issueRefresh(String token, String workspace) {
        return refresh.put(token, workspace, null);
    }

    /** The workspace of a refresh token, or null. */
    public String workspaceOfRefresh(String token) {
        return refresh.live(token);
    }

    /**
     * Takes a refresh token out (rotation: each is used once) and answers its workspace; null when it is unknown or
     * already used. Access tokens it issued stay valid until they expire.
     */
    public String takeRefresh(String token) {
        return refresh.take(token);
    }

    /** Revokes a refresh token; the access tokens it issued stay valid until they expire. */
    public boolean revokeRefresh(String token) {
        return refresh.revoke(token);
    }

    /** Revokes an access token, or a refresh token together with the access tokens it issued. */
    public void revoke(String token) {
        if (token == null) {
            return;
        }
        access.revoke(token);
        if (refresh.revoke(token)) {
            access.revokeWhere(g -> token.equals(g.refreshToken()));
        }
    }

    /** Stores a single-use code living {@link #CODE_TTL}; the challenge (and its method) are null without PKCE. */
    public String issueCode(String code, String workspace, String redirectUri, String challenge, String challengeMethod) {
        return codes.put(code, new Code(workspace, redirectUri, challenge, challengeMethod), CODE_TTL);
    }

    /** Takes a code out (codes are single use); null when unknown, used or expired. */
    public Code redeemCode(String code) {
        return codes.take(code);
    }

    /**
     * RFC 7636: the verifier answers the challenge when {@code BASE64URL(SHA-256(verifier))} is it (method
     * {@code S256}) or, for any other method ({@code plain}), when the verifier is the challenge itself.
     */
    public static boolean pkceVerifies(String challenge, String method, String verifier) {
        if (verifier == null) {
            return false;
        }
        String expected = verifier;
        if ("S256".equals(method)) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                expected = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return expected.equals(challenge);
    }

    /**
     * Whether an authorization answer may be redirected there: an http(s) URL without credentials on this machine
     * (localhost, 127.0.0.1 or [::1]), so a sandbox whose logins are public redirects nowhere else.
     */
    public static boolean isLoopbackRedirect(String uri) {
        try {
            URI parsed = URI.create(uri);
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            String host = parsed.getHost();
            return (scheme.equals("http") || scheme.equals("https")) && host != null && parsed.getRawUserInfo() == null
                    && List.of("localhost", "127.0.0.1", "[::1]", "::1").contains(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The token of an {@code Authorization} header in one of the schemes (case-insensitive: {@code Bearer}, or also
     * Salesforce's {@code OAuth}); null when there is none.
     */
    public static String bearer(String authorization, String... schemes) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String scheme = value.substring(0, space);
        for (String accepted : schemes) {
            if (scheme.equalsIgnoreCase(accepted)) {
                String token = value.substring(space + 1).trim();
                return token.isEmpty() ? null : token;
            }
        }
        return null;
    }
}
