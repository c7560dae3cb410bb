package sandbox.notion;

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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import sandbox.kit.AccessTokens;
import sandbox.kit.SetupResources;
import sandbox.kit.WebhookDestinations;
import sandbox.kit.WebhookSender;

/**
 * Sandbox only, not a Notion API: what a test or a demo sets up on its workspace, authenticated with the workspace's
 * token (no Notion-Version needed, not counted against its limit), errors in Notion's shape.
 *
 * <ul>
 *   <li>{@code GET /setup/workspace}: name, workspace id, the Companies and Notes databases (ids, data source ids,
 *       live pages), the OAuth token lifetime. {@code POST /setup/reset} {@code {"companies": n, "notes": m}}: seeded anew.</li>
 *   <li>{@code GET|POST /setup/limits} {@code {"rateLimit", "windowSeconds"}} and {@code GET|POST /setup/latency}
 *       {@code {"latencyMs"}}: the kit's shapes, with calls used and violations (429s).</li>
 *   <li>{@code POST /setup/tokens} {@code {"accessTokenTtlSeconds": n}}: lifetime of OAuth access tokens issued from now
 *       on; {@code POST /setup/tokens/expire} ends the live ones now (the next call gets 401 {@code unauthorized}).</li>
 *   <li>{@code POST /setup/internal-token} {@code {"revoked": true}}: the internal integration token stops working for the
 *       API (401 {@code unauthorized}), as when its secret is refreshed on the integration's page; setup still takes it.</li>
 *   <li>{@code GET /setup/ground-truth}: seeded page id to the world entity ids (company, person) it stands for.</li>
 *   <li>{@code GET|PUT|DELETE /setup/webhooks} {@code {"url", "eventTypes": ["page.created", ...]}} (the integration's
 *       Webhooks tab): PUT creates the subscription, and the sandbox posts {@code {"verification_token": ...}} to the URL
 *       once; {@code POST /setup/webhooks/verify} {@code {"verification_token": ...}} is the operator pasting it back,
 *       after which events go out signed with it ({@code X-Notion-Signature}). The URL must be the hub's own origin
 *       (or a listed host). GET shows the subscription with its delivery counters and, sandbox only, the
 *       verification token (what the operator reads off the receiving end before pasting it).</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.notion.enabled"}, havingValue = "true")
public class NotionSetupController {

    static final String SETUP = NotionApiController.BASE + "/setup";

    private final NotionSandbox sandbox;

    NotionSetupController(NotionSandbox sandbox) {
        this.sandbox = sandbox;
    }

    private NotionWorkspace workspace(HttpServletRequest request) {
        return sandbox.setupWorkspace(AccessTokens.bearer(request.getHeader("Authorization"), "Bearer"), request.getRemoteAddr());
    }

    private static NotionApiException invalid(String message) {
        return NotionApiException.validation(message);
    }

    @GetMapping(SETUP + "/workspace")
    public ResponseEntity<byte[]> describe(HttpServletRequest request) {
        return NotionApiController.ok(describe(workspace(request)));
    }

    private Map<String, Object> describe(NotionWorkspace w) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("name", w.name);
        state.put("workspaceId", w.workspaceId);
        state.put("botId", w.botId);
        for (NotionWorkspace.Database db : List.of(w.companies, w.notes)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("databaseId", db.id);
            d.put("dataSourceId", db.dataSourceId);
            d.put("pages", w.live(db));
            state.put(db == w.companies ? "companies" : "notes", d);
        }
        state.put("accessTokenTtlSeconds", sandbox.tokenTtl(w).toSeconds());
        return state;
    }

    @PostMapping(SETUP + "/reset")
    public ResponseEntity<byte[]> reset(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        NotionWorkspace w = workspace(request);
        JsonNode body = SetupResources.optionalObject(raw, NotionSetupController::invalid);
        Long companies = SetupResources.wholeNumber(body, "companies", NotionSetupController::invalid);
        Long notes = SetupResources.wholeNumber(body, "notes", NotionSetupController::invalid);
        for (Long n : new Long[] {companies, notes}) {
            if (n != null && (n < 0 || n > NotionSandboxProperties.MAX_PAGES)) {
                throw invalid("companies and notes: between 0 and " + NotionSandboxProperties.MAX_PAGES + ", not " + n);
            }
        }
        NotionWorkspace fresh = sandbox.reset(w, companies == null ? sandbox.properties.companies() : companies.intValue(),
                notes == null ? sandbox.properties.notes() : notes.intValue());
        return NotionApiController.ok(describe(fresh));
    }

    @GetMapping(SETUP + "/limits")
    public ResponseEntity<byte[]> limits(HttpServletRequest request) {
        return NotionApiController.ok(SetupResources.limits(workspace(request).calls, NotionWorkspace.CALLS));
    }

    @PostMapping(SETUP + "/limits")
    public ResponseEntity<byte[]> configureLimits(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        return NotionApiController.ok(SetupResources.configureLimits(workspace(request).calls, NotionWorkspace.CALLS, raw,
                NotionSetupController::invalid));
    }

    @GetMapping(SETUP + "/latency")
    public ResponseEntity<byte[]> latency(HttpServletRequest request) {
        return NotionApiController.ok(SetupResources.latency(workspace(request).calls));
    }

    @PostMapping(SETUP + "/latency")
    public ResponseEntity<byte[]> configureLatency(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        return NotionApiController.ok(SetupResources.configureLatency(workspace(request).calls, raw, NotionSetupController::invalid));
    }

    @PostMapping(SETUP + "/tokens")
    public ResponseEntity<byte[]> tokens(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        NotionWorkspace w = workspace(request);
        Long ttl = SetupResources.wholeNumber(SetupResources.object(raw, NotionSetupController::invalid), "accessTokenTtlSeconds",
                NotionSetupController::invalid);
        if (ttl == null || ttl < 1) {
            throw invalid("accessTokenTtlSeconds: a positive number of seconds is required");
        }
        sandbox.tokenTtl(w, Duration.ofSeconds(ttl));
        return NotionApiController.ok(describe(w));
    }

    @PostMapping(SETUP + "/tokens/expire")
    public ResponseEntity<byte[]> expire(HttpServletRequest request) {
        return NotionApiController.ok(Map.of("expired", sandbox.expireAccess(workspace(request))));
    }

    /** The internal integration token stops (or, {@code {"revoked": false}}, starts again) working for the API. */
    @PostMapping(SETUP + "/internal-token")
    public ResponseEntity<byte[]> internalToken(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        NotionWorkspace w = workspace(request);
        JsonNode body = SetupResources.object(raw, NotionSetupController::invalid);
        if (!body.path("revoked").isBoolean()) {
            throw invalid("revoked: true or false is required");
        }
        w.internalTokenRevoked = body.get("revoked").asBoolean();
        return NotionApiController.ok(Map.of("revoked", w.internalTokenRevoked));
    }

    @GetMapping(SETUP + "/ground-truth")
    public ResponseEntity<byte[]> groundTruth(HttpServletRequest request) {
        return NotionApiController.ok(workspace(request).groundTruth());
    }

    @GetMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> webhooks(HttpServletRequest request) {
        NotionSandbox.Subscription s = sandbox.subscription(workspace(request));
        if (s == null) {
            throw new NotionApiException(404, "object_not_found", "This workspace has no webhook subscription.");
        }
        return NotionApiController.ok(status(s));
    }

    @PutMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> subscribe(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        NotionWorkspace w = workspace(request);
        JsonNode body = SetupResources.object(raw, NotionSetupController::invalid);
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
        List<String> types = new ArrayList<>();
        body.path("eventTypes").forEach(t -> types.add(t.asText()));
        return NotionApiController.ok(status(sandbox.subscribe(w, target, types)));
    }

    @PostMapping(SETUP + "/webhooks/verify")
    public ResponseEntity<byte[]> verify(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        NotionSandbox.Subscription s = sandbox.subscription(workspace(request));
        if (s == null) {
            throw new NotionApiException(404, "object_not_found", "This workspace has no webhook subscription.");
        }
        String token = SetupResources.object(raw, NotionSetupController::invalid).path("verification_token").asText("");
        if (!java.security.MessageDigest.isEqual(token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                s.verificationToken.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw invalid("verification_token: not the token sent to the endpoint");
        }
        s.verified = true;
        return NotionApiController.ok(status(s));
    }

    @DeleteMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> unsubscribe(HttpServletRequest request) {
        return NotionApiController.ok(Map.of("deleted", sandbox.unsubscribe(workspace(request))));
    }

    private static Map<String, Object> status(NotionSandbox.Subscription s) {
        WebhookSender.Status<Map<String, Object>> events = s.events.status();
        WebhookSender.Status<Map<String, Object>> handshake = s.handshake.status();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("id", s.id);
        state.put("url", s.url.toString());
        state.put("eventTypes", s.eventTypes);
        state.put("verified", s.verified);
        // the token Notion posts to the endpoint, shown here (sandbox only) so a test can play the operator who pastes it
        state.put("verificationToken", s.verificationToken);
        state.put("verificationDelivered", handshake.delivered() > 0);
        state.put("deliveredEvents", events.delivered());
        state.put("droppedEvents", events.dropped());
        state.put("requests", events.requests());
        state.put("failedRequests", events.failedRequests());
        state.put("pending", events.pending().size());
        state.put("lastStatusCode", events.lastStatusCode());
        state.put("lastError", events.lastError());
        return state;
    }

    @ExceptionHandler(NotionApiException.class)
    ResponseEntity<byte[]> apiError(NotionApiException e) {
        return ResponseEntity.status(e.status()).contentType(NotionJson.CONTENT_TYPE).body(NotionJson.bytes(e.body()));
    }
}
