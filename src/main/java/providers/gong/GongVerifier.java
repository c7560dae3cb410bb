package providers.gong;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.stereotype.Component;

import providers.webhooks.InboundWebhook;
import providers.webhooks.Json;
import providers.webhooks.MalformedWebhookException;
import providers.webhooks.Signatures;
import providers.webhooks.Verdict;
import providers.webhooks.VerificationContext;
import providers.webhooks.WebhookScheme;
import providers.webhooks.WebhookVerifier;

/**
 * Gong's automation-rule webhooks with "signed JWT" authentication: {@code Authorization: <JWT>} (a {@code Bearer }
 * prefix is taken too), RS256, verified with the public key Gong shows in the rule, which the integrator copies into the
 * registration as its secret (PEM). Its claims must name this endpoint ({@code webhook_url}: scheme, host and path, a
 * trailing slash aside) and the body ({@code body_sha256}, hex SHA-256 of the raw bytes), and it must not have expired
 * ({@code exp}, when present, with the usual tolerance). Claim names per third-party receivers: UNVERIFIED in Gong's own
 * documents (GONG_WIRE.md §6).
 */
@Component
public final class GongVerifier implements WebhookVerifier {

    /** Gong issues the key pair; the integrator copies the public key from the rule into the registration. */
    public static final WebhookScheme SCHEME = WebhookScheme.builder("gong", WebhookScheme.Secret.PROVIDER_ISSUED).build();

    @Override
    public WebhookScheme scheme() {
        return SCHEME;
    }

    @Override
    public Verdict verify(InboundWebhook request, VerificationContext context) {
        if (!context.hasSecret()) {
            return Verdict.Rejected.noSecret();
        }
        String header = request.header("authorization");
        if (header == null || header.isBlank()) {
            return Verdict.Rejected.missingHeader("authorization");
        }
        String token = header.trim().regionMatches(true, 0, "Bearer ", 0, 7) ? header.trim().substring(7).trim() : header.trim();
        RSAPublicKey key = publicKey(new String(context.secret(), StandardCharsets.UTF_8));
        if (key == null) {
            return Verdict.Rejected.unauthorized("the registration's secret is not an RSA public key (PEM)");
        }
        JWTClaimsSet claims;
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new RSASSAVerifier(key))) {
                return Verdict.Rejected.unauthorized("JWT signature mismatch");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Verdict.Rejected.unauthorized("not a signed JWT");
        }
        Date expires = claims.getExpirationTime();
        if (expires != null && expires.toInstant().plus(context.tolerance()).isBefore(context.now())) {
            return Verdict.Rejected.unauthorized("JWT expired");
        }
        Object hash = claims.getClaim("body_sha256");
        if (!(hash instanceof String hex) || !Signatures.matchesHex(sha256(request.body()), hex)) {
            return Verdict.Rejected.unauthorized("body_sha256 does not match the body");
        }
        Object url = claims.getClaim("webhook_url");
        if (!(url instanceof String target) || !sameEndpoint(target, request.path(), context.publicUrl())) {
            return Verdict.Rejected.unauthorized("webhook_url names another endpoint");
        }
        try {
            JsonNode body = Json.object(request.body());
            String id = Json.text(body, "callData", "metaData", "id");
            Instant issued = claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant();
            return new Verdict.Verified(id != null && issued != null ? "call:" + id + ":" + issued.toEpochMilli()
                    : Signatures.bodyHash(request.body()), null);
        } catch (MalformedWebhookException e) {
            return Verdict.Rejected.malformed(e.getMessage());
        }
    }

    /** Scheme, host and path of the claim against the registration's public URL (its path alone when that is unknown). */
    static boolean sameEndpoint(String claimed, String requestPath, String publicUrl) {
        URI claim;
        try {
            claim = URI.create(claimed.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (publicUrl == null || publicUrl.isBlank()) {
            return trimSlash(claim.getRawPath()).equals(trimSlash(requestPath));
        }
        URI own = URI.create(publicUrl.trim());
        return String.valueOf(claim.getScheme()).equalsIgnoreCase(String.valueOf(own.getScheme()))
                && String.valueOf(claim.getAuthority()).equalsIgnoreCase(String.valueOf(own.getAuthority()))
                && trimSlash(claim.getRawPath()).equals(trimSlash(own.getRawPath()));
    }

    private static String trimSlash(String path) {
        String p = path == null ? "" : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static RSAPublicKey publicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | InvalidKeySpecException | NoSuchAlgorithmException | ClassCastException e) {
            return null;
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
