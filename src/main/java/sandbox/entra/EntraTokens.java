package sandbox.entra;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.util.function.SingletonSupplier;

import sandbox.kit.IssuedTokens;
import sandbox.kit.TokenText;

/**
 * The Entra ID sandbox's one tenant and one confidential client, and the access tokens it issues: RS256 JWTs
 * signed with a key made on first use, published at the tenant's {@code jwks_uri}. Other sandboxes (Dynamics,
 * Graph) check a bearer with {@link #validate}.
 */
public class EntraTokens {

    /** The tenant's name in URLs; {@link #TENANT_ID} is accepted as well, as Entra takes a domain or the GUID. */
    public static final String TENANT = "sandbox-tenant";
    public static final String TENANT_ID = "5a1d3b7e-0c4f-4e8a-9b2d-6f3e1c8a7d20";
    public static final String CLIENT_ID = "sandbox-client";
    public static final String CLIENT_SECRET = "sandbox-secret";
    /** The client's service principal: {@code oid} and {@code sub} of its app-only tokens. */
    public static final String SERVICE_PRINCIPAL_ID = "9c0e2f4a-6b8d-4c1e-a3f5-7d9b1e3c5a70";
    /** Application permissions granted to the client, carried in {@code roles}. */
    static final Map<String, List<String>> ROLES = Map.of(
            "https://graph.microsoft.com", List.of("ChannelMessage.Read.All", "Chat.Read.All", "Files.Read.All",
                    "Team.ReadBasic.All"));

    /** The user every authorization request signs in, without asking (a sandbox has no login page). */
    public static final String USER_ID = "3e7a9c1b-5d2f-4a6e-8b0c-1f3d5e7a9b2c";
    public static final String USER_NAME = "admin@sandbox.example";
    /** Entra's authorization codes live about ten minutes. */
    static final Duration CODE_TTL = Duration.ofMinutes(10);

    /** A delegated grant: what a code or refresh token stands for. */
    record Grant(String clientId, List<String> scopes, String redirectUri, String codeChallenge,
            String codeChallengeMethod) {
    }

    private final Duration ttl;
    private final Clock clock;
    /** Made on first use: finding an RSA key pair costs CPU time a hub that never serves the Entra sandbox need not
     *  spend at start (bench/startup.py showed it among the largest start-up steps). */
    private final SingletonSupplier<RSAKey> key = SingletonSupplier.of(EntraTokens::signingKey);
    /** Outstanding codes and refresh tokens, the oldest forgotten past a bound so a loop cannot fill the heap. */
    private final IssuedTokens<Grant> codes;
    private final IssuedTokens<Grant> refreshTokens;

    public EntraTokens(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
        this.codes = new IssuedTokens<>(clock, 1_000, Duration.ZERO);
        this.refreshTokens = new IssuedTokens<>(clock, 10_000, Duration.ZERO);
    }

    private static RSAKey signingKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make the sandbox's signing key", e);
        }
    }

    public Duration ttl() {
        return ttl;
    }

    public static boolean isTenant(String tenant) {
        return TENANT.equalsIgnoreCase(tenant) || TENANT_ID.equalsIgnoreCase(tenant);
    }

    /** A single-use authorization code for {@code grant}. */
    String issueCode(Grant grant) {
        return codes.put(TokenText.urlSafe(32), grant, CODE_TTL);
    }

    /** The grant behind {@code code}, used up by this call; empty when unknown, used or expired. */
    Optional<Grant> redeemCode(String code) {
        return Optional.ofNullable(codes.take(code));
    }

    /** A refresh token; Entra does not revoke the one a refresh used, so neither does the sandbox. */
    String issueRefreshToken(Grant grant) {
        return refreshTokens.put(TokenText.urlSafe(32), grant, null);
    }

    Optional<Grant> refreshGrant(String token) {
        return Optional.ofNullable(refreshTokens.live(token));
    }

    /** A delegated access token for the sandbox user: {@code scp} lists the scopes' permission names. */
    String issueDelegated(String issuer, String resource, String clientId, List<String> permissions) {
        return sign(claims(issuer, resource, USER_ID)
                .claim("appid", clientId).claim("azp", clientId)
                .claim("idtyp", "user").claim("oid", USER_ID).claim("upn", USER_NAME).claim("name", "Sandbox Admin")
                .claim("scp", String.join(" ", permissions)).build());
    }

    /** The OpenID Connect id token for the sandbox user ({@code aud} = the client). */
    String issueIdToken(String issuer, String clientId) {
        return sign(claims(issuer, clientId, USER_ID).claim("oid", USER_ID).claim("preferred_username", USER_NAME)
                .claim("name", "Sandbox Admin").claim("ver", "2.0").build());
    }

    private JWTClaimsSet.Builder claims(String issuer, String audience, String subject) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(subject)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString()).claim("tid", TENANT_ID).claim("ver", "1.0");
    }

    /** An app-only access token for {@code resource} (the scope without {@code /.default}), as Entra's v1.0 tokens. */
    String issue(String issuer, String resource) {
        return sign(claims(issuer, resource, SERVICE_PRINCIPAL_ID)
                .claim("appid", CLIENT_ID).claim("azp", CLIENT_ID).claim("appidacr", "1").claim("idtyp", "app")
                .claim("oid", SERVICE_PRINCIPAL_ID).claim("roles", ROLES.getOrDefault(resource, List.of())).build());
    }

    private String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.obtain().getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key.obtain()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a sandbox token", e);
        }
        return jwt.serialize();
    }

    /**
     * The claims of {@code bearer} when it is a token this sandbox signed, not expired, for {@code audience}
     * (with or without a trailing slash); empty otherwise.
     */
    public Optional<JWTClaimsSet> validate(String bearer, String audience) {
        if (bearer == null || bearer.isBlank()) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(bearer.strip());
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !jwt.verify(new RSASSAVerifier(key.obtain().toRSAPublicKey()))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expires = claims.getExpirationTime();
            if (expires == null || !clock.instant().isBefore(expires.toInstant())) {
                return Optional.empty();
            }
            String wanted = trimSlash(audience);
            boolean forAudience = claims.getAudience().stream().anyMatch(a -> trimSlash(a).equalsIgnoreCase(wanted));
            return forAudience ? Optional.of(claims) : Optional.empty();
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }

    /** The public signing keys, as the {@code jwks_uri} document. */
    public Map<String, Object> jwks() {
        return new JWKSet(key.obtain().toPublicJWK()).toJSONObject(true);
    }

    private static String trimSlash(String value) {
        return value == null ? "" : value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
