package sandbox.zoom;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import sandbox.kit.SetupResources;
import sandbox.kit.WebhookDestinations;
import sandbox.kit.WebhookSender;

/**
 * Sandbox only, not a Zoom API: what a test or a demo does on an account through Zoom's web portal and the app's
 * Marketplace pages, at {@code /sandbox/zoom/setup/accounts/{accountId}/...}, authenticated with the app's client
 * credentials (HTTP Basic {@code sandbox-client:sandbox-secret}), not counted against the API's limits; errors in
 * Zoom's {@code {"code", "message"}} shape.
 *
 * <ul>
 *   <li>{@code GET /}: the account (id, users, recordings live and trashed, token lifetime); {@code POST /reset}
 *       {@code {"meetings": n}}: seeded anew; {@code GET /ground-truth}: each recording's world company, people and deal.</li>
 *   <li>{@code GET /recordings}: every recording (uuid, id, topic, start, host, trashed, transcript or not), unpaged.
 *       {@code POST /recordings} {@code {"topic", "userId", "transcript": true}}: a meeting just recorded
 *       ({@code recording.completed}); {@code POST /recordings/{uuid}/trash|delete|recover}: as a host does in the
 *       portal ({@code recording.trashed}, {@code .deleted}, {@code .recovered}).</li>
 *   <li>{@code GET|POST /limits}: both per-second windows and the account's counts since it was made
 *       ({@code {"light": {...}, "medium": {...}, "violations": n, "apiCalls": n, "downloads": n}});
 *       a POST of the kit's {@code {"rateLimit", "windowSeconds"}} sets both, or one with {@code "category"}.
 *       {@code GET|POST /latency}: the kit's shape.</li>
 *   <li>{@code POST /tokens} {@code {"accessTokenTtlSeconds": n}}: lifetime of tokens issued from now on;
 *       {@code POST /tokens/expire}: the live ones end now (the next call gets 401 code 124).</li>
 *   <li>{@code GET|PUT|DELETE /webhooks} {@code {"url", "secretToken", "events": [...], "revalidateEverySeconds": n}} (the
 *       app's Event Subscriptions): PUT saves the endpoint and sends the {@code endpoint.url_validation} challenge;
 *       events go once it was answered right, and the challenge comes again every {@code revalidateEverySeconds}
 *       ({@code hub.sandbox.zoom.revalidate-every}, 72 h, by default); {@code POST /webhooks/validate} sends it now.
 *       GET shows the validation state and delivery counters.</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.zoom.enabled"}, havingValue = "true")
public class ZoomSetupController {

    static final String SETUP = ZoomApiController.BASE + "/setup/accounts/{accountId}";

    private final ZoomSandbox sandbox;

    ZoomSetupController(ZoomSandbox sandbox) {
        this.sandbox = sandbox;
    }

    private ZoomAccount account(String accountId, HttpServletRequest request) {
        ZoomApiController.client(request);
        ZoomAccount account = sandbox.account(accountId, request.getRemoteAddr());
        if (account == null) {
            throw new ZoomApiException(404, 2001, "Account does not exist: " + accountId + ".");
        }
        return account;
    }

    private static ZoomApiException invalid(String message) {
        return ZoomApiException.invalid(message);
    }

    private static ResponseEntity<byte[]> ok(Object body) {
        return ResponseEntity.ok().contentType(ZoomJson.CONTENT_TYPE).body(ZoomJson.bytes(body));
    }

    @GetMapping(SETUP)
    public ResponseEntity<byte[]> describe(@PathVariable String accountId, HttpServletRequest request) {
        return ok(describe(account(accountId, request)));
    }

    private Map<String, Object> describe(ZoomAccount a) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("accountId", ZoomSandbox.accountIdOf(a));
        state.put("zoomAccountId", a.accountId);
        List<Object> users = new ArrayList<>();
        a.users.forEach(u -> users.add(Map.of("id", u.id(), "email", u.email(), "name", u.name())));
        state.put("users", users);
        List<ZoomAccount.Meeting> all = a.all();
        state.put("recordings", all.stream().filter(m -> !m.trashed).count());
        state.put("trashed", all.stream().filter(m -> m.trashed).count());
        state.put("accessTokenTtlSeconds", sandbox.tokenTtl(a).toSeconds());
        return state;
    }

    @PostMapping(SETUP + "/reset")
    public ResponseEntity<byte[]> reset(@PathVariable String accountId, @RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        ZoomAccount a = account(accountId, request);
        Long meetings = SetupResources.wholeNumber(SetupResources.optionalObject(raw, ZoomSetupController::invalid), "meetings",
                ZoomSetupController::invalid);
        if (meetings != null && (meetings < 0 || meetings > ZoomSandboxProperties.MAX_MEETINGS)) {
            throw invalid("meetings: between 0 and " + ZoomSandboxProperties.MAX_MEETINGS + ", not " + meetings);
        }
        return ok(describe(sandbox.reset(a, meetings == null ? sandbox.properties.meetings() : meetings.intValue())));
    }

    @GetMapping(SETUP + "/ground-truth")
    public ResponseEntity<byte[]> groundTruth(@PathVariable String accountId, HttpServletRequest request) {
        return ok(account(accountId, request).groundTruth());
    }

    @GetMapping(SETUP + "/recordings")
    public ResponseEntity<byte[]> recordings(@PathVariable String accountId, HttpServletRequest request) {
        List<Object> all = new ArrayList<>();
        for (ZoomAccount.Meeting m : account(accountId, request).all()) {
            all.add(summary(m));
        }
        return ok(Map.of("recordings", all));
    }

    private static Map<String, Object> summary(ZoomAccount.Meeting m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uuid", m.uuid);
        json.put("id", m.id);
        json.put("topic", m.topic);
        json.put("start_time", ZoomJson.time(m.start));
        json.put("host_id", m.host.id());
        json.put("host_email", m.host.email());
        json.put("trashed", m.trashed);
        json.put("transcript", m.liveFiles().stream().anyMatch(f -> "TRANSCRIPT".equals(f.fileType)));
        json.put("files", m.liveFiles().size());
        return json;
    }

    @PostMapping(SETUP + "/recordings")
    public ResponseEntity<byte[]> record(@PathVariable String accountId, @RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        ZoomAccount a = account(accountId, request);
        JsonNode body = SetupResources.optionalObject(raw, ZoomSetupController::invalid);
        String userId = body.path("userId").asText(null);
        ZoomAccount.User host = userId == null ? null : a.user(userId);
        if (userId != null && host == null) {
            throw invalid("userId: no user " + userId + " in the account");
        }
        String topic = body.path("topic").isTextual() ? body.path("topic").asText() : null;
        return ok(summary(a.record(host, topic, body.path("transcript").asBoolean(true))));
    }

    @PostMapping(SETUP + "/recordings/{uuid}/{action}")
    public ResponseEntity<byte[]> change(@PathVariable String accountId, @PathVariable String uuid, @PathVariable String action,
                                         HttpServletRequest request) {
        ZoomAccount a = account(accountId, request);
        ZoomAccount.Meeting m = a.meeting(uuid);
        if (m == null) {
            throw ZoomApiException.noRecording();
        }
        ZoomAccount.User operator = m.host;
        switch (action) {
            case "trash" -> a.delete(m, false, operator);
            case "delete" -> a.delete(m, true, operator);
            case "recover" -> a.recover(m, operator);
            default -> throw invalid("action: trash, delete or recover, not " + action);
        }
        return ok(summary(m));
    }

    @GetMapping(SETUP + "/limits")
    public ResponseEntity<byte[]> limits(@PathVariable String accountId, HttpServletRequest request) {
        return ok(limits(account(accountId, request)));
    }

    private static Map<String, Object> limits(ZoomAccount a) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("light", SetupResources.limits(a.calls, ZoomAccount.LIGHT));
        state.put("medium", SetupResources.limits(a.calls, ZoomAccount.MEDIUM));
        state.put("violations", a.calls.violations());
        state.put("apiCalls", a.apiCalls.get());
        state.put("downloads", a.downloads.get());
        return state;
    }

    @PostMapping(SETUP + "/limits")
    public ResponseEntity<byte[]> configureLimits(@PathVariable String accountId, @RequestBody(required = false) byte[] raw,
                                                  HttpServletRequest request) {
        ZoomAccount a = account(accountId, request);
        String category = SetupResources.object(raw, ZoomSetupController::invalid).path("category").asText(null);
        if (category != null && !category.equals(ZoomAccount.LIGHT) && !category.equals(ZoomAccount.MEDIUM)) {
            throw invalid("category: light or medium, not " + category);
        }
        byte[] settings = stripCategory(raw);
        for (String window : category == null ? List.of(ZoomAccount.LIGHT, ZoomAccount.MEDIUM) : List.of(category)) {
            SetupResources.configureLimits(a.calls, window, settings, ZoomSetupController::invalid);
        }
        return ok(limits(a));
    }

    private static byte[] stripCategory(byte[] raw) {
        JsonNode body = SetupResources.object(raw, ZoomSetupController::invalid);
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).remove("category");
        return ZoomJson.bytes(body);
    }

    @GetMapping(SETUP + "/latency")
    public ResponseEntity<byte[]> latency(@PathVariable String accountId, HttpServletRequest request) {
        return ok(SetupResources.latency(account(accountId, request).calls));
    }

    @PostMapping(SETUP + "/latency")
    public ResponseEntity<byte[]> configureLatency(@PathVariable String accountId, @RequestBody(required = false) byte[] raw,
                                                   HttpServletRequest request) {
        return ok(SetupResources.configureLatency(account(accountId, request).calls, raw, ZoomSetupController::invalid));
    }

    @PostMapping(SETUP + "/tokens")
    public ResponseEntity<byte[]> tokens(@PathVariable String accountId, @RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        ZoomAccount a = account(accountId, request);
        Long ttl = SetupResources.wholeNumber(SetupResources.object(raw, ZoomSetupController::invalid), "accessTokenTtlSeconds",
                ZoomSetupController::invalid);
        if (ttl == null || ttl < 1) {
            throw invalid("accessTokenTtlSeconds: a positive number of seconds is required");
        }
        sandbox.tokenTtl(a, Duration.ofSeconds(ttl));
        return ok(describe(a));
    }

    @PostMapping(SETUP + "/tokens/expire")
    public ResponseEntity<byte[]> expire(@PathVariable String accountId, HttpServletRequest request) {
        return ok(Map.of("expired", sandbox.expireAccess(account(accountId, request))));
    }

    @GetMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> webhooks(@PathVariable String accountId, HttpServletRequest request) {
        return ok(status(subscription(account(accountId, request))));
    }

    private ZoomSandbox.Subscription subscription(ZoomAccount a) {
        ZoomSandbox.Subscription s = sandbox.subscription(a);
        if (s == null) {
            throw new ZoomApiException(404, 4700, "This account has no event subscription.");
        }
        return s;
    }

    @PutMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> subscribe(@PathVariable String accountId, @RequestBody(required = false) byte[] raw,
                                            HttpServletRequest request) {
        ZoomAccount a = account(accountId, request);
        JsonNode body = SetupResources.object(raw, ZoomSetupController::invalid);
        String url = body.path("url").asText(null);
        if (url == null || url.isBlank()) {
            throw invalid("url: the endpoint URL is required");
        }
        URI target;
        try {
            target = sandbox.destination(url, request.getLocalPort());
        } catch (WebhookDestinations.Refused e) {
            throw invalid("url: " + e.getMessage());
        }
        String secret = body.path("secretToken").asText(ZoomSandbox.WEBHOOK_SECRET);
        if (secret.isBlank()) {
            throw invalid("secretToken: must not be blank");
        }
        Long every = SetupResources.wholeNumber(body, "revalidateEverySeconds", ZoomSetupController::invalid);
        if (every != null && every < 1) {
            throw invalid("revalidateEverySeconds: at least 1, not " + every);
        }
        List<String> events = new ArrayList<>();
        body.path("events").forEach(e -> events.add(e.asText()));
        return ok(status(sandbox.subscribe(a, target, secret, events, every == null ? null : Duration.ofSeconds(every))));
    }

    @PostMapping(SETUP + "/webhooks/validate")
    public ResponseEntity<byte[]> validate(@PathVariable String accountId, HttpServletRequest request) {
        ZoomSandbox.Subscription s = subscription(account(accountId, request));
        sandbox.validate(s);
        return ok(status(s));
    }

    @DeleteMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> unsubscribe(@PathVariable String accountId, HttpServletRequest request) {
        return ok(Map.of("deleted", sandbox.unsubscribe(account(accountId, request))));
    }

    private static Map<String, Object> status(ZoomSandbox.Subscription s) {
        WebhookSender.Status<Map<String, Object>> events = s.deliveries.status();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("url", s.url.toString());
        state.put("events", s.events);
        state.put("revalidateEverySeconds", s.revalidateEvery.toSeconds());
        state.put("validated", s.validated);
        state.put("disabled", s.disabled);
        state.put("validationsSent", s.validationsSent);
        state.put("validationsPassed", s.validationsPassed);
        state.put("consecutiveValidationFailures", s.consecutiveFailures);
        state.put("lastValidationAt", s.lastValidationAt == null ? null : s.lastValidationAt.toString());
        state.put("deliveredEvents", events.delivered());
        state.put("droppedEvents", events.dropped());
        state.put("requests", events.requests());
        state.put("failedRequests", events.failedRequests());
        state.put("pending", events.pending().size());
        state.put("lastStatusCode", events.lastStatusCode());
        state.put("lastError", events.lastError());
        return state;
    }

    @ExceptionHandler(ZoomApiException.class)
    ResponseEntity<byte[]> apiError(ZoomApiException e) {
        return ResponseEntity.status(e.status()).contentType(ZoomJson.CONTENT_TYPE).body(ZoomJson.bytes(e.body()));
    }
}
