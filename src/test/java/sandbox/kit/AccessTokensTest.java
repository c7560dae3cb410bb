package sandbox.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import hub.MutableClock;

/** Issued tokens on the kit's clock: expiry, workspace-wide expiry, rotation, revocation, single-use codes, bounds. */
class AccessTokensTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final AccessTokens tokens = new AccessTokens(clock);

    @Test
    void anAccessTokenIsLiveForItsTimeToLiveAndThenRememberedAsExpired() {
        tokens.issueAccess("t1", "acme", null, Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        assertThat(tokens.workspaceOf("t1")).isEqualTo("acme");

        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.workspaceOf("t1")).isNull();
        IssuedTokens.Issued<AccessTokens.Access> expired = tokens.access("t1");
        assertThat(expired.grant().workspace()).isEqualTo("acme");
        assertThat(expired.expiresAt()).isEqualTo(Instant.parse("2026-01-01T10:30:00Z"));
        assertThat(expired.liveAt(clock.instant())).isFalse();
        assertThat(tokens.access("never-issued")).isNull();
        assertThat(tokens.workspaceOf(null)).isNull();
    }

    @Test
    void expiringAWorkspacesTokensLeavesOtherWorkspacesAndRefreshTokensAlone() {
        tokens.issueAccess("a1", "a", null, Duration.ofHours(1));
        tokens.issueAccess("a2", "a", null, Duration.ofHours(1));
        tokens.issueAccess("b1", "b", null, Duration.ofHours(1));
        tokens.issueRefresh("ra", "a");

        assertThat(tokens.expireAccess("a")).isEqualTo(2);
        assertThat(tokens.workspaceOf("a1")).isNull();
        assertThat(tokens.workspaceOf("a2")).isNull();
        assertThat(tokens.workspaceOf("b1")).isEqualTo("b");
        assertThat(tokens.workspaceOfRefresh("ra")).isEqualTo("a");
        assertThat(tokens.expireAccess("a")).as("only live ones are ended").isZero();
    }

    @Test
    void aRotatedRefreshTokenIsUsedOnceAndRevokingOneRevokesTheAccessTokensItIssued() {
        tokens.issueRefresh("r1", "acme");
        tokens.issueAccess("from-r1", "acme", "r1", Duration.ofHours(1));
        tokens.issueAccess("other", "acme", null, Duration.ofHours(1));

        tokens.revoke("r1");
        assertThat(tokens.workspaceOfRefresh("r1")).isNull();
        assertThat(tokens.workspaceOf("from-r1")).isNull();
        assertThat(tokens.workspaceOf("other")).isEqualTo("acme");

        tokens.issueRefresh("r2", "acme");
        assertThat(tokens.takeRefresh("r2")).isEqualTo("acme");
        assertThat(tokens.takeRefresh("r2")).as("a replay finds nothing").isNull();
        tokens.issueRefresh("r3", "acme");
        tokens.issueAccess("from-r3", "acme", "r3", Duration.ofHours(1));
        assertThat(tokens.revokeRefresh("r3")).isTrue();
        assertThat(tokens.workspaceOf("from-r3")).as("revoking the refresh token alone keeps its access tokens")
                .isEqualTo("acme");
    }

    @Test
    void anAuthorizationCodeIsSingleUseAndExpiresAfterTenMinutes() {
        tokens.issueCode("c1", "acme", "http://localhost/cb", null, null);
        AccessTokens.Code code = tokens.redeemCode("c1");
        assertThat(code.workspace()).isEqualTo("acme");
        assertThat(code.redirectUri()).isEqualTo("http://localhost/cb");
        assertThat(code.verifies(null)).as("no challenge, nothing to verify").isTrue();
        assertThat(tokens.redeemCode("c1")).isNull();

        tokens.issueCode("c2", "acme", "http://localhost/cb", null, null);
        clock.advance(AccessTokens.CODE_TTL);
        assertThat(tokens.redeemCode("c2")).isNull();
    }

    @Test
    void pkceChallengesAreVerifiedS256AndPlain() throws Exception {
        String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        // RFC 7636 appendix B
        assertThat(AccessTokens.pkceVerifies("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", verifier)).isTrue();
        assertThat(AccessTokens.pkceVerifies("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", verifier + "x")).isFalse();
        assertThat(AccessTokens.pkceVerifies(verifier, "plain", verifier)).isTrue();
        assertThat(AccessTokens.pkceVerifies(verifier, "plain", null)).isFalse();

        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest("v".getBytes(StandardCharsets.US_ASCII)));
        tokens.issueCode("c", "acme", "http://localhost/cb", challenge, "S256");
        assertThat(tokens.redeemCode("c").verifies("v")).isTrue();
    }

    @Test
    void aFullStoreForgetsExpiredTokensFirstThenTheOldest() {
        IssuedTokens<String> issued = new IssuedTokens<>(clock, 3, Duration.ZERO);
        issued.put("short", "x", Duration.ofSeconds(1));
        issued.put("old", "x", Duration.ofHours(1));
        issued.put("mid", "x", Duration.ofHours(1));
        clock.advance(Duration.ofSeconds(1));

        issued.put("new", "x", Duration.ofHours(1));
        assertThat(issued.find("short")).as("expired, so forgotten first").isNull();
        assertThat(issued.live("old")).isEqualTo("x");

        issued.put("newest", "x", Duration.ofHours(1));
        assertThat(issued.find("old")).as("then the oldest").isNull();
        assertThat(issued.size()).isEqualTo(3);
        assertThat(issued.live("newest")).isEqualTo("x");
    }

    @Test
    void setupExpiresTheSelfContainedTokensAWorkspaceHasTaken() {
        TakenTokens taken = new TakenTokens(clock);
        Instant issued = clock.instant();
        assertThat(taken.accepts("jti-1", issued)).isTrue();
        clock.advance(Duration.ofSeconds(5));
        taken.expireAll();

        assertThat(taken.accepts("jti-1", issued)).as("seen before the expiry").isFalse();
        assertThat(taken.accepts("jti-2", issued)).as("issued before the expiry").isFalse();
        assertThat(taken.accepts("jti-3", clock.instant())).as("issued in that second, not yet used").isTrue();
        assertThat(taken.accepts(null, null)).isTrue();
    }

    @Test
    void bearerTokensAndLoopbackRedirects() {
        assertThat(AccessTokens.bearer("Bearer abc", "Bearer")).isEqualTo("abc");
        assertThat(AccessTokens.bearer("  bearer   abc  ", "Bearer")).isEqualTo("abc");
        assertThat(AccessTokens.bearer("OAuth abc", "Bearer", "OAuth")).isEqualTo("abc");
        assertThat(AccessTokens.bearer("OAuth abc", "Bearer")).isNull();
        assertThat(AccessTokens.bearer("Basic abc", "Bearer")).isNull();
        assertThat(AccessTokens.bearer("Bearer", "Bearer")).isNull();
        assertThat(AccessTokens.bearer(null, "Bearer")).isNull();

        assertThat(AccessTokens.isLoopbackRedirect("http://localhost:8080/callback")).isTrue();
        assertThat(AccessTokens.isLoopbackRedirect("https://127.0.0.1/cb?x=1")).isTrue();
        assertThat(AccessTokens.isLoopbackRedirect("http://[::1]:9/cb")).isTrue();
        assertThat(AccessTokens.isLoopbackRedirect("https://example.com/cb")).isFalse();
        assertThat(AccessTokens.isLoopbackRedirect("http://user@localhost/cb")).isFalse();
        assertThat(AccessTokens.isLoopbackRedirect("javascript://localhost/cb")).isFalse();
        assertThat(AccessTokens.isLoopbackRedirect("not a uri")).isFalse();
    }
}
