package sandbox.hubspot;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import sandbox.kit.AccessTokens;
import sandbox.kit.CallAdmission;
import sandbox.kit.IssuedTokens;
import sandbox.kit.RateWindow;
import sandbox.kit.Workspaces;

/**
 * What the API controllers share: bearer authentication (private-app tokens and OAuth access tokens), the portal's
 * limits with HubSpot's {@code X-HubSpot-RateLimit-*} headers and 429 bodies, latency, JSON responses and HubSpot's
 * error bodies.
 */
abstract class HubSpotApiSupport {

    /** Where the sandbox is served, relative to the servlet context: a client's basePath. */
    static final String BASE = "/sandbox/hubspot";
    private static final String PORTAL = HubSpotApiSupport.class.getName() + ".portal";
    private static final String PRIVATE_APP = HubSpotApiSupport.class.getName() + ".privateApp";
    private static final String OUTCOME = HubSpotApiSupport.class.getName() + ".outcome";
    private static final String MISSING_CREDENTIALS = "Authentication credentials not found. This API supports OAuth 2.0"
            + " authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview";
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotApiSupport.class);

    /** What a call is, for the limits: an API call, a search call (also under the search limit), or setup (neither). */
    enum Call { API, SEARCH, SETUP }

    protected final HubSpotPortals portals;
    protected final HubSpotTokens tokens;
    protected final HubSpotSandboxProperties properties;

    HubSpotApiSupport(HubSpotPortals portals, HubSpotTokens tokens, HubSpotSandboxProperties properties) {
        this.portals = portals;
        this.tokens = tokens;
        this.properties = properties;
    }

    /**
     * The caller's portal from {@code Authorization: Bearer <token>}: a private-app token ({@code pat-sandbox},
     * {@code pat-sandbox-<name>}, creating the portal on first use) or an OAuth access token. API calls are counted
     * against the portal's limits (refused with 429 past them) and delayed by the configured latency.
     */
    protected HubSpotPortal authenticate(HttpServletRequest request, Call call) {
        String token = bearerToken(request.getHeader("Authorization"));
        if (token == null) {
            throw unauthorized(MISSING_CREDENTIALS, "INVALID_AUTHENTICATION");
        }
        HubSpotPortal portal;
        boolean privateApp = token.startsWith("pat-");
        if (privateApp) {
            String name = HubSpotPortals.nameOfPrivateAppToken(token).orElseThrow(() -> unauthorized(MISSING_CREDENTIALS,
                    "INVALID_AUTHENTICATION"));
            try {
                portal = portals.portal(name, request.getRemoteAddr());
            } catch (Workspaces.Full e) {
                throw unauthorized(e.getMessage(), "INVALID_AUTHENTICATION");
            }
        } else {
            IssuedTokens.Issued<AccessTokens.Access> grant = tokens.accessGrant(token);
            if (grant == null) {
                throw unauthorized(MISSING_CREDENTIALS, "INVALID_AUTHENTICATION");
            }
            Instant now = tokens.now();
            if (!now.isBefore(grant.expiresAt())) {
                long ago = Math.max(0, Duration.between(grant.expiresAt(), now).toSeconds());
                Map<String, Object> body = HubSpotJson.error("The OAuth token used to make this call expired " + ago
                        + " second(s) ago.", "EXPIRED_AUTHENTICATION");
                body.put("context", Map.of("expire time", List.of(HubSpotJson.dateTime(grant.expiresAt()))));
                throw new HubSpotApiException(HttpStatus.UNAUTHORIZED, body);
            }
            portal = portals.find(grant.grant().workspace());
            if (portal == null) {
                throw unauthorized(MISSING_CREDENTIALS, "INVALID_AUTHENTICATION");
            }
        }
        request.setAttribute(PORTAL, portal);
        request.setAttribute(PRIVATE_APP, privateApp);
        if (call != Call.SETUP) {
            // counted against the limits and, when let in, delayed by the latency
            CallAdmission.Admission admission = ApiLimits.acquire(portal.limits(), call == Call.SEARCH);
            request.setAttribute(OUTCOME, admission);
            if (!admission.allowed()) {
                throw rateLimited(ApiLimits.Policy.valueOf(admission.refusedBy()));
            }
        }
        return portal;
    }

    private static HubSpotApiException unauthorized(String message, String category) {
        return new HubSpotApiException(HttpStatus.UNAUTHORIZED, HubSpotJson.error(message, category));
    }

    /** HubSpot's 429 body: the client library retries TEN_SECONDLY_ROLLING and the secondly message only. */
    private static HubSpotApiException rateLimited(ApiLimits.Policy policy) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", switch (policy) {
            case TEN_SECONDLY_ROLLING -> "You have reached your ten_secondly_rolling limit.";
            case SECONDLY -> "You have reached your secondly limit.";
            case DAILY -> "You have reached your daily limit.";
        });
        body.put("errorType", "RATE_LIMIT");
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("policyName", policy.name());
        body.put("requestId", UUID.randomUUID().toString());
        return new HubSpotApiException(HttpStatus.TOO_MANY_REQUESTS, body);
    }

    static String bearerToken(String authorization) {
        return AccessTokens.bearer(authorization, "Bearer");
    }

    /** The object type a path names, or HubSpot's 400. */
    static HubSpotObjectType objectType(String name) {
        return HubSpotObjectType.find(name).orElseThrow(() -> HubSpotApiException.validation(
                "Unable to infer object type from: " + name));
    }

    /** A record id from a path or body: a decimal number; anything else names no record. */
    static Long parseId(String id) {
        if (id == null || !id.trim().matches("\\d{1,18}")) {
            return null;
        }
        return Long.parseLong(id.trim());
    }

    /** A multi-valued query parameter, given repeated ({@code a=x&a=y}) or as a comma list ({@code a=x,y}). */
    static List<String> listParameter(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        if (values == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** {@code archived=true|false} (default false); anything else is a 400. */
    static boolean archivedParameter(HttpServletRequest request) {
        String value = request.getParameter("archived");
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw HubSpotApiException.validation("archived: expected true or false, got " + value);
        };
    }

    /** The base URL a client reached the sandbox at, for {@code paging.next.link}. */
    static String baseUrl(HttpServletRequest request) {
        String url = request.getRequestURL().toString();
        int at = url.indexOf(BASE);
        return at < 0 ? url : url.substring(0, at + BASE.length());
    }

    protected ResponseEntity<byte[]> json(HttpStatus status, Object body, HttpServletRequest request) {
        return withLimits(ResponseEntity.status(status), request).contentType(HubSpotJson.CONTENT_TYPE)
                .body(HubSpotJson.bytes(body));
    }

    protected ResponseEntity<byte[]> ok(Object body, HttpServletRequest request) {
        return json(HttpStatus.OK, body, request);
    }

    protected ResponseEntity<byte[]> noContent(HttpServletRequest request) {
        return withLimits(ResponseEntity.status(HttpStatus.NO_CONTENT), request).build();
    }

    /**
     * HubSpot's rate-limit headers on every counted call: the burst window ({@code -Interval-Milliseconds}, {@code -Max},
     * {@code -Remaining}) while the burst limit is on, the search limit ({@code -Secondly}, {@code -Secondly-Remaining})
     * on search calls while it is on, and the daily allowance ({@code -Daily}, {@code -Daily-Remaining}) for
     * private-app tokens (HubSpot sends no daily headers to OAuth apps). A refusal adds {@code Retry-After}.
     */
    protected ResponseEntity.BodyBuilder withLimits(ResponseEntity.BodyBuilder builder, HttpServletRequest request) {
        if (!(request.getAttribute(OUTCOME) instanceof CallAdmission.Admission outcome)) {
            return builder;
        }
        RateWindow.Decision burst = outcome.window(ApiLimits.BURST);
        if (burst != null) {
            HubSpotPortal portal = (HubSpotPortal) request.getAttribute(PORTAL);
            builder.header("X-HubSpot-RateLimit-Interval-Milliseconds",
                    Long.toString(portal.limits().length(ApiLimits.BURST).toMillis()));
            builder.header("X-HubSpot-RateLimit-Max", Integer.toString(burst.limit()));
            builder.header("X-HubSpot-RateLimit-Remaining", Integer.toString(burst.remaining()));
        }
        RateWindow.Decision search = outcome.window(ApiLimits.SEARCH);
        if (search != null) {
            builder.header("X-HubSpot-RateLimit-Secondly", Integer.toString(search.limit()));
            builder.header("X-HubSpot-RateLimit-Secondly-Remaining", Integer.toString(search.remaining()));
        }
        if (Boolean.TRUE.equals(request.getAttribute(PRIVATE_APP))) {
            builder.header("X-HubSpot-RateLimit-Daily", Integer.toString(outcome.dailyLimit()));
            builder.header("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(outcome.dailyRemaining()));
        }
        if (!outcome.allowed()) {
            builder.header("Retry-After", Long.toString(outcome.retryAfterSeconds()));
        }
        return builder;
    }

    @ExceptionHandler(HubSpotApiException.class)
    ResponseEntity<byte[]> apiError(HubSpotApiException e, HttpServletRequest request) {
        return json(e.status(), e.body(), request);
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<byte[]> unexpected(RuntimeException e, HttpServletRequest request) {
        LOG.error("HubSpot sandbox failed on {} {}", request.getMethod(), request.getRequestURI(), e);
        return json(HttpStatus.INTERNAL_SERVER_ERROR, HubSpotJson.error("internal error", "INTERNAL_ERROR"), request);
    }
}
