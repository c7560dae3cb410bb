package sandbox.entra;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import sandbox.kit.AccessTokens;

/**
 * Entra ID's v2.0 endpoints for one tenant and one confidential client (secret in the body or as HTTP Basic): the
 * token endpoint (client credentials, authorization code with PKCE, refresh token), an authorization endpoint that
 * signs the sandbox user in without asking, the OpenID Connect metadata document and the signing keys:
 * <ul>
 *   <li>{@code POST /sandbox/entra/{tenant}/oauth2/v2.0/token}</li>
 *   <li>{@code GET /sandbox/entra/{tenant}/oauth2/v2.0/authorize}</li>
 *   <li>{@code GET /sandbox/entra/{tenant}/v2.0/.well-known/openid-configuration}</li>
 *   <li>{@code GET /sandbox/entra/{tenant}/discovery/v2.0/keys}</li>
 * </ul>
 * Unknown form fields (MSAL's telemetry, {@code client_info}) are ignored, as Entra does.
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
@RequestMapping(EntraTokenController.BASE)
public class EntraTokenController {

    static final String BASE = "/sandbox/entra";
    private static final String DEFAULT_SUFFIX = "/.default";
    private static final MediaType JSON = MediaType.parseMediaType("application/json;charset=utf-8");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final EntraTokens tokens;

    public EntraTokenController(EntraTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping(path = "/{tenant}/oauth2/v2.0/token")
    public ResponseEntity<Map<String, Object>> token(@PathVariable String tenant,
            @RequestParam Map<String, String> form, HttpServletRequest request) {
        requireTenant(tenant);
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isBlank()) {
            throw EntraError.missing("grant_type");
        }
        if (!List.of("client_credentials", "authorization_code", "refresh_token").contains(grantType)) {
            throw new EntraError(HttpStatus.BAD_REQUEST, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'.");
        }
        String[] basic = basicCredentials(request.getHeader(HttpHeaders.AUTHORIZATION));
        String clientId = basic != null ? basic[0] : form.get("client_id");
        String secret = basic != null ? basic[1] : form.get("client_secret");
        requireClient(clientId, tenant);
        Map<String, Object> body = switch (grantType) {
            case "client_credentials" -> {
                String resource = resource(form.get("scope"));
                requireSecret(secret);
                yield tokenResponse(tokens.issue(issuer(), resource));
            }
            case "authorization_code" -> authorizationCode(form, clientId, secret);
            default -> refreshToken(form, secret);
        };
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header(HttpHeaders.PRAGMA, "no-cache")
                .contentType(JSON).body(body);
    }

    /**
     * The authorization endpoint signs the sandbox user in at once (there is no login page) and redirects to
     * {@code redirect_uri} with {@code code} and {@code state}; PKCE ({@code code_challenge}) is honoured.
     */
    @GetMapping("/{tenant}/oauth2/v2.0/authorize")
    public ResponseEntity<Void> authorize(@PathVariable String tenant, @RequestParam Map<String, String> query) {
        requireTenant(tenant);
        requireClient(query.get("client_id"), tenant);
        String redirectUri = query.get("redirect_uri");
        if (redirectUri == null || redirectUri.isBlank()) {
            throw EntraError.missing("redirect_uri");
        }
        if (!AccessTokens.isLoopbackRedirect(redirectUri)) {
            // the client's registered redirect URIs: any on this machine, so the sandbox redirects nowhere else
            throw new EntraError(HttpStatus.BAD_REQUEST, "invalid_request", 50011, "The redirect URI '" + redirectUri
                    + "' specified in the request does not match the redirect URIs configured for the application '"
                    + EntraTokens.CLIENT_ID + "'. The sandbox accepts http(s) URIs on localhost, 127.0.0.1 or [::1].");
        }
        org.springframework.web.util.UriComponentsBuilder back =
                org.springframework.web.util.UriComponentsBuilder.fromUriString(redirectUri);
        if (!"code".equals(query.get("response_type"))) {
            back.queryParam("error", "unsupported_response_type");
        } else if (query.get("scope") == null || query.get("scope").isBlank()) {
            back.queryParam("error", "invalid_request").queryParam("error_description",
                    "AADSTS900144: The request body must contain the following parameter: 'scope'.");
        } else {
            List<String> scopes = List.of(query.get("scope").strip().split("\\s+"));
            back.queryParam("code", tokens.issueCode(new EntraTokens.Grant(query.get("client_id"), scopes,
                    redirectUri, query.get("code_challenge"), query.getOrDefault("code_challenge_method", "plain"))));
        }
        if (query.get("state") != null) {
            back.queryParam("state", query.get("state"));
        }
        return ResponseEntity.status(HttpStatus.FOUND).location(back.encode().build().toUri()).build();
    }

    private Map<String, Object> authorizationCode(Map<String, String> form, String clientId, String secret) {
        String code = form.get("code");
        if (code == null || code.isBlank()) {
            throw EntraError.missing("code");
        }
        requireSecret(secret);
        EntraTokens.Grant grant = tokens.redeemCode(code).orElseThrow(() -> invalidGrant(70008,
                "The provided authorization code or refresh token has expired due to inactivity, was already"
                        + " redeemed or is not valid."));
        if (!grant.clientId().equals(clientId)) {
            throw invalidGrant(70000, "Provided grant is invalid or malformed.");
        }
        if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
            throw invalidGrant(70000, "The redirect_uri does not match the one used in the"
                    + " authorization request.");
        }
        if (grant.codeChallenge() != null && !pkceMatches(grant, form.get("code_verifier"))) {
            throw invalidGrant(501481, "The Code_Verifier does not match the code_challenge supplied in the"
                    + " authorization request.");
        }
        return delegatedResponse(grant);
    }

    private Map<String, Object> refreshToken(Map<String, String> form, String secret) {
        String refresh = form.get("refresh_token");
        if (refresh == null || refresh.isBlank()) {
            throw EntraError.missing("refresh_token");
        }
        requireSecret(secret);
        EntraTokens.Grant grant = tokens.refreshGrant(refresh).orElseThrow(() -> invalidGrant(9002313,
                "Invalid request. Request is malformed or invalid."));
        return delegatedResponse(grant);
    }

    private Map<String, Object> delegatedResponse(EntraTokens.Grant grant) {
        List<String> resourceScopes = grant.scopes().stream().filter(s -> !OIDC_SCOPES.contains(s)).toList();
        String resource = resourceScopes.isEmpty() ? "https://graph.microsoft.com" : resourceOf(resourceScopes.get(0));
        if (resourceScopes.stream().anyMatch(s -> !resourceOf(s).equals(resource))) {
            throw new EntraError(HttpStatus.BAD_REQUEST, "invalid_scope", 70011, "The provided value for the input"
                    + " parameter 'scope' is not valid: scopes of more than one resource were requested.");
        }
        List<String> permissions = resourceScopes.stream().map(s -> s.substring(resource.length() + 1)).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("scope", String.join(" ", grant.scopes().stream().filter(s -> !s.equals("offline_access")).toList()));
        body.put("expires_in", tokens.ttl().toSeconds());
        body.put("ext_expires_in", tokens.ttl().toSeconds());
        body.put("access_token", tokens.issueDelegated(issuer(), resource, grant.clientId(), permissions));
        if (grant.scopes().contains("offline_access")) {
            body.put("refresh_token", tokens.issueRefreshToken(grant));
        }
        if (grant.scopes().contains("openid")) {
            body.put("id_token", tokens.issueIdToken(issuer(), grant.clientId()));
        }
        return body;
    }

    private static final List<String> OIDC_SCOPES = List.of("openid", "profile", "email", "offline_access");

    /** {@code https://graph.microsoft.com/Files.Read} -> {@code https://graph.microsoft.com}. */
    private static String resourceOf(String scope) {
        int slash = scope.lastIndexOf('/');
        if (!scope.contains("://") || slash <= scope.indexOf("://") + 2) {
            throw new EntraError(HttpStatus.BAD_REQUEST, "invalid_scope", 70011, "The provided value for the input"
                    + " parameter 'scope' is not valid. The scope " + scope + " is not valid.");
        }
        return scope.substring(0, slash);
    }

    private static boolean pkceMatches(EntraTokens.Grant grant, String verifier) {
        return AccessTokens.pkceVerifies(grant.codeChallenge(), grant.codeChallengeMethod(), verifier);
    }

    private static EntraError invalidGrant(int code, String message) {
        return new EntraError(HttpStatus.BAD_REQUEST, "invalid_grant", code, message);
    }

    private Map<String, Object> tokenResponse(String accessToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("expires_in", tokens.ttl().toSeconds());
        body.put("ext_expires_in", tokens.ttl().toSeconds());
        body.put("access_token", accessToken);
        return body;
    }

    private static void requireClient(String clientId, String tenant) {
        if (clientId == null || clientId.isBlank()) {
            throw EntraError.missing("client_id");
        }
        if (!EntraTokens.CLIENT_ID.equals(clientId)) {
            throw new EntraError(HttpStatus.BAD_REQUEST, "unauthorized_client", 700016, "Application with identifier '"
                    + clientId + "' was not found in the directory '" + tenant + "'. This can happen if the application"
                    + " has not been installed by the administrator of the tenant or consented to by any user in the"
                    + " tenant. You may have sent your authentication request to the wrong tenant.");
        }
    }

    private static void requireSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new EntraError(HttpStatus.UNAUTHORIZED, "invalid_client", 7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
        if (!EntraTokens.CLIENT_SECRET.equals(secret)) {
            throw new EntraError(HttpStatus.UNAUTHORIZED, "invalid_client", 7000215, "Invalid client secret provided."
                    + " Ensure the secret being sent in the request is the client secret value, not the client secret"
                    + " ID, for a secret added to app '" + EntraTokens.CLIENT_ID + "'.");
        }
    }

    @GetMapping("/{tenant}/v2.0/.well-known/openid-configuration")
    public ResponseEntity<Map<String, Object>> openIdConfiguration(@PathVariable String tenant) {
        requireTenant(tenant);
        String root = root() + "/" + EntraTokens.TENANT_ID;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_endpoint", root + "/oauth2/v2.0/token");
        body.put("token_endpoint_auth_methods_supported",
                List.of("client_secret_post", "private_key_jwt", "client_secret_basic"));
        body.put("jwks_uri", root + "/discovery/v2.0/keys");
        body.put("response_modes_supported", List.of("query", "fragment", "form_post"));
        body.put("subject_types_supported", List.of("pairwise"));
        body.put("id_token_signing_alg_values_supported", List.of("RS256"));
        body.put("response_types_supported", List.of("code", "id_token", "code id_token", "id_token token"));
        body.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        body.put("issuer", issuer());
        body.put("request_uri_parameter_supported", false);
        body.put("userinfo_endpoint", "https://graph.microsoft.com/oidc/userinfo");
        body.put("authorization_endpoint", root + "/oauth2/v2.0/authorize");
        body.put("device_authorization_endpoint", root + "/oauth2/v2.0/devicecode");
        body.put("http_logout_supported", true);
        body.put("frontchannel_logout_supported", true);
        body.put("end_session_endpoint", root + "/oauth2/v2.0/logout");
        body.put("claims_supported", List.of("sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
                "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce",
                "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"));
        body.put("kerberos_endpoint", root + "/kerberos");
        body.put("tenant_region_scope", "EU");
        body.put("cloud_instance_name", "microsoftonline.com");
        body.put("cloud_graph_host_name", "graph.windows.net");
        body.put("msgraph_host", "graph.microsoft.com");
        body.put("rbac_url", "https://pas.windows.net");
        return ResponseEntity.ok().contentType(JSON).body(body);
    }

    @GetMapping("/{tenant}/discovery/v2.0/keys")
    public ResponseEntity<Map<String, Object>> keys(@PathVariable String tenant) {
        requireTenant(tenant);
        return ResponseEntity.ok().contentType(JSON).body(tokens.jwks());
    }

    @ExceptionHandler(EntraError.class)
    ResponseEntity<Map<String, Object>> entraError(EntraError e, HttpServletRequest request) {
        String timestamp = TIMESTAMP.format(java.time.Instant.now());
        String traceId = UUID.randomUUID().toString();
        String correlationId = correlationId(request.getHeader("client-request-id"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", "AADSTS" + e.code() + ": " + e.getMessage() + "\r\nTrace ID: " + traceId
                + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: " + timestamp);
        body.put("error_codes", List.of(e.code()));
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        return ResponseEntity.status(e.status()).cacheControl(CacheControl.noStore()).contentType(JSON).body(body);
    }

    /** Client credentials take exactly one scope, {@code <resource>/.default}; the token's audience is the resource. */
    private static String resource(String scope) {
        if (scope == null || scope.isBlank()) {
            throw EntraError.missing("scope");
        }
        String[] scopes = scope.strip().split("\\s+");
        List<String> defaults = Arrays.stream(scopes).filter(s -> s.endsWith(DEFAULT_SUFFIX)).toList();
        if (scopes.length != 1 || defaults.size() != 1 || scope.strip().length() == DEFAULT_SUFFIX.length()) {
            throw new EntraError(HttpStatus.BAD_REQUEST, "invalid_scope", 70011, "The provided value for the input"
                    + " parameter 'scope' is not valid. The scope " + scope.strip() + " is not valid. Client credential"
                    + " flows must have a scope value with /.default suffixed to the resource identifier.");
        }
        String only = defaults.get(0);
        return only.substring(0, only.length() - DEFAULT_SUFFIX.length());
    }

    private static void requireTenant(String tenant) {
        if (!EntraTokens.isTenant(tenant)) {
            throw EntraError.unknownTenant(tenant);
        }
    }

    /** {@code client_id:client_secret} from {@code Authorization: Basic}, each form-url-encoded (RFC 6749 2.3.1). */
    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new EntraError(HttpStatus.UNAUTHORIZED, "invalid_client", 7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return new String[] {urlDecode(decoded), null};
        }
        return new String[] {urlDecode(decoded.substring(0, colon)), urlDecode(decoded.substring(colon + 1))};
    }

    private static String urlDecode(String value) {
        return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static String correlationId(String clientRequestId) {
        if (clientRequestId != null) {
            try {
                return UUID.fromString(clientRequestId.strip()).toString();
            } catch (IllegalArgumentException e) {
                // not a GUID: Entra makes its own
            }
        }
        return UUID.randomUUID().toString();
    }

    /** The tenant's issuer, {@code <sandbox>/<tenant id>/v2.0}, as in Entra's metadata (same host as the sandbox). */
    private static String issuer() {
        return root() + "/" + EntraTokens.TENANT_ID + "/v2.0";
    }

    private static String root() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path(BASE).build().toUriString();
    }
}
