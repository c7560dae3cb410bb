package sandbox.graph;

import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;

import sandbox.entra.EntraTokens;
import sandbox.kit.AccessTokens;
import sandbox.kit.CallAdmission;

/**
 * What the Graph sandbox's controllers share: bearer authentication with the Entra sandbox's tokens for
 * {@code https://graph.microsoft.com}, admission (429 with {@code Retry-After} past the limit), Graph's headers
 * ({@code request-id}, {@code client-request-id} echoed) and error bodies, and the API base links are built on (as
 * the client reached it: {@code https://host:port/v1.0} on the TLS port's root, else {@code .../sandbox/graph/v1.0}).
 */
abstract class GraphSandboxSupport {

    static final String BASE = "/sandbox/graph";
    static final String API = BASE + "/v1.0";
    private static final Logger LOG = LoggerFactory.getLogger(GraphSandboxSupport.class);

    protected final GraphSandbox sandbox;
    protected final EntraTokens entra;

    GraphSandboxSupport(GraphSandbox sandbox, EntraTokens entra) {
        this.sandbox = sandbox;
        this.entra = entra;
    }

    /** The caller's token's claims; {@code counted}: the call is admitted against the limits (setup calls are not). */
    protected JWTClaimsSet authenticate(HttpServletRequest request, boolean counted) {
        String token = AccessTokens.bearer(request.getHeader(HttpHeaders.AUTHORIZATION), "Bearer");
        if (token == null) {
            throw unauthenticated("Access token is empty.");
        }
        JWTClaimsSet claims = entra.validate(token, GraphSandbox.AUDIENCE)
                .orElseThrow(() -> unauthenticated("Access token validation failure. Invalid audience, signature or expiry."));
        Instant issued = claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant();
        if (!sandbox.taken.accepts(claims.getJWTID(), issued)) {
            throw unauthenticated("Access token has expired or is not yet valid.");
        }
        if (counted) {
            CallAdmission.Admission admission = sandbox.calls.admitFor(claims.getJWTID() == null ? token : claims.getJWTID(),
                    GraphSandbox.CALLS);
            if (!admission.allowed()) {
                throw new GraphApiException(HttpStatus.TOO_MANY_REQUESTS, "TooManyRequests", "Please retry again later.",
                        "429", Math.max(1, admission.retryAfterSeconds()), null);
            }
        }
        return claims;
    }

    private static GraphApiException unauthenticated(String message) {
        return new GraphApiException(HttpStatus.UNAUTHORIZED, "InvalidAuthenticationToken", message);
    }

    /** The API's base URL as this request reached it, for {@code @odata.nextLink} and {@code @odata.deltaLink}. */
    static String apiBase(HttpServletRequest request) {
        String url = request.getRequestURL().toString();
        int path = url.indexOf('/', url.indexOf("//") + 2);
        String origin = path < 0 ? url : url.substring(0, path);
        Object forwarded = request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI);
        boolean atRoot = forwarded instanceof String original && original.startsWith(request.getContextPath() + "/v1.0");
        return origin + request.getContextPath() + (atRoot ? "/v1.0" : API);
    }

    protected static ResponseEntity<byte[]> json(HttpStatus status, Object body, HttpServletRequest request) {
        return headers(ResponseEntity.status(status), request).contentType(GraphJson.ODATA_JSON).body(GraphJson.bytes(body));
    }

    protected static ResponseEntity<byte[]> ok(Object body, HttpServletRequest request) {
        return json(HttpStatus.OK, body, request);
    }

    protected static ResponseEntity.BodyBuilder headers(ResponseEntity.BodyBuilder builder, HttpServletRequest request) {
        return builder.header("request-id", UUID.randomUUID().toString())
                .header("client-request-id", clientRequestId(request));
    }

    private static String clientRequestId(HttpServletRequest request) {
        String given = request.getHeader("client-request-id");
        return given != null && given.length() <= 100 && given.matches("[A-Za-z0-9-]+") ? given : UUID.randomUUID().toString();
    }

    @ExceptionHandler(GraphApiException.class)
    ResponseEntity<byte[]> graphError(GraphApiException e, HttpServletRequest request) {
        String requestId = UUID.randomUUID().toString();
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.status()).header("request-id", requestId)
                .header("client-request-id", clientRequestId(request));
        if (e.retryAfterSeconds() > 0) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        if (e.location() != null) {
            answer.header(HttpHeaders.LOCATION, e.location());
        }
        if (e.status() == HttpStatus.UNAUTHORIZED) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/"
                    + EntraTokens.TENANT_ID + "/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
        }
        Map<String, Object> body = GraphJson.error(e.code(), e.getMessage(), e.innerCode(), requestId, clientRequestId(request),
                Instant.now());
        return answer.contentType(MediaType.APPLICATION_JSON).body(GraphJson.bytes(body));
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<byte[]> unexpected(RuntimeException e, HttpServletRequest request) {
        LOG.error("Graph sandbox failed on {} {}", request.getMethod(), request.getRequestURI(), e);
        return graphError(new GraphApiException(HttpStatus.INTERNAL_SERVER_ERROR, "generalException",
                "An unexpected error occurred."), request);
    }
}
