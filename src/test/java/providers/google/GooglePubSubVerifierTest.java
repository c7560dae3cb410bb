package providers.google;

import static org.assertj.core.api.Assertions.assertThat;
import static providers.webhooks.Fixtures.*;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import providers.webhooks.InboundWebhook;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookVerifier;

class GooglePubSubVerifierTest {

    private static final String ENDPOINT = "https://hub.example.com/webhooks/pubsub/t1";
    private static final String ACCOUNT = "push@castiel-project.iam.gserviceaccount.com";
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final String BODY = "{\"message\":{\"attributes\":{\"eventType\":\"OBJECT_FINALIZE\",\"objectId\":\"a.pdf\"},"
            + "\"data\":\"SGVsbG8gQ2xvdWQgUHViL1N1YiEgSGVyZSBpcyBteSBtZXNzYWdlIQ==\",\"messageId\":\"2070443601311540\","
            + "\"publishTime\":\"2025-06-01T11:59:58Z\"},\"subscription\":\"projects/myproject/subscriptions/mysubscription\"}";

    private static RSAKey googleKey;
    private static RSAKey otherKeySameId;
    private static final AtomicInteger KEY_LOOKUPS = new AtomicInteger();
    private static WebhookVerifier verifier;

    @BeforeAll
    static void keys() throws Exception {
        googleKey = new RSAKeyGenerator(2048).keyID("google-1").generate();
        otherKeySameId = new RSAKeyGenerator(2048).keyID("google-1").generate();
        ImmutableJWKSet<com.nimbusds.jose.proc.SecurityContext> published =
                new ImmutableJWKSet<>(new JWKSet(googleKey.toPublicJWK()));
        verifier = new GooglePubSubVerifier(uri -> {
            KEY_LOOKUPS.incrementAndGet();
            return published;
        });
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .audience(ENDPOINT)
                .issuer("https://accounts.google.com")
                .subject("113774264463038321964")
                .claim("email", ACCOUNT)
                .claim("email_verified", true)
                .issueTime(Date.from(NOW.minusSeconds(10)))
                .expirationTime(Date.from(NOW.plusSeconds(3590)));
    }

    private static String token(JWTClaimsSet claims, JWSAlgorithm algorithm, JWSSigner signer, String keyId) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String rs256(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        return token(change.apply(claims()).build(), JWSAlgorithm.RS256, new RSASSASigner(googleKey), "google-1");
    }

    private static InboundWebhook push(String token) {
        return post(BODY, "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    private static VerificationContext settings(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("serviceAccountEmail", ACCOUNT));
        settings.putAll(extra);
        return context(null, settings, ENDPOINT, NOW);
    }

    private static final VerificationContext CONTEXT = settings(Map.of());

    @Test
    void aGoogleSignedTokenForOurEndpointVerifies() throws Exception {
        Verdict verdict = verifier.verify(push(rs256(b -> b)), CONTEXT);
        assertThat(verified(verdict).deliveryId()).isEqualTo("2070443601311540");
    }

    @Test
    void theAudienceSettingWinsOverThePublicUrl() throws Exception {
        String token = rs256(b -> b.audience("castiel-pubsub"));
        verified(verifier.verify(push(token), settings(Map.of("audience", "castiel-pubsub"))));
        assertThat(rejected(verifier.verify(push(token), CONTEXT), 401).reason()).contains("audience");
    }

    @Test
    void theShortIssuerFormIsAcceptedToo() throws Exception {
        verified(verifier.verify(push(rs256(b -> b.issuer("accounts.google.com"))), CONTEXT));
    }

    @Test
    void wrongClaimsAreRejected() throws Exception {
        assertThat(reason(rs256(b -> b.audience("https://evil.example.com/")))).contains("audience");
        assertThat(reason(rs256(b -> b.claim("email", "someone@evil.iam.gserviceaccount.com")))).contains("service account");
        assertThat(reason(rs256(b -> b.claim("email_verified", false)))).contains("not verified");
        assertThat(reason(rs256(b -> b.issuer("https://evil.example.com")))).contains("issuer");
        assertThat(reason(rs256(b -> b.expirationTime(Date.from(NOW.minusSeconds(120)))))).contains("expired");
        assertThat(reason(rs256(b -> b.issueTime(Date.from(NOW.plusSeconds(600)))))).contains("future");
    }

    private static String reason(String token) {
        return rejected(verifier.verify(push(token), CONTEXT), 401).reason();
    }

    @Test
    void aSmallClockSkewIsTolerated() throws Exception {
        verified(verifier.verify(push(rs256(b -> b.expirationTime(Date.from(NOW.minusSeconds(30))))), CONTEXT));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRejected() throws Exception {
        String forged = token(claims().build(), JWSAlgorithm.RS256, new RSASSASigner(otherKeySameId), "google-1");
        assertThat(reason(forged)).contains("signature");
    }

    @Test
    void anHs256TokenIsRejected() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String hs256 = token(claims().build(), JWSAlgorithm.HS256, new MACSigner(key), "google-1");
        assertThat(reason(hs256)).contains("algorithm");
    }

    @Test
    void anUnsignedTokenIsRejected() throws Exception {
        String none = new com.nimbusds.jwt.PlainJWT(claims().build()).serialize();
        assertThat(reason(none)).contains("algorithm");
        assertThat(reason("not.a.jwt")).contains("not a JWT");
    }

    @Test
    void aMissingAuthorizationHeaderIsNamed() {
        assertThat(rejected(verifier.verify(post(BODY), CONTEXT), 401).reason()).contains("authorization");
        rejected(verifier.verify(post(BODY, "Authorization", "Basic dXNlcjpwYXNz"), CONTEXT), 401);
    }

    @Test
    void theServiceAccountSettingIsRequiredAndJwksMustBeHttps() throws Exception {
        rejected(verifier.verify(push(rs256(b -> b)), context(null, Map.of(), ENDPOINT, NOW)), 401);
        rejected(verifier.verify(push(rs256(b -> b)), settings(Map.of("jwksUri", "http://169.254.169.254/keys"))), 401);
    }

    @Test
    void aValidTokenWithAMalformedBodyIsA400() throws Exception {
        InboundWebhook noMessage = post("{\"subscription\":\"s\"}", "Authorization", "Bearer " + rs256(b -> b));
        rejected(verifier.verify(noMessage, CONTEXT), 400);
    }

    @Test
    void keySourcesAreCreatedOncePerUri() throws Exception {
        int before = KEY_LOOKUPS.get();
        VerificationContext custom = settings(Map.of("jwksUri", "https://keys.example.com/certs-" + before));
        verifier.verify(push(rs256(b -> b)), custom);
        verifier.verify(push(rs256(b -> b)), custom);
        assertThat(KEY_LOOKUPS.get()).isEqualTo(before + 1);
    }
}
