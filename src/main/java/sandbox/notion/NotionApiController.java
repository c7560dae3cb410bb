package sandbox.notion;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import sandbox.kit.AccessTokens;

/**
 * Notion's REST API as {@code @notionhq/client} and the hub's camel-http calls reach it, at {@code /sandbox/notion/v1/...}:
 * every call needs {@code Notion-Version} (missing: 400 {@code missing_version}) and a bearer token (an internal
 * integration token or an OAuth access token; else 401 {@code unauthorized}), and counts against the workspace's limit
 * (429 {@code rate_limited} with {@code Retry-After}). Users, databases (2022-06-28: {@code /databases/{id}/query};
 * 2025-09-03 and later: data sources and {@code /data_sources/{id}/query}), pages (retrieve, create, update with typed
 * property values, trash), block children (paged, appended), search, and the public integration's OAuth
 * ({@code /oauth/authorize}, {@code /oauth/token} with rotating refresh tokens, {@code /oauth/revoke}). Errors are
 * Notion's {@code {"object":"error","status","code","message"}}.
 */
@RestController
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.notion.enabled"}, havingValue = "true")
public class NotionApiController {

    static final String BASE = "/sandbox/notion";
    static final String V1 = BASE + "/v1";
    private static final String VERSION = NotionApiController.class.getName() + ".version";
    private static final Logger LOG = LoggerFactory.getLogger(NotionApiController.class);

    private final NotionSandbox sandbox;

    NotionApiController(NotionSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** The caller's workspace, its version header checked and its call admitted. */
    private NotionWorkspace call(HttpServletRequest request) {
        String version = request.getHeader("Notion-Version");
        if (version == null || version.isBlank()) {
            throw new NotionApiException(400, "missing_version",
                    "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.");
        }
        if (!NotionJson.VERSIONS.contains(version.trim())) {
            throw NotionApiException.validation("Notion-Version header failed validation: Notion-Version header should be one of "
                    + NotionJson.VERSIONS.stream().sorted().toList() + ", instead was `" + version + "`.");
        }
        request.setAttribute(VERSION, version.trim());
        NotionWorkspace w = sandbox.workspace(AccessTokens.bearer(request.getHeader("Authorization"), "Bearer"), request.getRemoteAddr());
        NotionSandbox.admit(w);
        return w;
    }

    private static String version(HttpServletRequest request) {
        return (String) request.getAttribute(VERSION);
    }

    private static JsonNode body(byte[] raw) {
        if (raw == null || raw.length == 0 || new String(raw, StandardCharsets.UTF_8).isBlank()) {
            return NotionJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = NotionJson.MAPPER.readTree(raw);
            if (node == null || !node.isObject()) {
                throw new NotionApiException(400, "invalid_json", "Error parsing JSON body.");
            }
            return node;
        } catch (IOException e) {
            throw new NotionApiException(400, "invalid_json", "Error parsing JSON body.");
        }
    }

    static ResponseEntity<byte[]> ok(Object body) {
        return ResponseEntity.ok().contentType(NotionJson.CONTENT_TYPE).header("x-notion-request-id", UUID.randomUUID().toString())
                .body(NotionJson.bytes(body));
    }

    // ------------------------------------------------------------------ users

    @GetMapping(V1 + "/users")
    public ResponseEntity<byte[]> users(@RequestParam(name = "start_cursor", required = false) String cursor,
                                        @RequestParam(name = "page_size", required = false) Integer pageSize, HttpServletRequest request) {
        NotionWorkspace w = call(request);
        List<Object> users = new ArrayList<>();
        w.users().forEach(u -> users.add(NotionJson.user(u)));
        return ok(NotionJson.list(users, null, "user"));
    }

    @GetMapping(V1 + "/users/me")
    public ResponseEntity<byte[]> me(HttpServletRequest request) {
        NotionWorkspace w = call(request);
        Map<String, Object> bot = NotionJson.user(w.user(w.botId));
        bot.put("bot", Map.of("owner", Map.of("type", "workspace", "workspace", true), "workspace_name",
                w.name.isEmpty() ? "Sandbox" : w.name));
        return ok(bot);
    }

    @GetMapping(V1 + "/users/{id}")
    public ResponseEntity<byte[]> user(@PathVariable String id, HttpServletRequest request) {
        NotionWorkspace w = call(request);
        NotionWorkspace.User user = w.user(NotionWorkspace.normalize(id));
        if (user == null) {
            throw NotionApiException.notFound("user", id);
        }
        return ok(NotionJson.user(user));
    }

    // ------------------------------------------------------------------ databases and data sources

    @GetMapping(V1 + "/databases/{id}")
    public ResponseEntity<byte[]> database(@PathVariable String id, HttpServletRequest request) {
        NotionWorkspace w = call(request);
        NotionWorkspace.Database db = w.database(id);
        if (db == null) {
            throw NotionApiException.notFound("database", id);
        }
        return ok(NotionJson.database(db, version(request), w));
    }

    @PostMapping(V1 + "/databases/{id}/query")
    public ResponseEntity<byte[]> queryDatabase(@PathVariable String id, @RequestBody(required = false) byte[] raw,
                                                HttpServletRequest request) {
        NotionWorkspace w = call(request);
        if (NotionJson.dataSources(version(request))) {
            throw new NotionApiException(400, "invalid_request_url", "Invalid request URL: with Notion-Version " + version(request)
                    + " databases are queried through their data sources (POST /v1/data_sources/{id}/query).");
        }
        NotionWorkspace.Database db = w.database(id);
        if (db == null) {
            throw NotionApiException.notFound("database", id);
        }
        return ok(pages(w.query(db, body(raw), false), version(request), "page_or_database"));
    }

    @GetMapping(V1 + "/data_sources/{id}")
    public ResponseEntity<byte[]> dataSource(@PathVariable String id, HttpServletRequest request) {
        NotionWorkspace w = call(request);
        NotionWorkspace.Database db = NotionJson.dataSources(version(request)) ? w.dataSource(id) : null;
        if (db == null) {
            throw NotionApiException.notFound("data source", id);
        }
        return ok(NotionJson.dataSource(db, w));
    }

    @PostMapping(V1 + "/data_sources/{id}/query")
    public ResponseEntity<byte[]> queryDataSource(@PathVariable String id, @RequestBody(required = false) byte[] raw,
                                                  HttpServletRequest request) {
        NotionWorkspace w = call(request);
        if (!NotionJson.dataSources(version(request))) {
            throw new NotionApiException(400, "invalid_request_url", "Invalid request URL.");
        }
        NotionWorkspace.Database db = w.dataSource(id);
        if (db == null) {
            throw NotionApiException.notFound("data source", id);
        }
        JsonNode body = body(raw);
        return ok(pages(w.query(db, body, body.path("in_trash").asBoolean(false)), version(request), "page_or_data_source"));
    }

    private static Map<String, Object> pages(NotionWorkspace.Listing<NotionWorkspace.Page> listing, String version, String type) {
        List<Object> results = new ArrayList<>();
        listing.items().forEach(p -> results.add(NotionJson.page(p, version)));
        return NotionJson.list(results, listing.nextCursor(), type);
    }

    // ------------------------------------------------------------------ pages

    @GetMapping(V1 + "/pages/{id}")
    public ResponseEntity<byte[]> page(@PathVariable String id, HttpServletRequest request) {
        NotionWorkspace w = call(request);
        NotionWorkspace.Page page = w.page(id);
        if (page == null) {
            throw NotionApiException.notFound("page", id);
        }
        return ok(NotionJson.page(page, version(request)));
    }

    @PatchMapping(V1 + "/pages/{id}")
    public ResponseEntity<byte[]> updatePage(@PathVariable String id, @RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        NotionWorkspace w = call(request);
        JsonNode body = body(raw);
        if (NotionJson.V2026.equals(version(request)) && body.has("archived")) {
            throw NotionApiException.validation("body failed validation: body.archived is not supported in " + NotionJson.V2026
                    + "; use in_trash.");
        }
        return ok(NotionJson.page(w.update(id, body, w.botId), version(request)));
    }

    @PostMapping(V1 + "/pages")
    public ResponseEntity<byte[]> createPage(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        NotionWorkspace w = call(request);
        JsonNode body = body(raw);
        JsonNode parent = body.path("parent");
        NotionWorkspace.Database db = parent.has("data_source_id") ? w.dataSource(parent.get("data_source_id").asText())
                : parent.has("database_id") ? w.database(parent.get("database_id").asText()) : null;
        if (db == null) {
            if (parent.isMissingNode()) {
                throw NotionApiException.validation("body failed validation: body.parent should be defined, instead was `undefined`.");
            }
            throw NotionApiException.notFound("database", parent.path("database_id").asText(parent.path("data_source_id").asText("")));
        }
        return ok(NotionJson.page(w.create(db, body, w.botId), version(request)));
    }

    // ------------------------------------------------------------------ blocks

    @GetMapping(V1 + "/blocks/{id}")
    public ResponseEntity<byte[]> block(@PathVariable String id, HttpServletRequest request) {
        NotionWorkspace w = call(request);
        NotionWorkspace.Block block = w.block(id);
        if (block == null) {
            throw NotionApiException.notFound("block", id);
        }
        return ok(NotionJson.block(block, w));
    }

    @GetMapping(V1 + "/blocks/{id}/children")
    public ResponseEntity<byte[]> children(@PathVariable String id, @RequestParam(name = "start_cursor", required = false) String cursor,
                                           @RequestParam(name = "page_size", required = false) String pageSize, HttpServletRequest request) {
        NotionWorkspace w = call(request);
        JsonNode size;
        try {
            size = pageSize == null ? NotionJson.MAPPER.missingNode() : NotionJson.MAPPER.getNodeFactory().numberNode(Integer.parseInt(pageSize));
        } catch (NumberFormatException e) {
            throw NotionApiException.validation("query failed validation: page_size should be a number, instead was `" + pageSize + "`.");
        }
        NotionWorkspace.Listing<NotionWorkspace.Block> listing = w.children(id,
                cursor == null ? NotionJson.MAPPER.missingNode() : NotionJson.MAPPER.getNodeFactory().textNode(cursor), size);
        List<Object> results = new ArrayList<>();
        listing.items().forEach(b -> results.add(NotionJson.block(b, w)));
        return ok(NotionJson.list(results, listing.nextCursor(), "block"));
    }

    @PatchMapping(V1 + "/blocks/{id}/children")
    public ResponseEntity<byte[]> append(@PathVariable String id, @RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        NotionWorkspace w = call(request);
        List<Object> results = new ArrayList<>();
        w.append(id, body(raw), w.botId).forEach(b -> results.add(NotionJson.block(b, w)));
        return ok(NotionJson.list(results, null, "block"));
    }

    // ------------------------------------------------------------------ search

    @PostMapping(V1 + "/search")
    public ResponseEntity<byte[]> search(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        NotionWorkspace w = call(request);
        JsonNode body = body(raw);
        String objectFilter = body.path("filter").path("value").asText(null);
        NotionWorkspace.Listing<Object> listing = w.search(body.path("query").asText(""), objectFilter, body.path("start_cursor"),
                body.path("page_size"));
        String version = version(request);
        List<Object> results = new ArrayList<>();
        for (Object item : listing.items()) {
            if (item instanceof NotionWorkspace.Page p) {
                results.add(NotionJson.page(p, version));
            } else {
                NotionWorkspace.Database d = (NotionWorkspace.Database) item;
                results.add(NotionJson.dataSources(version) ? NotionJson.dataSource(d, w) : NotionJson.database(d, version, w));
            }
        }
        return ok(NotionJson.list(results, listing.nextCursor(), NotionJson.dataSources(version) ? "page_or_data_source" : "page_or_database"));
    }

    // ------------------------------------------------------------------ OAuth

    /**
     * The authorize page: approves at once for the workspace {@code login_hint} names (none: the default) and redirects
     * to {@code redirect_uri} (on this machine only) with {@code code} and {@code state}.
     */
    @GetMapping(V1 + "/oauth/authorize")
    public ResponseEntity<byte[]> authorize(@RequestParam Map<String, String> query, HttpServletRequest request) {
        String redirectUri = query.get("redirect_uri");
        if (!NotionSandbox.CLIENT_ID.equals(query.get("client_id"))) {
            throw new NotionApiException(400, "invalid_client", "client_id is not a public integration of this sandbox ("
                    + NotionSandbox.CLIENT_ID + ")");
        }
        if (redirectUri == null || !AccessTokens.isLoopbackRedirect(redirectUri)) {
            throw new NotionApiException(400, "invalid_request", "redirect_uri must be an http(s) URL on localhost, 127.0.0.1 or [::1]");
        }
        NotionWorkspace w = sandbox.login(query.get("login_hint"), request.getRemoteAddr());
        if (w == null) {
            throw new NotionApiException(400, "invalid_request", "login_hint names no sandbox workspace");
        }
        UriComponentsBuilder back = UriComponentsBuilder.fromUriString(redirectUri).queryParam("code", sandbox.issueCode(w, redirectUri));
        if (query.get("state") != null) {
            back.queryParam("state", query.get("state"));
        }
        return ResponseEntity.status(302).header(HttpHeaders.LOCATION, back.encode().build().toUriString()).build();
    }

    /**
     * The token endpoint: the client authenticates with HTTP Basic (as Notion's SDK does) or with {@code client_id} and
     * {@code client_secret} in the body; the body is JSON (as Notion documents it, and the hub sends it) or a form.
     * {@code authorization_code} and {@code refresh_token} grants; a refresh rotates: the old refresh token then gets
     * 400 {@code invalid_grant}. The answer has no {@code expires_in}, as Notion's has none.
     */
    @PostMapping(V1 + "/oauth/token")
    public ResponseEntity<byte[]> token(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        Map<String, String> params = params(raw, request);
        client(request, params);
        String grant = params.getOrDefault("grant_type", "");
        String workspace;
        switch (grant) {
            case "authorization_code" -> {
                AccessTokens.Code code = params.get("code") == null ? null : sandbox.redeemCode(params.get("code"));
                if (code == null) {
                    throw new NotionApiException(400, "invalid_grant", "Invalid code: this code has been revoked.");
                }
                if (params.get("redirect_uri") != null && !params.get("redirect_uri").equals(code.redirectUri())) {
                    throw new NotionApiException(400, "invalid_grant", "Invalid redirect_uri: it does not match the authorization request.");
                }
                workspace = code.workspace();
            }
            case "refresh_token" -> {
                workspace = params.get("refresh_token") == null ? null : sandbox.takeRefresh(params.get("refresh_token"));
                if (workspace == null) {
                    throw new NotionApiException(400, "invalid_grant", "Invalid refresh token: it was revoked or already used.");
                }
            }
            default -> throw new NotionApiException(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.");
        }
        NotionWorkspace w = sandbox.find(workspace);
        if (w == null) {
            throw new NotionApiException(400, "invalid_grant", "The workspace of this grant no longer exists.");
        }
        Map<String, String> pair = sandbox.issuePair(workspace);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", pair.get("access"));
        answer.put("token_type", "bearer");
        answer.put("refresh_token", pair.get("refresh"));
        answer.put("bot_id", w.botId);
        answer.put("workspace_id", w.workspaceId);
        answer.put("workspace_name", w.name.isEmpty() ? "Sandbox" : w.name);
        answer.put("workspace_icon", null);
        NotionWorkspace.User owner = w.users().size() > 1 ? w.users().get(1) : w.user(w.botId);
        answer.put("owner", Map.of("type", "user", "user", NotionJson.user(owner)));
        answer.put("duplicated_template_id", null);
        answer.put("request_id", UUID.randomUUID().toString());
        return ok(answer);
    }

    @PostMapping(V1 + "/oauth/revoke")
    public ResponseEntity<byte[]> revoke(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        Map<String, String> params = params(raw, request);
        client(request, params);
        sandbox.revoke(params.get("token"));
        return ok(Map.of("request_id", UUID.randomUUID().toString()));
    }

    private static Map<String, String> params(byte[] raw, HttpServletRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        String type = request.getContentType();
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
            String form = raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
            for (String pair : form.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            request.getParameterMap().forEach((k, v) -> params.putIfAbsent(k, v.length == 0 ? null : v[0]));
            return params;
        }
        body(raw).fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : null));
        return params;
    }

    private static void client(HttpServletRequest request, Map<String, String> params) {
        String id = params.get("client_id");
        String secret = params.get("client_secret");
        String basic = AccessTokens.bearer(request.getHeader("Authorization"), "Basic");
        if (basic != null) {
            try {
                String decoded = new String(Base64.getDecoder().decode(basic), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                id = colon < 0 ? decoded : decoded.substring(0, colon);
                secret = colon < 0 ? "" : decoded.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                id = null;
            }
        }
        if (!NotionSandbox.CLIENT_ID.equals(id) || !NotionSandbox.CLIENT_SECRET.equals(secret)) {
            throw new NotionApiException(401, "invalid_client", "Client authentication failed.");
        }
    }

    // ------------------------------------------------------------------ errors

    @ExceptionHandler(NotionApiException.class)
    ResponseEntity<byte[]> apiError(NotionApiException e) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.status()).contentType(NotionJson.CONTENT_TYPE);
        if (e.retryAfterSeconds() > 0) {
            builder.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return builder.body(NotionJson.bytes(e.body()));
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<byte[]> unexpected(RuntimeException e, HttpServletRequest request) {
        LOG.error("Notion sandbox failed on {} {}", request.getMethod(), request.getRequestURI(), e);
        return apiError(new NotionApiException(500, "internal_server_error", "Unexpected error occurred."));
    }

    static ObjectNode object() {
        return NotionJson.MAPPER.createObjectNode();
    }
}
