package sandbox.hubspot;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import sandbox.kit.AccessTokens;
import sandbox.kit.IssuedTokens;
import sandbox.kit.Workspaces;

/**
 * HubSpot OAuth for one app (client {@code sandbox-client}, secret {@code sandbox-secret}): the authorize page, which
 * approves at once for the portal the {@code login_hint} names and redirects to this machine only; the token endpoint
 * ({@code authorization_code} and {@code refresh_token} grants, {@code expires_in} from the portal's token lifetime,
 * refresh tokens not rotated); token information and refresh-token revocation.
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class HubSpotOAuthController {

    /** The sandbox app's id, as token information and webhook events carry it. */
    static final long APP_ID = 3_141_592L;
    private static final String BASE = HubSpotApiSupport.BASE;

    private final HubSpotPortals portals;
    private final HubSpotTokens tokens;

    public HubSpotOAuthController(HubSpotPortals portals, HubSpotTokens tokens) {
        this.portals = portals;
        this.tokens = tokens;
    }

    /** An OAuth error: HubSpot's {@code status} code and message beside RFC 6749's error and description; 400. */
    static final class OAuthError extends RuntimeException {
        final String error;
        final String status;

        OAuthError(String error, String status, String message) {
            super(message);
            this.error = error;
            this.status = status;
        }
    }

    @PostMapping(BASE + "/oauth/v1/token")
    public ResponseEntity<byte[]> token(@RequestParam Map<String, String> form, HttpServletRequest request) {
        String grantType = form.getOrDefault("grant_type", "");
        if (!grantType.equals("authorization_code") && !grantType.equals("refresh_token")) {
            throw new OAuthError("unsupported_grant_type", "BAD_GRANT_TYPE",
                    "grant_type must be authorization_code or refresh_token");
        }
        if (!HubSpotTokens.CLIENT_ID.equals(form.get("client_id"))) {
            throw new OAuthError("invalid_client", "BAD_CLIENT_ID", "missing or unknown client id");
        }
        if (!HubSpotTokens.CLIENT_SECRET.equals(form.get("client_secret"))) {
            throw new OAuthError("invalid_client", "BAD_CLIENT_SECRET", "missing or invalid client secret");
        }
        String portalName;
        String refreshToken;
        if (grantType.equals("authorization_code")) {
            AccessTokens.Code code = tokens.redeemCode(form.get("code"));
            if (code == null) {
                throw new OAuthError("invalid_grant", "BAD_AUTH_CODE", "missing or unknown auth code");
            }
            if (!code.redirectUri().equals(form.get("redirect_uri"))) {
                throw new OAuthError("invalid_grant", "BAD_REDIRECT_URI",
                        "redirect_uri does not match the one the auth code was issued for");
            }
            portalName = code.workspace();
            refreshToken = tokens.issueRefreshToken(portalName);
        } else {
            refreshToken = form.get("refresh_token");
            portalName = tokens.portalOfRefreshToken(refreshToken);
            if (portalName == null) {
                throw new OAuthError("invalid_grant", "BAD_REFRESH_TOKEN", "refresh token is invalid, expired or revoked");
            }
        }
        HubSpotPortal portal = portal(portalName, request);
        Duration ttl = portal.accessTokenTtl();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "bearer");
        body.put("refresh_token", refreshToken);
        body.put("access_token", tokens.issueAccessToken(portalName, refreshToken, ttl));
        body.put("expires_in", ttl.toSeconds());
        return ResponseEntity.ok().contentType(HubSpotJson.CONTENT_TYPE).body(HubSpotJson.bytes(body));
    }

    /**
     * Signs the sandbox user in at once (there is no login page) to the portal {@code login_hint} names (a portal name
     * or {@code admin+<name>@sandbox.example}; none: the default portal), and redirects to {@code redirect_uri} with
     * {@code code} and {@code state}. Only http(s) URIs on this machine are accepted as redirect URIs.
     */
    @GetMapping(BASE + "/oauth/authorize")
    public ResponseEntity<byte[]> authorize(@RequestParam Map<String, String> query, HttpServletRequest request) {
        if (!HubSpotTokens.CLIENT_ID.equals(query.get("client_id"))) {
            throw new OAuthError("invalid_client", "BAD_CLIENT_ID", "missing or unknown client id");
        }
        String redirectUri = query.get("redirect_uri");
        if (redirectUri == null || redirectUri.isBlank()) {
            throw new OAuthError("invalid_request", "BAD_REDIRECT_URI", "redirect_uri is required");
        }
        if (!AccessTokens.isLoopbackRedirect(redirectUri)) {
            throw new OAuthError("invalid_request", "BAD_REDIRECT_URI", "redirect_uri " + redirectUri + " is not one of"
                    + " the app's redirect URLs: the sandbox redirects to http(s) URLs on localhost, 127.0.0.1 or [::1]");
        }
        UriComponentsBuilder back = UriComponentsBuilder.fromUriString(redirectUri);
        String portalName = HubSpotPortals.nameOfLoginHint(query.get("login_hint")).orElse(null);
        if (portalName == null) {
            back.queryParam("error", "invalid_request").queryParam("error_description",
                    "login_hint names no sandbox portal: use a portal name or admin+<name>@sandbox.example");
        } else {
            try {
                portals.portal(portalName, request.getRemoteAddr());
                back.queryParam("code", tokens.issueCode(portalName, redirectUri));
            } catch (Workspaces.Full e) {
                back.queryParam("error", "access_denied").queryParam("error_description", e.getMessage());
            }
        }
        if (query.get("state") != null) {
            back.queryParam("state", query.get("state"));
        }
        return ResponseEntity.status(HttpStatus.FOUND).location(back.encode().build().toUri()).build();
    }

    /** What an access token is: its portal (hub_id), app, scopes and seconds left; 404 when unknown or expired. */
    @GetMapping(BASE + "/oauth/v1/access-tokens/{token}")
    public ResponseEntity<byte[]> accessToken(@PathVariable String token, HttpServletRequest request) {
        IssuedTokens.Issued<AccessTokens.Access> grant = tokens.accessGrant(token);
        HubSpotPortal portal = grant == null ? null : portals.find(grant.grant().workspace());
        long left = grant == null ? 0 : Duration.between(tokens.now(), grant.expiresAt()).toSeconds();
        if (portal == null || left <= 0) {
            return notFound("Token not found");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("user", user(portal));
        body.put("hub_domain", hubDomain(portal));
        body.put("scopes", HubSpotTokens.SCOPES);
        body.put("hub_id", portal.portalId());
        body.put("app_id", APP_ID);
        body.put("expires_in", left);
        body.put("user_id", portal.portalId() + 1);
        body.put("token_type", "access");
        return ResponseEntity.ok().contentType(HubSpotJson.CONTENT_TYPE).body(HubSpotJson.bytes(body));
    }

    @GetMapping(BASE + "/oauth/v1/refresh-tokens/{token}")
    public ResponseEntity<byte[]> refreshToken(@PathVariable String token) {
        String portalName = tokens.portalOfRefreshToken(token);
        HubSpotPortal portal = portalName == null ? null : portals.find(portalName);
        if (portal == null) {
            return notFound("Token not found");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("user", user(portal));
        body.put("hub_domain", hubDomain(portal));
        body.put("scopes", HubSpotTokens.SCOPES);
        body.put("hub_id", portal.portalId());
        body.put("client_id", HubSpotTokens.CLIENT_ID);
        body.put("user_id", portal.portalId() + 1);
        body.put("token_type", "refresh");
        return ResponseEntity.ok().contentType(HubSpotJson.CONTENT_TYPE).body(HubSpotJson.bytes(body));
    }

    /** Revokes a refresh token: 204; an unknown one is a 404. */
    @DeleteMapping(BASE + "/oauth/v1/refresh-tokens/{token}")
    public ResponseEntity<byte[]> revoke(@PathVariable String token) {
        return tokens.revokeRefreshToken(token) ? ResponseEntity.noContent().build() : notFound("Token not found");
    }

    @ExceptionHandler(OAuthError.class)
    ResponseEntity<byte[]> oauthError(OAuthError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error);
        body.put("error_description", e.getMessage());
        body.put("status", e.status);
        body.put("message", e.getMessage());
        body.put("correlationId", UUID.randomUUID().toString());
        return ResponseEntity.badRequest().contentType(HubSpotJson.CONTENT_TYPE).body(HubSpotJson.bytes(body));
    }

    private HubSpotPortal portal(String name, HttpServletRequest request) {
        try {
            return portals.portal(name, request.getRemoteAddr());
        } catch (Workspaces.Full e) {
            throw new OAuthError("invalid_grant", "BAD_REFRESH_TOKEN", e.getMessage());
        }
    }

    private static ResponseEntity<byte[]> notFound(String message) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(HubSpotJson.CONTENT_TYPE)
                .body(HubSpotJson.bytes(HubSpotJson.error(message, "OBJECT_NOT_FOUND")));
    }

    private static String user(HubSpotPortal portal) {
        return portal.name().isEmpty() ? HubSpotPortals.DEFAULT_USER : "admin+" + portal.name() + "@sandbox.example";
    }

    private static String hubDomain(HubSpotPortal portal) {
        return (portal.name().isEmpty() ? "sandbox" : portal.name()) + ".sandbox.example";
    }
}
