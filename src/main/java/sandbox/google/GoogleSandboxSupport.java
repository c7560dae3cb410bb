package sandbox.google;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;

import sandbox.kit.AccessTokens;
import sandbox.kit.CallAdmission;
import sandbox.kit.Workspaces;

/** What the Drive controllers share: bearer authentication to a domain, the rate window, and Google's error answers. */
abstract class GoogleSandboxSupport {

    static final String BASE = "/sandbox/google";
    static final MediaType JSON = MediaType.parseMediaType("application/json; charset=UTF-8");
    private static final Logger LOG = LoggerFactory.getLogger(GoogleSandboxSupport.class);

    protected final GoogleDomains domains;

    GoogleSandboxSupport(GoogleDomains domains) {
        this.domains = domains;
    }

    /** The caller's domain, its call admitted in the user's window (403 userRateLimitExceeded or 429 past it). */
    protected DriveDomain authenticate(HttpServletRequest request) {
        String token = AccessTokens.bearer(request.getHeader(HttpHeaders.AUTHORIZATION), "Bearer");
        String name = token == null ? null : domains.tokens.workspaceOf(token);
        if (name == null) {
            throw DriveApiException.unauthenticated();
        }
        DriveDomain domain = domains.domain(name);
        CallAdmission.Admission admission = domain.calls.admitFor(token, DriveDomain.USER_WINDOW);
        if (!admission.allowed()) {
            throw domain.rateStatus == 429 ? DriveApiException.tooManyRequests() : DriveApiException.userRateLimit();
        }
        return domain;
    }

    /** A request body as sent, unzipped when {@code Content-Encoding: gzip} (Google's Java client gzips what it posts). */
    static byte[] body(HttpServletRequest request, byte[] body) {
        if (body == null || body.length == 0 || !"gzip".equalsIgnoreCase(request.getHeader(HttpHeaders.CONTENT_ENCODING))) {
            return body;
        }
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            return in.readNBytes(1 << 20);
        } catch (java.io.IOException e) {
            throw DriveApiException.invalid("body", "the gzip body cannot be read");
        }
    }

    static ResponseEntity<byte[]> ok(Object body) {
        return ResponseEntity.ok().contentType(JSON).body(GoogleJson.bytes(body));
    }

    @ExceptionHandler(DriveApiException.class)
    ResponseEntity<byte[]> apiError(DriveApiException e) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.status).contentType(JSON);
        if (e.status == 401) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
        }
        return answer.body(GoogleJson.bytes(e.body()));
    }

    @ExceptionHandler(Workspaces.Full.class)
    ResponseEntity<byte[]> noRoom(Workspaces.Full e) {
        return ResponseEntity.status(503).contentType(JSON).body(GoogleJson.bytes(
                GoogleJson.error(503, "UNAVAILABLE", "global", "backendError", e.getMessage(), null, null)));
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<byte[]> unexpected(RuntimeException e, HttpServletRequest request) {
        LOG.error("Google sandbox failed on {} {}", request.getMethod(), request.getRequestURI(), e);
        return ResponseEntity.status(500).contentType(JSON).body(GoogleJson.bytes(
                GoogleJson.error(500, "INTERNAL", "global", "backendError", "Backend Error", null, null)));
    }

    static Map<String, Object> object(Object... pairs) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                map.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return map;
    }
}
