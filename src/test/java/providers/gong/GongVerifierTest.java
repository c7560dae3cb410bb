package providers.gong;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import providers.webhooks.HubEvent;
import providers.webhooks.InboundWebhook;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;

/** Gong's signed-JWT automation webhooks: what passes, what is refused, and the event a delivery makes. */
class GongVerifierTest {

    private static final String URL = "https://hub.example/webhooks/r1";
    private static final byte[] BODY = "{\"callData\":{\"metaData\":{\"id\":\"7782342274025937895\"}},\"isTest\":false}"
            .getBytes(StandardCharsets.UTF_8);
    private final GongVerifier verifier = new GongVerifier();
    private final RSAKey gongKey = key();
    private final Instant now = Instant.parse("2026-06-01T12:00:00Z");

    private static RSAKey key() {
        try {
            return new RSAKeyGenerator(2048).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(RSAKey key) throws Exception {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private String jwt(RSAKey signer, String url, byte[] body, Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("webhook_url", url)
                .claim("body_sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)))
                .issueTime(Date.from(now.minusSeconds(1))).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims);
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    private Verdict verify(String authorization, byte[] body) throws Exception {
        InboundWebhook request = InboundWebhook.of("POST", "/webhooks/r1", null,
                authorization == null ? Map.of() : Map.of("Authorization", authorization), body);
        return verifier.verify(request, new VerificationContext(pem(gongKey).getBytes(StandardCharsets.UTF_8), Map.of(), URL, null, now));
    }

    @Test
    void aDeliverySignedByGongForThisEndpointAndBodyIsVerified() throws Exception {
        Instant later = now.plus(Duration.ofMinutes(5));
        assertThat(verify(jwt(gongKey, URL, BODY, later), BODY)).isInstanceOf(Verdict.Verified.class);
        assertThat(verify("Bearer " + jwt(gongKey, URL + "/", BODY, later), BODY)).isInstanceOf(Verdict.Verified.class);
        assertThat(new GongEventParser().parse(InboundWebhook.of("POST", "/webhooks/r1", null, Map.of(), BODY)))
                .containsExactly(new HubEvent("note.created", "calls", "7782342274025937895", "gong.call"));
        assertThat(new GongEventParser().parse(InboundWebhook.of("POST", "/webhooks/r1", null, Map.of(),
                "{\"callData\":{\"metaData\":{\"id\":\"1\"}},\"isTest\":true}".getBytes(StandardCharsets.UTF_8)))).isEmpty();
    }

    @Test
    void anotherKeyBodyEndpointOrAnExpiredTokenIsRefused() throws Exception {
        Instant later = now.plus(Duration.ofMinutes(5));
        byte[] other = "{\"callData\":{\"metaData\":{\"id\":\"1\"}}}".getBytes(StandardCharsets.UTF_8);
        for (String authorization : List.of(jwt(key(), URL, BODY, later), jwt(gongKey, URL, other, later),
                jwt(gongKey, "https://elsewhere.example/webhooks/r1", BODY, later), jwt(gongKey, URL, BODY, now.minus(Duration.ofMinutes(10))),
                "not-a-jwt")) {
            Verdict verdict = verify(authorization, BODY);
            assertThat(verdict).isInstanceOfSatisfying(Verdict.Rejected.class, r -> assertThat(r.status()).isEqualTo(401));
        }
        assertThat(verify(null, BODY)).isInstanceOfSatisfying(Verdict.Rejected.class, r -> assertThat(r.reason()).contains("authorization"));
    }
}
