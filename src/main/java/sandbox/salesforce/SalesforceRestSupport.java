package sandbox.salesforce;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;

import sandbox.kit.AccessTokens;
import sandbox.kit.CallAdmission;
import sandbox.kit.RateWindow;

/**
 * What the REST controllers share: bearer authentication, the per-org API call count with its
 * Sforce-Limit-Info header, JSON responses and Salesforce-shaped errors.
 */
abstract class SalesforceRestSupport {

    /** Where the sandbox is served, relative to the servlet context; also the path of its instance URL. */
    static final String BASE = "/sandbox/salesforce";
    static final String DATA = BASE + "/services/data/{version:v\\d+\\.\\d+}";
    private static final String ORG_ATTRIBUTE = SalesforceRestSupport.class.getName() + ".org";
    private static final String RATE_ATTRIBUTE = SalesforceRestSupport.class.getName() + ".rate";
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceRestSupport.class);

    protected final SandboxOrgs orgs;
    protected final SandboxTokens tokens;
    protected final SalesforceSandboxProperties properties;

    SalesforceRestSupport(SandboxOrgs orgs, SandboxTokens tokens, SalesforceSandboxProperties properties) {
        this.orgs = orgs;
        this.tokens = tokens;
        this.properties = properties;
    }

    /**
     * The caller's org from {@code Authorization: Bearer|OAuth <token>}; counts the call against its daily limit
     * and, for REST API calls ({@code /services/data/**}, not setup), against its rate limit when that is on.
     */
    protected SandboxOrg authenticate(HttpServletRequest request) {
        String orgName = tokens.orgOfAccessToken(bearerToken(request.getHeader("Authorization")));
        SandboxOrg org = orgName == null ? null : orgs.find(orgName);
        if (org == null) {
            throw new SalesforceApiException(HttpStatus.UNAUTHORIZED, "INVALID_SESSION_ID", "Session expired or invalid");
        }
        request.setAttribute(ORG_ATTRIBUTE, org);
        if (isRestApiCall(request) && org.unavailableUntil() != null) {
            // an outage (/setup/outage): a 503 that says nothing of how long, as Salesforce's own
            throw new SalesforceApiException(HttpStatus.SERVICE_UNAVAILABLE, "SERVER_UNAVAILABLE", "Server busy");
        }
        CallAdmission.Admission admission = isRestApiCall(request) ? org.calls().admit(SandboxOrg.REST_API)
                : org.calls().admit();
        RateWindow.Decision decision = admission.window(SandboxOrg.REST_API);
        if (decision != null) {
            request.setAttribute(RATE_ATTRIBUTE, decision);
        }
        if (!admission.allowed()) {
            // The issue asks for 429 Too Many Requests, what rate limits commonly answer and clients
            // retry on. Real Salesforce has no per-window limit; when its daily allocation runs out it
            // answers 403 with the same errorCode (REQUEST_LIMIT_EXCEEDED, "TotalRequests Limit exceeded.").
            // A refused call is not run and not counted in api-usage.
            throw new SalesforceApiException(HttpStatus.TOO_MANY_REQUESTS, "REQUEST_LIMIT_EXCEEDED",
                    "Request limit exceeded: " + decision.limit() + " requests per "
                            + windowText(org.rateLimit().window()));
        }
        // the latency is waited out by the admission, for every authenticated call
        org.usage().count();
        return org;
    }

    private static boolean isRestApiCall(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith(BASE + "/services/data/");
    }

    /** {@code PT60S}: whole seconds, not Duration's {@code PT1M}, so a window reads the way it is configured. */
    static String windowText(java.time.Duration window) {
        return window.getNano() == 0 ? "PT" + window.getSeconds() + "S" : window.toString();
    }

    /**
     * A query parameter decoded from the raw query string with form rules ({@code +} is a space, as the
     * Salesforce docs' {@code SELECT+Name+FROM+X} needs), whatever the servlet container does.
     */
    static String queryParameter(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                if (key.equals(name)) {
                    try {
                        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        break;
                    }
                }
            }
        }
        return request.getParameter(name);
    }

    /** The token of {@code Authorization: Bearer|OAuth <token>} (camel re-sends with "OAuth" after re-login). */
    static String bearerToken(String authorization) {
        return AccessTokens.bearer(authorization, "Bearer", "OAuth");
    }

    protected ResponseEntity<byte[]> json(HttpStatus status, Object body, HttpServletRequest request) {
        return withLimitInfo(ResponseEntity.status(status), request)
                .contentType(SandboxJson.CONTENT_TYPE)
                .body(SandboxJson.bytes(body));
    }

    protected ResponseEntity<byte[]> ok(Object body, HttpServletRequest request) {
        return json(HttpStatus.OK, body, request);
    }

    protected ResponseEntity<byte[]> noContent(HttpServletRequest request) {
        return withLimitInfo(ResponseEntity.status(HttpStatus.NO_CONTENT), request).build();
    }

    /**
     * Salesforce sends Sforce-Limit-Info on every authenticated REST response. The X-RateLimit-* headers (and
     * Retry-After on a refusal) are the sandbox's own, sent only while the org's rate limit is on, so an adaptive
     * client can budget; real Salesforce sends only Sforce-Limit-Info.
     */
    protected ResponseEntity.BodyBuilder withLimitInfo(ResponseEntity.BodyBuilder builder, HttpServletRequest request) {
        if (request.getAttribute(ORG_ATTRIBUTE) instanceof SandboxOrg org) {
            builder.header("Sforce-Limit-Info", "api-usage=" + org.usage().used() + "/" + properties.apiDailyLimit());
        }
        if (request.getAttribute(RATE_ATTRIBUTE) instanceof RateWindow.Decision rate) {
            builder.header("X-RateLimit-Limit", Integer.toString(rate.limit()));
            builder.header("X-RateLimit-Remaining", Integer.toString(rate.remaining()));
            builder.header("X-RateLimit-Reset", Long.toString(rate.resetEpochSecond()));
            if (!rate.allowed()) {
                builder.header("Retry-After", Long.toString(rate.retryAfterSeconds()));
            }
        }
        return builder;
    }

    @ExceptionHandler(SalesforceApiException.class)
    ResponseEntity<byte[]> apiError(SalesforceApiException e, HttpServletRequest request) {
        return json(e.status(), SandboxJson.error(e.errorCode(), e.getMessage(), e.fields()), request);
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<byte[]> unexpected(RuntimeException e, HttpServletRequest request) {
        LOG.error("Salesforce sandbox failed on {} {}", request.getMethod(), request.getRequestURI(), e);
        return json(HttpStatus.INTERNAL_SERVER_ERROR, SandboxJson.error("UNKNOWN_EXCEPTION",
                "An unexpected error occurred. Please include this ErrorId if you contact support: sandbox", null),
                request);
    }
}
