package sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import sandbox.kit.AccessTokens;
import sandbox.kit.Hmac;
import sandbox.kit.Workspaces;

/**
 * Salesforce OAuth 2.0 for one connected app: password, web-server (authorization code with PKCE),
 * refresh token, client credentials and JWT bearer grants, revocation and the identity URL.
 * Login URL and instance URL are the same, so camel's re-login to the instance host works. Configurable
 * beyond Salesforce's defaults: short-lived access tokens and rotating refresh tokens.
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
@RequestMapping(SalesforceRestSupport.BASE)
public class SalesforceOAuthController {

    public static final String CLIENT_ID = "sandbox-client";
    public static final String CLIENT_SECRET = "sandbox-secret";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final SandboxOrgs orgs;
    private final SandboxTokens tokens;
    /** Null: access tokens live {@link SandboxTokens#tokenTtl()} and responses carry no expires_in, as Salesforce's. */
    private final Duration accessTokenTtl;
    private final boolean rotateRefreshTokens;

    /** Salesforce's behaviour: long-lived access tokens, refresh tokens reusable until revoked. */
    public SalesforceOAuthController(SandboxOrgs orgs, SandboxTokens tokens) {
        this(orgs, tokens, null);
    }

    @Autowired
    public SalesforceOAuthController(SandboxOrgs orgs, SandboxTokens tokens, SalesforceSandboxProperties properties) {
        this.orgs = orgs;
        this.tokens = tokens;
        this.accessTokenTtl = properties == null ? null : properties.accessTokenTtl();
        this.rotateRefreshTokens = properties != null && properties.rotateRefreshTokens();
    }

    /** Form fields; unknown ones (camel's format=json) are ignored. */
    @PostMapping("/services/oauth2/token")
    public ResponseEntity<byte[]> token(@RequestParam Map<String, String> form, HttpServletRequest request) {
        String grantType = form.getOrDefault("grant_type", "");
        Map<String, Object> body = switch (grantType) {
            case "password" -> password(form, request);
            case "authorization_code" -> authorizationCode(form, request);
            case "refresh_token" -> refreshToken(form, request);
            case "client_credentials" -> clientCredentials(form, request);
            case JWT_BEARER -> jwtBearer(form, request);
            default -> throw new OAuthError("unsupported_grant_type", "grant type not supported");
        };
        return ResponseEntity.ok().contentType(SandboxJson.CONTENT_TYPE).body(SandboxJson.bytes(body));
    }

    /** Approves at once for the default user, or the org named by {@code login_hint=admin+<name>@sandbox.example}. */
    @GetMapping("/services/oauth2/authorize")
    public ResponseEntity<byte[]> authorize(@RequestParam Map<String, String> query, HttpServletRequest request) {
        if (!CLIENT_ID.equals(query.get("client_id"))) {
            throw new OAuthError("invalid_client_id", "client identifier invalid");
        }
        String redirectUri = query.get("redirect_uri");
        if (redirectUri == null || redirectUri.isBlank()) {
            throw new OAuthError("redirect_uri_mismatch", "redirect_uri must match configuration");
        }
        String state = query.get("state");
        if (!"code".equals(query.get("response_type"))) {
            return redirect(redirectUri, "error", "unsupported_response_type", "response type not supported", state);
        }
        String challenge = query.get("code_challenge");
        String method = query.getOrDefault("code_challenge_method", "S256");
        if (challenge != null && !method.equals("S256") && !method.equals("plain")) {
            return redirect(redirectUri, "error", "invalid_request", "invalid code_challenge_method", state);
        }
        String hint = query.get("login_hint");
        SandboxOrg org;
        try {
            org = hint == null || hint.isBlank() ? orgs.defaultOrg() : orgs.forUsername(hint, request.getRemoteAddr()).orElse(null);
        } catch (Workspaces.Full e) {
            return redirect(redirectUri, "error", "access_denied", e.getMessage(), state);
        }
        if (org == null) {
            return redirect(redirectUri, "error", "access_denied", "end-user denied authorization", state);
        }
        String code = tokens.issueCode(org, redirectUri, challenge, challenge == null ? null : method);
        return redirect(redirectUri, "code", code, null, state);
    }

    /** Always 200 with an empty body: camel revokes blindly before every re-login. */
    @RequestMapping(path = "/services/oauth2/revoke", method = {RequestMethod.GET, RequestMethod.POST})
    public ResponseEntity<Void> revoke(@RequestParam(required = false) String token) {
        tokens.revoke(token);
        return ResponseEntity.ok().build();
    }

    /** The identity URL from the token response (jsforce {@code identity()}). */
    @GetMapping("/id/{orgId}/{userId}")
    public ResponseEntity<byte[]> identity(@PathVariable String orgId, @PathVariable String userId,
            @RequestParam(name = "oauth_token", required = false) String oauthToken, HttpServletRequest request) {
        String token = oauthToken != null ? oauthToken : SalesforceRestSupport.bearerToken(request.getHeader("Authorization"));
        String orgName = tokens.orgOfAccessToken(token);
        SandboxOrg org = orgName == null ? null : orgs.find(orgName);
        if (org == null || !org.orgId().equals(SalesforceIds.normalize(orgId))
                || !org.userId().equals(SalesforceIds.normalize(userId))) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.TEXT_PLAIN)
                    .body("Bad_OAuth_Token".getBytes(StandardCharsets.UTF_8));
        }
        String instanceUrl = SalesforceRestController.instanceUrl(request);
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("id", SalesforceRestController.identityUrl(request, org));
        identity.put("asserted_user", true);
        identity.put("user_id", org.userId());
        identity.put("organization_id", org.orgId());
        identity.put("username", org.username());
        identity.put("nick_name", "admin");
        identity.put("display_name", "Sandbox Admin");
        identity.put("email", org.username());
        identity.put("active", true);
        identity.put("user_type", "STANDARD");
        identity.put("language", "en_US");
        identity.put("locale", "en_US");
        identity.put("utcOffset", 0);
        Map<String, Object> urls = new LinkedHashMap<>();
        urls.put("rest", instanceUrl + "/services/data/v{version}/");
        urls.put("sobjects", instanceUrl + "/services/data/v{version}/sobjects/");
        urls.put("query", instanceUrl + "/services/data/v{version}/query/");
        urls.put("profile", instanceUrl + "/" + org.userId());
        identity.put("urls", urls);
        return ResponseEntity.ok().contentType(SandboxJson.CONTENT_TYPE).body(SandboxJson.bytes(identity));
    }

    @ExceptionHandler(OAuthError.class)
    ResponseEntity<byte[]> oauthError(OAuthError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.description());
        return ResponseEntity.badRequest().contentType(SandboxJson.CONTENT_TYPE).body(SandboxJson.bytes(body));
    }

    private Map<String, Object> password(Map<String, String> form, HttpServletRequest request) {
        checkClient(form, true);
        // the password first: a wrong one must not create an org
        if (!SandboxOrgs.PASSWORD.equals(form.get("password"))) {
            throw new OAuthError("invalid_grant", "authentication failure");
        }
        SandboxOrg org = login(form.get("username"), request)
                .orElseThrow(() -> new OAuthError("invalid_grant", "authentication failure"));
        // no refresh token for the username-password flow, as in Salesforce
        return tokenResponse(request, org, accessToken(org, null), null, null);
    }

    private Map<String, Object> authorizationCode(Map<String, String> form, HttpServletRequest request) {
        checkClient(form, false);
        AccessTokens.Code code = tokens.redeemCode(form.get("code"));
        if (code == null) {
            throw new OAuthError("invalid_grant", "invalid authorization code");
        }
        if (!code.redirectUri().equals(form.get("redirect_uri"))) {
            throw new OAuthError("redirect_uri_mismatch", "redirect_uri must match configuration");
        }
        if (code.challenge() != null) {
            String verifier = form.get("code_verifier");
            if (verifier == null || verifier.isEmpty()) {
                throw new OAuthError("invalid_grant", "invalid code verifier");
            }
            if (!code.verifies(verifier)) {
                throw new OAuthError("invalid_request", "invalid code verifier");
            }
        }
        SandboxOrg org = orgs.find(code.workspace());
        String refreshToken = tokens.issueRefreshToken(org);
        return tokenResponse(request, org, accessToken(org, refreshToken), refreshToken, SandboxTokens.SCOPE);
    }

    private Map<String, Object> refreshToken(Map<String, String> form, HttpServletRequest request) {
        checkClient(form, false);
        String used = form.get("refresh_token");
        // rotation takes the used token out atomically: a replay, or the second of two concurrent uses, finds nothing
        String orgName = rotateRefreshTokens ? tokens.takeRefreshToken(used) : tokens.orgOfRefreshToken(used);
        SandboxOrg org = orgName == null ? null : orgs.find(orgName);
        if (org == null) {
            throw new OAuthError("invalid_grant", "expired access/refresh token");
        }
        String next = rotateRefreshTokens ? tokens.issueRefreshToken(org) : null;
        return tokenResponse(request, org, accessToken(org, next == null ? used : next), next, SandboxTokens.SCOPE);
    }

    /** Runs as the default org's user, like a connected app's "Run As" user. */
    private Map<String, Object> clientCredentials(Map<String, String> form, HttpServletRequest request) {
        checkClient(form, true);
        SandboxOrg org = orgs.defaultOrg();
        return tokenResponse(request, org, accessToken(org, null), null, "api");
    }

    /** The assertion's subject picks the org; its signature is not checked (there is no certificate to check it with). */
    private Map<String, Object> jwtBearer(Map<String, String> form, HttpServletRequest request) {
        String assertion = form.getOrDefault("assertion", "");
        String[] parts = assertion.split("\\.");
        JsonNode claims;
        try {
            claims = parts.length == 3 ? SandboxJson.read(Base64.getUrlDecoder().decode(parts[1])) : null;
        } catch (IOException | IllegalArgumentException e) {
            claims = null;
        }
        if (claims == null || !claims.isObject()) {
            throw new OAuthError("invalid_grant", "invalid assertion");
        }
        if (!CLIENT_ID.equals(claims.path("iss").asText(null))) {
            throw new OAuthError("invalid_client_id", "client identifier invalid");
        }
        long exp = claims.path("exp").asLong(0);
        if (exp * 1000 < tokens.nowMillis()) {
            throw new OAuthError("invalid_grant", "expired authorization code");
        }
        SandboxOrg org = login(claims.path("sub").asText(null), request)
                .orElseThrow(() -> new OAuthError("invalid_grant", "user hasn't approved this consumer"));
        Map<String, Object> body = tokenResponse(request, org, accessToken(org, null), null, "api");
        // no signature in the JWT bearer response
        body.remove("signature");
        body.remove("issued_at");
        return body;
    }

    /** The user's org for this client (its remote address); past the sandbox's org caps an OAuth error saying so. */
    private Optional<SandboxOrg> login(String username, HttpServletRequest request) {
        try {
            return orgs.forUsername(username, request.getRemoteAddr());
        } catch (Workspaces.Full e) {
            throw new OAuthError("invalid_grant", e.getMessage());
        }
    }

    private String accessToken(SandboxOrg org, String fromRefreshToken) {
        return tokens.issueAccessToken(org, fromRefreshToken, accessTokenTtl == null ? tokens.tokenTtl() : accessTokenTtl);
    }

    private static void checkClient(Map<String, String> form, boolean secretRequired) {
        if (!CLIENT_ID.equals(form.get("client_id"))) {
            throw new OAuthError("invalid_client_id", "client identifier invalid");
        }
        String secret = form.get("client_secret");
        if (secret == null ? secretRequired : !CLIENT_SECRET.equals(secret)) {
            throw new OAuthError("invalid_client", "invalid client credentials");
        }
    }

    private Map<String, Object> tokenResponse(HttpServletRequest request, SandboxOrg org, String accessToken,
            String refreshToken, String scope) {
        String instanceUrl = SalesforceRestController.instanceUrl(request);
        String id = SalesforceRestController.identityUrl(request, org);
        String issuedAt = Long.toString(tokens.nowMillis());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        body.put("instance_url", instanceUrl);
        body.put("id", id);
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        body.put("signature", signature(id + issuedAt));
        if (scope != null) {
            body.put("scope", scope);
        }
        if (accessTokenTtl != null) {
            // not Salesforce's wire format (it sends no expires_in): only with short-lived tokens configured
            body.put("expires_in", accessTokenTtl.toSeconds());
        }
        return body;
    }

    /** Base64(HMAC-SHA256(client secret, id + issued_at)), Salesforce's token signature. */
    static String signature(String message) {
        return Base64.getEncoder().encodeToString(Hmac.sha256(CLIENT_SECRET, message));
    }

    private static ResponseEntity<byte[]> redirect(String redirectUri, String key, String value, String description,
            String state) {
        StringBuilder location = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?')
                .append(key).append('=').append(encode(value));
        if (description != null) {
            location.append("&error_description=").append(encode(description));
        }
        if (state != null) {
            location.append("&state=").append(encode(state));
        }
        return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, location.toString()).build();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
