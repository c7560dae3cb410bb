package sandbox.google;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import sandbox.kit.AccessTokens;
import sandbox.kit.TokenText;

/**
 * Google's OAuth endpoints: {@code POST /sandbox/google/token} (also {@code /token} on the sandbox port) with the
 * {@code refresh_token}, {@code authorization_code} and JWT-bearer grants (the service account's assertion, RS256,
 * verified with the sandbox's public key: issuer the service account, audience the token endpoint, at most an hour,
 * a Drive scope, {@code sub} the user whose domain it reads), and {@code GET /sandbox/google/auth}, which consents at
 * once and sends the browser back with a code (loopback redirect URIs only). Errors as RFC 6749 bodies.
 */
@RestController
@ConditionalOnExpression("${hub.sandbox.enabled:false} and ${hub.sandbox.google.enabled:true}")
@RequestMapping(GoogleSandboxSupport.BASE)
class GoogleTokenController {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String DRIVE_SCOPE = "https://www.googleapis.com/auth/drive";

    private final GoogleDomains domains;

    GoogleTokenController(GoogleDomains domains) {
        this.domains = domains;
    }

    @GetMapping("/auth")
    ResponseEntity<byte[]> authorize(@RequestParam(name = "client_id", required = false) String clientId,
                                     @RequestParam(name = "redirect_uri", required = false) String redirectUri,
                                     @RequestParam(name = "response_type", required = false) String responseType,
                                     @RequestParam(required = false) String state,
                                     @RequestParam(name = "login_hint", required = false) String loginHint,
                                     @RequestParam(name = "code_challenge", required = false) String challenge,
                                     @RequestParam(name = "code_challenge_method", required = false) String challengeMethod) {
        if (!GoogleDomains.CLIENT_ID.equals(clientId)) {
            return page(HttpStatus.UNAUTHORIZED, "Error 401: invalid_client. The OAuth client was not found.");
        }
        if (redirectUri == null || !AccessTokens.isLoopbackRedirect(redirectUri)) {
            return page(HttpStatus.BAD_REQUEST, "Error 400: redirect_uri_mismatch. Only loopback redirect URIs are registered.");
        }
        if (!"code".equals(responseType)) {
            return page(HttpStatus.BAD_REQUEST, "Error 400: unsupported_response_type.");
        }
        String domain = loginHint == null ? "" : GoogleDomains.domainOfEmail(loginHint);
        if (domain == null) {
            return page(HttpStatus.BAD_REQUEST, "Error 400: login_hint is not a user of a sandbox domain (name@[<domain>.]"
                    + GoogleDomains.DEFAULT_EMAIL_DOMAIN + ")");
        }
        String code = domains.tokens.issueCode("4/0A" + TokenText.urlSafe(30), domain, redirectUri, challenge, challengeMethod);
        String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + enc(code)
                + (state == null ? "" : "&state=" + enc(state)) + "&scope=" + enc(DRIVE_SCOPE + ".readonly");
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(location)).build();
    }

    @PostMapping(path = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<byte[]> token(HttpServletRequest request, @RequestParam Map<String, String> form) {
        String grant = form.getOrDefault("grant_type", "");
        return switch (grant) {
            case "refresh_token" -> refresh(request, form);
            case "authorization_code" -> code(request, form);
            case JWT_BEARER -> assertion(request, form.get("assertion"));
            default -> error(HttpStatus.BAD_REQUEST, "unsupported_grant_type", "Invalid grant_type: " + grant);
        };
    }

    private ResponseEntity<byte[]> refresh(HttpServletRequest request, Map<String, String> form) {
        if (!clientAuthenticated(request, form)) {
            return error(HttpStatus.UNAUTHORIZED, "invalid_client", "Unauthorized");
        }
        String token = form.get("refresh_token");
        String domain = GoogleDomains.domainOfRefreshToken(token);
        if (domain == null && token != null) {
            domain = domains.tokens.workspaceOfRefresh(token);
        }
        if (domain == null || !GoogleDomains.isValidName(domain) || domains.domain(domain).revoked) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant", "Token has been expired or revoked.");
        }
        return granted(domains.issueAccess(domain, token), DRIVE_SCOPE + ".readonly", null);
    }

    private ResponseEntity<byte[]> code(HttpServletRequest request, Map<String, String> form) {
        if (!clientAuthenticated(request, form)) {
            return error(HttpStatus.UNAUTHORIZED, "invalid_client", "Unauthorized");
        }
        AccessTokens.Code code = form.get("code") == null ? null : domains.tokens.redeemCode(form.get("code"));
        if (code == null || !code.redirectUri().equals(form.get("redirect_uri")) || !code.verifies(form.get("code_verifier"))) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant", "Bad Request");
        }
        String refresh = domains.tokens.issueRefresh("1//0g" + TokenText.urlSafe(40), code.workspace());
        return granted(domains.issueAccess(code.workspace(), refresh), DRIVE_SCOPE + ".readonly", refresh);
    }

    /** The service account's signed assertion: checked as Google does, the domain from its {@code sub}. */
    private ResponseEntity<byte[]> assertion(HttpServletRequest request, String assertion) {
        if (assertion == null || assertion.isBlank()) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "Missing required parameter: assertion");
        }
        JWTClaimsSet claims;
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new RSASSAVerifier(domains.publicKey()))) {
                return error(HttpStatus.BAD_REQUEST, "invalid_grant", "Invalid JWT Signature.");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant", "Invalid JWT: the assertion is not a signed JWT.");
        }
        if (!GoogleDomains.SERVICE_ACCOUNT_EMAIL.equals(claims.getIssuer())) {
            return error(HttpStatus.UNAUTHORIZED, "invalid_client", "The OAuth client was not found.");
        }
        if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(a -> a.endsWith("/token"))) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant", "Invalid JWT: the audience is not the token endpoint.");
        }
        Instant now = domains.tokens.now();
        Date issued = claims.getIssueTime();
        Date expires = claims.getExpirationTime();
        if (issued == null || expires == null || expires.toInstant().isBefore(now)
                || issued.toInstant().isAfter(now.plusSeconds(300))
                || expires.toInstant().isAfter(issued.toInstant().plusSeconds(3600))) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant",
                    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.");
        }
        Object scope = claims.getClaim("scope");
        if (!(scope instanceof String scopes) || !scopes.contains(DRIVE_SCOPE)) {
            return error(HttpStatus.BAD_REQUEST, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
        }
        String subject = claims.getSubject();
        String domain = subject == null ? "" : GoogleDomains.domainOfEmail(subject);
        if (domain == null) {
            return error(HttpStatus.UNAUTHORIZED, "unauthorized_client",
                    "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.");
        }
        if (domains.domain(domain).revoked) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant", "Token has been expired or revoked.");
        }
        return granted(domains.issueAccess(domain, null), scopes, null);
    }

    private static boolean clientAuthenticated(HttpServletRequest request, Map<String, String> form) {
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(basic.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon > 0) {
                    id = java.net.URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
                    secret = java.net.URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return GoogleDomains.CLIENT_ID.equals(id) && GoogleDomains.CLIENT_SECRET.equals(secret);
    }

    private ResponseEntity<byte[]> granted(String accessToken, String scope, String refreshToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("expires_in", Math.max(1, domains.properties.tokenTtl().toSeconds() - 1));
        body.put("scope", scope);
        body.put("token_type", "Bearer");
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        return ResponseEntity.ok().cacheControl(org.springframework.http.CacheControl.noStore())
                .contentType(GoogleSandboxSupport.JSON).body(GoogleJson.bytes(body));
    }

    private static ResponseEntity<byte[]> error(HttpStatus status, String error, String description) {
        return ResponseEntity.status(status).contentType(GoogleSandboxSupport.JSON)
                .body(GoogleJson.bytes(Map.of("error", error, "error_description", description)));
    }

    private static ResponseEntity<byte[]> page(HttpStatus status, String text) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
