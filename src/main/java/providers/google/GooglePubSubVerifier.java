package providers.google;

import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import org.springframework.stereotype.Component;

import providers.webhooks.InboundWebhook;
import providers.webhooks.Json;
import providers.webhooks.JwkSources;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookVerifier;

/**
 * Google Pub/Sub push with authentication: {@code Authorization: Bearer <OIDC JWT>} signed RS256 by Google.
 * The token must name our audience (setting {@code audience}, else the endpoint's publicUrl, which is
 * Pub/Sub's default audience), come from Google ({@code iss}), belong to the push service account
 * ({@code email} + {@code email_verified}) and be within exp/iat, allowing 60 s of clock skew.
 */
@Component
public final class GooglePubSubVerifier implements WebhookVerifier {

    public static final String AUDIENCE = "audience";
    public static final String SERVICE_ACCOUNT_EMAIL = "serviceAccountEmail";
    public static final String ISSUER = "issuer";
    public static final String JWKS_URI = "jwksUri";
    /** No shared secret: Google signs an OIDC token; the settings say which one to accept (audience falls back to the public URL). */
    public static final WebhookScheme SCHEME = WebhookScheme.builder("google_pubsub", WebhookScheme.Secret.NONE)
            .settings(AUDIENCE, ISSUER).required(SERVICE_ACCOUNT_EMAIL).fetchedUrls(JWKS_URI).build();

    static final String DEFAULT_ISSUER = "https://accounts.google.com";
    static final String DEFAULT_JWKS_URI = "https://www.googleapis.com/oauth2/v3/certs";
    private static final long CLOCK_SKEW_SECONDS = 60;

    private final JwkSources jwkSources;
    private final Map<String, JWKSource<SecurityContext>> keySources = new ConcurrentHashMap<>();

    /** @param jwkSources the key source for a JWKS URI; asked once per URI, the source is kept (it caches the keys) */
    public GooglePubSubVerifier(JwkSources jwkSources) {
        this.jwkSources = jwkSources;
    }

    @Override
    public WebhookScheme scheme() {
        return SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        String authorization = request.header("authorization");
        if (authorization == null) {
            return Verdict.Rejected.missingHeader("authorization");
        }
        if (authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Verdict.Rejected.unauthorized("authorization is not a Bearer token");
        }
        String email = context.setting(SERVICE_ACCOUNT_EMAIL);
        if (email == null) {
            return Verdict.Rejected.unauthorized("serviceAccountEmail setting missing");
        }
        String audience = context.setting(AUDIENCE);
        if (audience == null) {
            audience = context.publicUrl();
        }
        if (audience == null || audience.isBlank()) {
            return Verdict.Rejected.unauthorized("audience setting and publicUrl both missing");
        }
        String jwksUri = context.setting(JWKS_URI);
        jwksUri = jwksUri == null ? DEFAULT_JWKS_URI : jwksUri;
        if (!isHttps(jwksUri)) {
            return Verdict.Rejected.unauthorized("jwksUri must be https");
        }
        String issuer = context.setting(ISSUER);
        Set<String> issuers = issuer == null || issuer.equals(DEFAULT_ISSUER)
                ? Set.of(DEFAULT_ISSUER, "accounts.google.com") : Set.of(issuer);

        JWKSource<SecurityContext> keys;
        try {
            keys = keySources.computeIfAbsent(jwksUri, jwkSources::keysAt);
        } catch (RuntimeException e) {
            return Verdict.Rejected.unauthorized("jwksUri is not usable");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        processor.setJWTClaimsSetVerifier(new GoogleClaims(audience.trim(), issuers, email, context.now()));
        try {
            processor.process(authorization.substring(7).trim(), null);
        } catch (ParseException e) {
            return Verdict.Rejected.unauthorized("bearer token is not a JWT");
        } catch (BadJWTException e) {
            // our own claim messages are fixed strings; Nimbus's may quote claim values
            return Verdict.Rejected.unauthorized(e instanceof ClaimRejected ? e.getMessage() : "token claims rejected");
        } catch (BadJOSEException e) {
            return Verdict.Rejected.unauthorized("token signature or algorithm not accepted");
        } catch (JOSEException e) {
            return Verdict.Rejected.unauthorized("token could not be checked (signing keys unavailable)");
        }
        return message(request);
    }

    private static Verdict message(InboundWebhook request) {
        JsonNode body;
        try {
            body = Json.object(request.body());
        } catch (MalformedWebhookException e) {
            return Verdict.Rejected.malformed(e.getMessage());
        }
        JsonNode message = body.get("message");
        if (message == null || !message.isObject()) {
            return Verdict.Rejected.malformed("no message object");
        }
        String messageId = Json.text(message, "messageId");
        if (messageId == null) {
            messageId = Json.text(message, "message_id");
        }
        if (messageId == null) {
            return Verdict.Rejected.malformed("message without messageId");
        }
        return new Verdict.Verified(messageId, null);
    }

    /** A claim check that failed; the message is a fixed, value-free string. */
    private static final class ClaimRejected extends BadJWTException {
        ClaimRejected(String message) {
            super(message);
        }
    }

    /** Claim checks against the context's clock, so tests and the receiver agree on "now". */
    private record GoogleClaims(String audience, Set<String> issuers, String email, Instant now)
            implements JWTClaimsSetVerifier<SecurityContext> {

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            List<String> audiences = claims.getAudience();
            if (audiences == null || !audiences.contains(audience)) {
                throw new ClaimRejected("token audience not accepted");
            }
            if (claims.getIssuer() == null || !issuers.contains(claims.getIssuer())) {
                throw new ClaimRejected("token issuer not accepted");
            }
            Date expires = claims.getExpirationTime();
            if (expires == null) {
                throw new ClaimRejected("token without exp");
            }
            if (expires.toInstant().plusSeconds(CLOCK_SKEW_SECONDS).isBefore(now)) {
                throw new ClaimRejected("token expired");
            }
            Date issued = claims.getIssueTime();
            if (issued == null) {
                throw new ClaimRejected("token without iat");
            }
            if (issued.toInstant().minusSeconds(CLOCK_SKEW_SECONDS).isAfter(now)) {
                throw new ClaimRejected("token issued in the future");
            }
            Date notBefore = claims.getNotBeforeTime();
            if (notBefore != null && notBefore.toInstant().minusSeconds(CLOCK_SKEW_SECONDS).isAfter(now)) {
                throw new ClaimRejected("token not yet valid");
            }
            Object tokenEmail = claims.getClaim("email");
            if (!(tokenEmail instanceof String s) || !s.equals(email)) {
                throw new ClaimRejected("token email is not the push service account");
            }
            if (!Boolean.TRUE.equals(claims.getClaim("email_verified"))) {
                throw new ClaimRejected("token email not verified");
            }
        }
    }

    // a registration must not make the hub fetch keys from a plain-http or internal non-TLS address
    private static boolean isHttps(String uri) {
        try {
            return "https".equalsIgnoreCase(URI.create(uri).getScheme());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
