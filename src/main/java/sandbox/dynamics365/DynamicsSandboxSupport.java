package sandbox.dynamics365;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import sandbox.entra.EntraTokens;
import sandbox.kit.AccessTokens;
import sandbox.kit.Workspaces;

/**
 * What the sandbox's controllers share: the org a URL names, bearer authentication with the Entra sandbox's tokens
 * (audience: the org's URL, as a real token's is {@code https://<org>.crm.dynamics.com}), and Dataverse's error
 * answers, a 401 with an empty body and {@code WWW-Authenticate} naming the authority and the resource among them.
 */
abstract class DynamicsSandboxSupport {

    /** Where the sandbox is served, relative to the servlet context; an org's URL is this plus {@code /<org>}. */
    static final String BASE = "/sandbox/dynamics365";
    private static final String CALL_STARTED = DynamicsSandboxSupport.class.getName() + ".started";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(DynamicsSandboxSupport.class);

    protected final DataverseOrgs orgs;
    protected final EntraTokens tokens;
    protected final DynamicsSandboxProperties properties;

    DynamicsSandboxSupport(DataverseOrgs orgs, EntraTokens tokens, DynamicsSandboxProperties properties) {
        this.orgs = orgs;
        this.tokens = tokens;
        this.properties = properties;
    }

    /** The caller's token's claims and its org (created and seeded on its first call). */
    record Caller(DataverseOrg org, JWTClaimsSet claims, String userKey) {
    }

    /**
     * Authenticates a request to an org: a bearer token the Entra sandbox issued for the org's URL, unexpired, not
     * expired by setup.
     */
    protected Caller authenticate(String orgName, HttpServletRequest request) {
        request.setAttribute(CALL_STARTED, System.nanoTime());
        if (!DataverseOrgs.isValidName(orgName)) {
            throw DataverseApiException.segmentNotFound(orgName);
        }
        String orgUrl = orgUrl(request, orgName);
        JWTClaimsSet claims = tokens.validate(bearerToken(request), orgUrl)
                .orElseThrow(() -> new Unauthorized(orgUrl));
        DataverseOrg org = orgs.org(orgName);
        Instant issued = claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant();
        if (!org.acceptsToken(claims.getJWTID(), issued)) {
            throw new Unauthorized(orgUrl);
        }
        Object oid = claims.getClaim("oid");
        return new Caller(org, claims, oid == null ? claims.getSubject() : oid.toString());
    }

    /** Nanoseconds since the request was authenticated, for the execution time Dataverse counts. */
    protected static long elapsedMillis(HttpServletRequest request) {
        return request.getAttribute(CALL_STARTED) instanceof Long started ? (System.nanoTime() - started) / 1_000_000 : 0;
    }

    /**
     * The org's URL as this request reached it: {@code http://host:port/sandbox/dynamics365[/<org>]}, the resource
     * of its tokens ({@code <url>/.default}).
     */
    static String orgUrl(HttpServletRequest request, String orgName) {
        String url = request.getRequestURL().toString();
        int path = url.indexOf('/', url.indexOf("//") + 2);
        String origin = path < 0 ? url : url.substring(0, path);
        return origin + request.getContextPath() + BASE + (orgName.isEmpty() ? "" : "/" + orgName);
    }

    private static String bearerToken(HttpServletRequest request) {
        return AccessTokens.bearer(request.getHeader(HttpHeaders.AUTHORIZATION), "Bearer");
    }

    static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static Map<String, Object> errorBody(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return Map.of("error", error);
    }

    /** The headers every Web API answer carries. */
    protected ResponseEntity.BodyBuilder respond(HttpStatus status, HttpServletRequest request) {
        return ResponseEntity.status(status).header("OData-Version", "4.0").header("REQ_ID", UUID.randomUUID().toString());
    }

    @ExceptionHandler(DataverseApiException.class)
    ResponseEntity<byte[]> apiError(DataverseApiException e, HttpServletRequest request) {
        return respond(e.status(), request).contentType(ApiResponse.ODATA_JSON).body(json(errorBody(e.code(), e.getMessage())));
    }

    /**
     * A missing, invalid, expired or foreign token: 401, no body, and the challenge Dataverse sends (clients read the
     * tenant's authority and the resource from it).
     */
    @ExceptionHandler(Unauthorized.class)
    ResponseEntity<byte[]> unauthorized(Unauthorized e, HttpServletRequest request) {
        String origin = e.orgUrl.substring(0, e.orgUrl.indexOf(request.getContextPath() + BASE));
        String authority = origin + request.getContextPath() + "/sandbox/entra/" + EntraTokens.TENANT_ID;
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer authorization_uri=" + authority
                        + "/oauth2/authorize, resource_id=" + e.orgUrl + "/")
                .body(new byte[0]);
    }

    @ExceptionHandler(Workspaces.Full.class)
    ResponseEntity<byte[]> noRoom(Workspaces.Full e, HttpServletRequest request) {
        return respond(HttpStatus.SERVICE_UNAVAILABLE, request).contentType(ApiResponse.ODATA_JSON)
                .body(json(errorBody("0x80040216", e.getMessage())));
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<byte[]> unexpected(RuntimeException e, HttpServletRequest request) {
        LOG.error("Dynamics 365 sandbox failed on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, request).contentType(ApiResponse.ODATA_JSON)
                .body(json(errorBody("0x80040216", "An unexpected error occurred.")));
    }

    /** The request's token is not one the org takes. */
    static final class Unauthorized extends RuntimeException {
        private final String orgUrl;

        Unauthorized(String orgUrl) {
            super("unauthorized", null, false, false);
            this.orgUrl = orgUrl;
        }
    }
}
