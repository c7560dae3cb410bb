package sandbox.gong;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import sandbox.kit.AccessTokens;

/**
 * Gong's API v2 as raw HTTP and clients generated from Gong's OpenAPI document reach it, at {@code /sandbox/gong/v2/...}
 * (the "API base URL" of the company is {@code <origin>/sandbox/gong}): {@code GET /v2/calls} by date range with
 * {@code records.cursor} paging, {@code GET /v2/calls/{id}}, {@code POST /v2/calls/extensive} (parties, content,
 * interaction, context as the content selector asks), {@code POST /v2/calls/transcript}. Every call authenticates
 * (Basic access key and secret, or an OAuth Bearer token; else 401) and counts against the company's limits (3 a
 * second, 10,000 a day: 429 with {@code Retry-After}). A window without calls answers 404, as Gong does. The OAuth app's
 * endpoints are {@code /sandbox/gong/oauth2/authorize} and {@code /sandbox/gong/oauth2/generate-customer-token}, whose
 * answer names the API base in {@code api_base_url_for_customer}. Errors are Gong's {@code {"requestId","errors":[...]}}.
 */
@RestController
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.gong.enabled"}, havingValue = "true")
public class GongApiController {

    static final String BASE = "/sandbox/gong";
    static final String V2 = BASE + "/v2";
    /** Gong's OpenAPI servers entry ends in /v2 while its paths start with it: a generated client may call /v2/v2/... */
    static final String V2V2 = V2 + "/v2";
    private static final Logger LOG = LoggerFactory.getLogger(GongApiController.class);

    private final GongSandbox sandbox;

    GongApiController(GongSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** The caller's company, its call admitted. */
    private GongCompany call(HttpServletRequest request) {
        GongCompany w = sandbox.company(request.getHeader("Authorization"), request.getRemoteAddr());
        GongSandbox.admit(w);
        return w;
    }

    static ResponseEntity<byte[]> ok(Map<String, Object> body) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("requestId", GongApiException.requestId());
        answer.putAll(body);
        return ResponseEntity.ok().contentType(GongJson.CONTENT_TYPE).body(GongJson.bytes(answer));
    }

    static JsonNode json(byte[] raw) {
        if (raw == null || raw.length == 0 || new String(raw, StandardCharsets.UTF_8).isBlank()) {
            return GongJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = GongJson.MAPPER.readTree(raw);
            if (node == null || !node.isObject()) {
                throw GongApiException.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw GongApiException.badRequest("the body is not valid JSON");
        }
    }

    // ------------------------------------------------------------------ calls

    @GetMapping({V2 + "/calls", V2V2 + "/calls"})
    public ResponseEntity<byte[]> calls(@RequestParam(required = false) String fromDateTime, @RequestParam(required = false) String toDateTime,
                                        @RequestParam(required = false) String workspaceId, @RequestParam(required = false) String cursor,
                                        HttpServletRequest request) {
        GongCompany w = call(request);
        Instant from = GongJson.time("fromDateTime", fromDateTime);
        Instant to = GongJson.time("toDateTime", toDateTime);
        GongJson.Page page = page(w, from, to, workspaceId, null, cursor);
        List<Map<String, Object>> calls = page.calls().stream().map(c -> GongJson.metaData(c, w.workspaceId)).toList();
        return ok(Map.of("records", GongJson.records(page), "calls", calls));
    }

    @GetMapping({V2 + "/calls/{id}", V2V2 + "/calls/{id}"})
    public ResponseEntity<byte[]> call(@PathVariable String id, HttpServletRequest request) {
        GongCompany w = call(request);
        GongCompany.Call c = w.call(id);
        if (c == null) {
            throw new GongApiException(404, "Call ID was not found");
        }
        return ok(Map.of("call", GongJson.metaData(c, w.workspaceId)));
    }

    @PostMapping({V2 + "/calls/extensive", V2V2 + "/calls/extensive"})
    public ResponseEntity<byte[]> extensive(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        GongCompany w = call(request);
        JsonNode body = json(raw);
        JsonNode filter = filter(body);
        GongJson.Page page = page(w, GongJson.time("filter.fromDateTime", text(filter, "fromDateTime")),
                GongJson.time("filter.toDateTime", text(filter, "toDateTime")), text(filter, "workspaceId"), ids(filter, "callIds"),
                text(body, "cursor"));
        JsonNode selector = body.path("contentSelector");
        List<Map<String, Object>> calls = page.calls().stream().map(c -> GongJson.extensive(c, w.workspaceId, selector)).toList();
        return ok(Map.of("records", GongJson.records(page), "calls", calls));
    }

    @PostMapping({V2 + "/calls/transcript", V2V2 + "/calls/transcript"})
    public ResponseEntity<byte[]> transcript(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        GongCompany w = call(request);
        JsonNode body = json(raw);
        JsonNode filter = body.path("filter");
        if (!filter.isMissingNode() && !filter.isObject()) {
            throw GongApiException.badRequest("filter: must be an object");
        }
        GongJson.Page page = page(w, GongJson.time("filter.fromDateTime", text(filter, "fromDateTime")),
                GongJson.time("filter.toDateTime", text(filter, "toDateTime")), text(filter, "workspaceId"), ids(filter, "callIds"),
                text(body, "cursor"));
        List<Map<String, Object>> transcripts = page.calls().stream().map(GongJson::transcript).toList();
        return ok(Map.of("records", GongJson.records(page), "callTranscripts", transcripts));
    }

    /** The page of the calls a filter selects; 404 when it selects none (Gong answers an empty window so). */
    private GongJson.Page page(GongCompany w, Instant from, Instant to, String workspaceId, List<String> callIds, String cursor) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw GongApiException.badRequest("fromDateTime must be before toDateTime");
        }
        List<GongCompany.Call> all = workspaceId != null && !workspaceId.equals(w.workspaceId) ? List.of() : w.window(from, to, callIds);
        if (all.isEmpty()) {
            throw GongApiException.noCalls();
        }
        String key = from + "|" + to + "|" + workspaceId + "|" + (callIds == null ? "" : String.join(",", callIds));
        GongJson.Page page = GongJson.page(all, key, cursor, sandbox.properties.pageSize());
        if (page.calls().isEmpty()) {
            throw GongApiException.noCalls();
        }
        return page;
    }

    private static JsonNode filter(JsonNode body) {
        JsonNode filter = body.get("filter");
        if (filter == null || filter.isNull()) {
            throw GongApiException.badRequest("filter: required");
        }
        if (!filter.isObject()) {
            throw GongApiException.badRequest("filter: must be an object");
        }
        return filter;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw GongApiException.badRequest(field + ": must be a string");
        }
        return value.asText();
    }

    private static List<String> ids(JsonNode filter, String field) {
        JsonNode value = filter.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw GongApiException.badRequest("filter." + field + ": must be an array of call ids");
        }
        List<String> ids = new ArrayList<>();
        value.forEach(v -> ids.add(v.asText()));
        return ids;
    }

    // ------------------------------------------------------------------ OAuth

    /**
     * The authorize page: approves at once for the company {@code login_hint} names (none: the default) and redirects to
     * {@code redirect_uri} (on this machine only) with {@code code} and {@code state}.
     */
    @GetMapping(BASE + "/oauth2/authorize")
    public ResponseEntity<byte[]> authorize(@RequestParam Map<String, String> query, HttpServletRequest request) {
        String redirectUri = query.get("redirect_uri");
        if (!GongSandbox.CLIENT_ID.equals(query.get("client_id"))) {
            throw GongApiException.badRequest("client_id: not an app of this sandbox (" + GongSandbox.CLIENT_ID + ")");
        }
        if (!"code".equals(query.get("response_type"))) {
            throw GongApiException.badRequest("response_type: must be code");
        }
        if (redirectUri == null || !AccessTokens.isLoopbackRedirect(redirectUri)) {
            throw GongApiException.badRequest("redirect_uri: must be an http(s) URL on localhost, 127.0.0.1 or [::1]");
        }
        GongCompany w = sandbox.login(query.get("login_hint"), request.getRemoteAddr());
        if (w == null) {
            throw GongApiException.badRequest("login_hint: names no sandbox company");
        }
        UriComponentsBuilder back = UriComponentsBuilder.fromUriString(redirectUri).queryParam("code", sandbox.issueCode(w, redirectUri));
        if (query.get("state") != null) {
            back.queryParam("state", query.get("state"));
        }
        return ResponseEntity.status(302).header(HttpHeaders.LOCATION, back.encode().build().toUriString()).build();
    }

    /**
     * The token endpoint: parameters in the query string (Gong's way) or a form body; the app authenticates with HTTP
     * Basic (Gong's way) or {@code client_id} and {@code client_secret} parameters. {@code authorization_code} and
     * {@code refresh_token} grants; a refresh token works once (400 {@code invalid_grant} after). The answer names the
     * API base in {@code api_base_url_for_customer}: this sandbox's own API origin.
     */
    @PostMapping(BASE + "/oauth2/generate-customer-token")
    public ResponseEntity<byte[]> token(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        Map<String, String> params = params(raw, request);
        GongSandbox.Basic basic = GongSandbox.basic(request.getHeader("Authorization"));
        String clientId = basic != null ? basic.key() : params.get("client_id");
        String clientSecret = basic != null ? basic.secret() : params.get("client_secret");
        if (!GongSandbox.CLIENT_ID.equals(clientId) || !GongSandbox.CLIENT_SECRET.equals(clientSecret)) {
            return oauthError(401, "invalid_client", "Client authentication failed.");
        }
        String company;
        switch (params.getOrDefault("grant_type", "")) {
            case "authorization_code" -> {
                AccessTokens.Code code = params.get("code") == null ? null : sandbox.redeemCode(params.get("code"));
                if (code == null) {
                    return oauthError(400, "invalid_grant", "Authorization code is invalid or expired.");
                }
                if (params.get("redirect_uri") != null && !params.get("redirect_uri").equals(code.redirectUri())) {
                    return oauthError(400, "invalid_grant", "redirect_uri does not match the authorization request.");
                }
                company = code.workspace();
            }
            case "refresh_token" -> {
                company = params.get("refresh_token") == null ? null : sandbox.takeRefresh(params.get("refresh_token"));
                if (company == null) {
                    return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
                }
            }
            default -> {
                return oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.");
            }
        }
        if (sandbox.find(company) == null) {
            return oauthError(400, "invalid_grant", "The company of this grant no longer exists.");
        }
        Map<String, String> pair = sandbox.issuePair(company);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", pair.get("access"));
        answer.put("refresh_token", pair.get("refresh"));
        answer.put("scope", "api:calls:read:basic api:calls:read:extensive api:calls:read:transcript api:users:read");
        answer.put("token_type", "bearer");
        answer.put("expires_in", sandbox.accessTokenTtl().toSeconds());
        answer.put("api_base_url_for_customer", origin(request) + BASE);
        return ResponseEntity.ok().contentType(GongJson.CONTENT_TYPE).body(GongJson.bytes(answer));
    }

    /** The origin the caller reached this sandbox at. */
    private static String origin(HttpServletRequest request) {
        String host = request.getHeader(HttpHeaders.HOST);
        return request.getScheme() + "://" + (host == null || host.isBlank() ? request.getServerName() + ":" + request.getServerPort() : host);
    }

    private static ResponseEntity<byte[]> oauthError(int status, String error, String description) {
        return ResponseEntity.status(status).contentType(GongJson.CONTENT_TYPE)
                .body(GongJson.bytes(Map.of("error", error, "error_description", description)));
    }

    /** The query string's parameters and, for a form body, the form's. */
    private static Map<String, String> params(byte[] raw, HttpServletRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        String type = request.getContentType();
        if (type != null && type.startsWith("application/x-www-form-urlencoded") && raw != null) {
            for (String pair : new String(raw, StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        request.getParameterMap().forEach((k, v) -> params.putIfAbsent(k, v.length == 0 ? null : v[0]));
        return params;
    }

    // ------------------------------------------------------------------ errors

    @ExceptionHandler(GongApiException.class)
    ResponseEntity<byte[]> apiError(GongApiException e) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.status()).contentType(GongJson.CONTENT_TYPE);
        if (e.retryAfterSeconds() > 0) {
            builder.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return builder.body(GongJson.bytes(e.body()));
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<byte[]> unexpected(RuntimeException e, HttpServletRequest request) {
        LOG.error("Gong sandbox failed on {} {}", request.getMethod(), request.getRequestURI(), e);
        return apiError(new GongApiException(500, "An error has occurred"));
    }
}
