package sandbox.zoom;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import sandbox.kit.AccessTokens;
import sandbox.kit.BasicCredentials;
import sandbox.kit.CallAdmission;
import sandbox.kit.RateWindow;

/**
 * Zoom's cloud recording API and OAuth server as the hub's client and Zoom's own clients reach them, at
 * {@code /sandbox/zoom}: the OAuth endpoints at {@code /oauth/token} (Server-to-Server {@code account_credentials},
 * {@code authorization_code} and rotating {@code refresh_token}; client authentication by HTTP Basic or in the form;
 * parameters in the query or the form) and {@code /oauth/authorize} (consent given at once for the account the
 * {@code login_hint} names), the API below {@code /v2} (users, a user's recordings by date window with
 * {@code next_page_token}, a meeting's recordings, trash, delete and recover), and the files' {@code download_url}s
 * (bearer token or {@code access_token} query). Every API call needs a live bearer token (else 401 code 124) and counts
 * against the account's Light or Medium per-second window ({@code X-RateLimit-Category}, {@code -Type},
 * {@code -Limit}, {@code -Remaining} on every answer; past it 429 code 429 with {@code Retry-After} in seconds).
 */
@RestController
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.zoom.enabled"}, havingValue = "true")
public class ZoomApiController {

    static final String BASE = "/sandbox/zoom";
    static final String V2 = BASE + "/v2";
    private static final String RATE_HEADERS = ZoomApiController.class.getName() + ".rate";
    private static final int MAX_PAGE_SIZE = 300;
    private static final Logger LOG = LoggerFactory.getLogger(ZoomApiController.class);

    private final ZoomSandbox sandbox;

    ZoomApiController(ZoomSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** The caller's account, its call admitted against the category's window. */
    private ZoomAccount call(HttpServletRequest request, String category) {
        ZoomAccount account = sandbox.authenticate(AccessTokens.bearer(request.getHeader("Authorization"), "Bearer"));
        account.apiCalls.incrementAndGet();
        CallAdmission.Admission admission = account.calls.admit(category);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-RateLimit-Category", category.equals(ZoomAccount.LIGHT) ? "Light" : "Medium");
        headers.put("X-RateLimit-Type", "QPS");
        RateWindow.Decision decision = admission.window(category);
        if (decision != null) {
            headers.put("X-RateLimit-Limit", Integer.toString(decision.limit()));
            headers.put("X-RateLimit-Remaining", Integer.toString(Math.max(0, decision.remaining())));
        }
        request.setAttribute(RATE_HEADERS, headers);
        if (!admission.allowed()) {
            Map<String, String> refused = new LinkedHashMap<>(headers);
            refused.put("Retry-After", Long.toString(Math.max(1, admission.retryAfterSeconds())));
            throw ZoomApiException.rateLimited("You have reached the maximum per-second rate limit for this API. Try again later.", refused);
        }
        return account;
    }

    static String origin(HttpServletRequest request) {
        return request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
    }

    private static ResponseEntity<byte[]> ok(HttpServletRequest request, Object body) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.ok().contentType(ZoomJson.CONTENT_TYPE);
        headers(request, builder);
        return builder.body(ZoomJson.bytes(body));
    }

    private static ResponseEntity<byte[]> noContent(HttpServletRequest request) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(204);
        headers(request, builder);
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    private static void headers(HttpServletRequest request, ResponseEntity.BodyBuilder builder) {
        builder.header("x-zm-trackingid", "v=2.0;clid=sandbox;rid=" + UUID.randomUUID().toString().replace("-", ""));
        Object rate = request.getAttribute(RATE_HEADERS);
        if (rate instanceof Map<?, ?> map) {
            ((Map<String, String>) map).forEach(builder::header);
        }
    }

    // ------------------------------------------------------------------ users

    /** The account's users (one page: the sandbox has few). */
    @GetMapping(V2 + "/users")
    public ResponseEntity<byte[]> users(HttpServletRequest request) {
        ZoomAccount account = call(request, ZoomAccount.MEDIUM);
        List<Object> users = new ArrayList<>();
        for (ZoomAccount.User u : account.users) {
            users.add(user(u));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("page_count", 1);
        body.put("page_number", 1);
        body.put("page_size", 300);
        body.put("total_records", users.size());
        body.put("next_page_token", "");
        body.put("users", users);
        return ok(request, body);
    }

    @GetMapping(V2 + "/users/{userId}")
    public ResponseEntity<byte[]> user(@PathVariable String userId, HttpServletRequest request) {
        ZoomAccount account = call(request, ZoomAccount.LIGHT);
        return ok(request, user(userOf(account, userId)));
    }

    private static Map<String, Object> user(ZoomAccount.User u) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", u.id());
        json.put("first_name", u.firstName());
        json.put("last_name", u.lastName());
        json.put("display_name", u.name());
        json.put("email", u.email());
        json.put("type", 2);
        json.put("status", "active");
        return json;
    }

    private static ZoomAccount.User userOf(ZoomAccount account, String userId) {
        ZoomAccount.User user = account.user(userId);
        if (user == null) {
            throw new ZoomApiException(404, 1001, "User does not exist: " + userId + ".");
        }
        return user;
    }

    // ------------------------------------------------------------------ recordings

    @GetMapping(V2 + "/users/{userId}/recordings")
    public ResponseEntity<byte[]> recordings(@PathVariable String userId, @RequestParam Map<String, String> query, HttpServletRequest request) {
        ZoomAccount account = call(request, ZoomAccount.MEDIUM);
        ZoomAccount.User user = userOf(account, userId);
        LocalDate today = today(sandbox.clock());
        LocalDate from = date(query.get("from"), "from", today);
        LocalDate to = date(query.get("to"), "to", from.equals(today) ? today.plusDays(1) : today);
        if (to.isBefore(from)) {
            throw ZoomApiException.invalid("The to date must be on or after the from date.");
        }
        if (to.isAfter(from.plusMonths(1))) {
            throw ZoomApiException.invalid("The date range between from and to must not exceed one month.");
        }
        int pageSize = pageSize(query.get("page_size"));
        boolean trash = "true".equalsIgnoreCase(query.get("trash"));
        String trashType = query.getOrDefault("trash_type", "meeting_recordings");
        if (!trashType.equals("meeting_recordings") && !trashType.equals("recording_file")) {
            throw ZoomApiException.invalid("Invalid field: trash_type must be meeting_recordings or recording_file.");
        }
        List<ZoomAccount.Meeting> listing;
        int offset;
        String token = query.get("next_page_token");
        if (token != null && !token.isBlank()) {
            ZoomAccount.Listing kept = account.takeListing(token);
            if (kept == null) {
                throw ZoomApiException.invalid("The next page token is invalid or expired.");
            }
            listing = kept.meetings();
            offset = kept.offset();
        } else {
            listing = account.list(user, from, to, trash, trashType);
            offset = 0;
        }
        int end = Math.min(listing.size(), offset + pageSize);
        List<Object> meetings = new ArrayList<>();
        String origin = origin(request);
        for (ZoomAccount.Meeting m : listing.subList(offset, end)) {
            meetings.add(ZoomRecordingJson.meeting(account, m, origin, true, trash));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("page_count", (listing.size() + pageSize - 1) / pageSize);
        body.put("page_size", pageSize);
        body.put("total_records", listing.size());
        body.put("next_page_token", end < listing.size() ? account.keepListing(listing, end) : "");
        body.put("meetings", meetings);
        return ok(request, body);
    }

    @GetMapping(V2 + "/meetings/{meetingId}/recordings")
    public ResponseEntity<byte[]> meetingRecordings(@PathVariable String meetingId, HttpServletRequest request) {
        ZoomAccount account = call(request, ZoomAccount.LIGHT);
        ZoomAccount.Meeting meeting = live(account, meetingId);
        Map<String, Object> body = ZoomRecordingJson.meeting(account, meeting, origin(request), true);
        body.put("password", meeting.passcode);
        return ok(request, body);
    }

    /** {@code action=trash} (the default) or {@code delete}: 204. */
    @DeleteMapping(V2 + "/meetings/{meetingId}/recordings")
    public ResponseEntity<byte[]> deleteRecordings(@PathVariable String meetingId, @RequestParam(required = false) String action,
                                                   HttpServletRequest request) {
        ZoomAccount account = call(request, ZoomAccount.LIGHT);
        ZoomAccount.Meeting meeting = account.meeting(meetingId);
        boolean permanently = permanently(action);
        if (meeting == null || (meeting.trashed && !permanently)) {
            throw ZoomApiException.noRecording();
        }
        account.delete(meeting, permanently, account.users.get(0));
        return noContent(request);
    }

    @DeleteMapping(V2 + "/meetings/{meetingId}/recordings/{recordingId}")
    public ResponseEntity<byte[]> deleteFile(@PathVariable String meetingId, @PathVariable String recordingId,
                                             @RequestParam(required = false) String action, HttpServletRequest request) {
        ZoomAccount account = call(request, ZoomAccount.LIGHT);
        ZoomAccount.Meeting meeting = live(account, meetingId);
        boolean permanently = permanently(action);
        ZoomAccount.RecordingFile file = meeting.files.stream().filter(f -> f.id.equals(recordingId) && (permanently || !f.trashed))
                .findFirst().orElseThrow(ZoomApiException::noRecording);
        account.deleteFile(meeting, file, permanently, account.users.get(0));
        return noContent(request);
    }

    /** {@code {"action": "recover"}}: the meeting's recordings back from the trash. */
    @PutMapping(V2 + "/meetings/{meetingId}/recordings/status")
    public ResponseEntity<byte[]> recover(@PathVariable String meetingId, @RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        ZoomAccount account = call(request, ZoomAccount.LIGHT);
        JsonNode body = json(raw);
        if (!"recover".equals(body.path("action").asText())) {
            throw ZoomApiException.invalid("Invalid field: action must be recover.");
        }
        ZoomAccount.Meeting meeting = account.meeting(meetingId);
        if (meeting == null || (!meeting.trashed && meeting.files.stream().noneMatch(f -> f.trashed))) {
            throw ZoomApiException.noRecording();
        }
        account.recover(meeting, account.users.get(0));
        return noContent(request);
    }

    /** A file's bytes (a transcript's WebVTT; a short stand-in for media), with the bearer token or {@code access_token}. */
    @GetMapping(ZoomRecordingJson.REC + "/download/{fileId}")
    public ResponseEntity<byte[]> download(@PathVariable String fileId, @RequestParam(name = "access_token", required = false) String accessToken,
                                           HttpServletRequest request) {
        String token = accessToken != null ? accessToken : AccessTokens.bearer(request.getHeader("Authorization"), "Bearer");
        ZoomAccount account = sandbox.authenticate(token);
        account.downloads.incrementAndGet();
        ZoomAccount.RecordingFile file = account.file(fileId);
        if (file == null) {
            throw ZoomApiException.noRecording();
        }
        if (file.content != null) {
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/vtt;charset=UTF-8"))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file.id + ".vtt\"")
                    .body(file.content.getBytes(StandardCharsets.UTF_8));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file.id + "." + file.extension.toLowerCase(Locale.ROOT) + "\"")
                .body(("sandbox " + file.fileType + " recording " + file.id).getBytes(StandardCharsets.UTF_8));
    }

    private static ZoomAccount.Meeting live(ZoomAccount account, String meetingId) {
        ZoomAccount.Meeting meeting = account.meeting(meetingId);
        if (meeting == null || meeting.trashed) {
            throw ZoomApiException.noRecording();
        }
        return meeting;
    }

    private static boolean permanently(String action) {
        if (action == null || action.equals("trash")) {
            return false;
        }
        if (action.equals("delete")) {
            return true;
        }
        throw ZoomApiException.invalid("Invalid field: action must be trash or delete.");
    }

    private static LocalDate date(String text, String field, LocalDate fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw ZoomApiException.invalid("Invalid field: " + field + " must be a date as yyyy-mm-dd.");
        }
    }

    private static int pageSize(String text) {
        if (text == null || text.isBlank()) {
            return 30;
        }
        try {
            int size = Integer.parseInt(text.trim());
            if (size < 1) {
                throw ZoomApiException.invalid("Invalid field: page_size must be at least 1.");
            }
            return Math.min(MAX_PAGE_SIZE, size);
        } catch (NumberFormatException e) {
            throw ZoomApiException.invalid("Invalid field: page_size must be a number.");
        }
    }

    static JsonNode json(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return ZoomJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = ZoomJson.MAPPER.readTree(raw);
            if (node == null || !node.isObject()) {
                throw ZoomApiException.invalid("Request Body should be a valid JSON object.");
            }
            return node;
        } catch (java.io.IOException e) {
            throw ZoomApiException.invalid("Request Body should be a valid JSON object.");
        }
    }

    // ------------------------------------------------------------------ OAuth

    /** Consent, given at once: back to {@code redirect_uri} with a code for the account {@code login_hint} names (none: the default). */
    @GetMapping(BASE + "/oauth/authorize")
    public ResponseEntity<byte[]> authorize(@RequestParam Map<String, String> query, HttpServletRequest request) {
        if (!"code".equals(query.get("response_type"))) {
            throw ZoomApiException.oauth(400, "unsupported_response_type", "response_type must be code");
        }
        if (!ZoomSandbox.CLIENT_ID.equals(query.get("client_id"))) {
            throw ZoomApiException.oauth(400, "invalid_client", "Invalid client_id");
        }
        String redirectUri = query.get("redirect_uri");
        if (redirectUri == null || !AccessTokens.isLoopbackRedirect(redirectUri)) {
            throw ZoomApiException.oauth(400, "invalid_request", "redirect_uri must be an http(s) URL on this machine");
        }
        String hint = query.get("login_hint");
        String accountId = hint == null || hint.isBlank() ? ZoomSandbox.ACCOUNT
                : hint.startsWith(ZoomSandbox.ACCOUNT) ? hint.trim() : ZoomSandbox.ACCOUNT + "-" + hint.trim();
        ZoomAccount account = sandbox.account(accountId, request.getRemoteAddr());
        if (account == null) {
            throw ZoomApiException.oauth(400, "invalid_request", "login_hint names no sandbox account");
        }
        String code = sandbox.issueCode(account, redirectUri, query.get("code_challenge"), query.get("code_challenge_method"));
        UriComponentsBuilder back = UriComponentsBuilder.fromUriString(redirectUri).queryParam("code", code);
        if (query.get("state") != null) {
            back.queryParam("state", query.get("state"));
        }
        return ResponseEntity.status(302).header(HttpHeaders.LOCATION, back.encode().build().toUriString()).build();
    }

    @PostMapping(BASE + "/oauth/token")
    public ResponseEntity<byte[]> token(HttpServletRequest request) {
        client(request);
        String grant = param(request, "grant_type");
        ZoomAccount account;
        String refresh = null;
        switch (grant == null ? "" : grant) {
            case "account_credentials" -> {
                String accountId = param(request, "account_id");
                if (accountId == null) {
                    throw ZoomApiException.oauth(400, "invalid_request", "account_id is required");
                }
                account = sandbox.account(accountId, request.getRemoteAddr());
                if (account == null) {
                    throw ZoomApiException.oauth(400, "invalid_request", "Invalid account_id");
                }
            }
            case "authorization_code" -> {
                String code = param(request, "code");
                AccessTokens.Code redeemed = code == null ? null : sandbox.redeemCode(code);
                if (redeemed == null || !redeemed.verifies(param(request, "code_verifier"))) {
                    throw ZoomApiException.oauth(400, "invalid_grant", "Invalid authorization code");
                }
                String redirectUri = param(request, "redirect_uri");
                if (redirectUri != null && !redirectUri.equals(redeemed.redirectUri())) {
                    throw ZoomApiException.oauth(400, "invalid_request", "Redirect URI mismatch.");
                }
                account = sandbox.find(redeemed.workspace());
                if (account == null) {
                    throw ZoomApiException.oauth(400, "invalid_grant", "Invalid Token!");
                }
                refresh = sandbox.issueRefresh(account);
            }
            case "refresh_token" -> {
                String given = param(request, "refresh_token");
                String name = given == null ? null : sandbox.takeRefresh(given);
                account = name == null ? null : sandbox.find(name);
                if (account == null) {
                    throw ZoomApiException.oauth(400, "invalid_grant", "Invalid Token!");
                }
                refresh = sandbox.issueRefresh(account);
            }
            default -> throw ZoomApiException.oauth(400, "unsupported_grant_type", "Unsupported grant type");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", sandbox.issueAccess(account, refresh));
        answer.put("token_type", "bearer");
        if (refresh != null) {
            answer.put("refresh_token", refresh);
        }
        answer.put("expires_in", sandbox.tokenTtl(account).toSeconds());
        answer.put("scope", ZoomSandbox.SCOPES);
        answer.put("api_url", origin(request) + BASE);
        return ResponseEntity.ok().contentType(ZoomJson.CONTENT_TYPE).body(ZoomJson.bytes(answer));
    }

    /** A parameter from the query or the form body. */
    private static String param(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The client by HTTP Basic (as Zoom documents) or {@code client_id} and {@code client_secret} in the form. */
    static void client(HttpServletRequest request) {
        String id = param(request, "client_id");
        String secret = param(request, "client_secret");
        BasicCredentials basic = BasicCredentials.of(request.getHeader("Authorization"));
        if (basic != null) {
            id = basic.id();
            secret = basic.secret();
        }
        if (id == null && secret == null) {
            throw ZoomApiException.oauth(401, "invalid_client", "Missing client credentials");
        }
        if (!ZoomSandbox.CLIENT_ID.equals(id) || !ZoomSandbox.CLIENT_SECRET.equals(secret)) {
            throw ZoomApiException.oauth(401, "invalid_client", "Invalid client_id or client_secret");
        }
    }

    // ------------------------------------------------------------------ errors

    @ExceptionHandler(ZoomApiException.class)
    ResponseEntity<byte[]> apiError(ZoomApiException e, HttpServletRequest request) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.status()).contentType(ZoomJson.CONTENT_TYPE);
        if (e.headers().isEmpty()) {
            headers(request, builder);
        } else {
            e.headers().forEach(builder::header);
        }
        return builder.body(ZoomJson.bytes(e.body()));
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<byte[]> unexpected(RuntimeException e, HttpServletRequest request) {
        LOG.error("Zoom sandbox failed on {} {}", request.getMethod(), request.getRequestURI(), e);
        return apiError(new ZoomApiException(500, 500, "Internal server error."), request);
    }

    static LocalDate today(java.time.Clock clock) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
