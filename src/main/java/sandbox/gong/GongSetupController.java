package sandbox.gong;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import sandbox.kit.SetupResources;
import sandbox.kit.WebhookDestinations;
import sandbox.kit.WebhookSender;

/**
 * Setup of a Gong sandbox company, standing in for Gong's admin screens and for what happens in calls, under
 * {@code /sandbox/gong/setup/...}: authenticated like the API (Basic access key or Bearer token), not counted against its
 * limits. The limits ({@code second}, {@code day}: their size, window, calls counted and violations), latency, calls
 * added, changed and deleted, the access key revoked, access tokens expired, the automation rule's webhook, a reset, and
 * the ground truth (each call's external parties as the
 * shared population's people).
 */
@RestController
@ConditionalOnProperty(name = {"hub.sandbox.enabled", "hub.sandbox.gong.enabled"}, havingValue = "true")
public class GongSetupController {

    static final String SETUP = GongApiController.BASE + "/setup";

    private final GongSandbox sandbox;

    GongSetupController(GongSandbox sandbox) {
        this.sandbox = sandbox;
    }

    private GongCompany company(HttpServletRequest request) {
        return sandbox.setupCompany(request.getHeader("Authorization"), request.getRemoteAddr());
    }

    private static ResponseEntity<byte[]> ok(Object body) {
        return ResponseEntity.ok().contentType(GongJson.CONTENT_TYPE).body(GongJson.bytes(body));
    }

    /** Both limits: {@code {"second": {...}, "day": {...}}}, each {@code rateLimit, windowSeconds, used, violations}. */
    @GetMapping(SETUP + "/limits")
    public ResponseEntity<byte[]> limits(HttpServletRequest request) {
        GongCompany w = company(request);
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put(GongCompany.SECOND, SetupResources.limits(w.calls, GongCompany.SECOND));
        limits.put(GongCompany.DAY, SetupResources.limits(w.calls, GongCompany.DAY));
        return ok(limits);
    }

    /** Changes one limit ({@code second} or {@code day}) from {@code {"rateLimit": n, "windowSeconds": s}}. */
    @PutMapping(SETUP + "/limits/{window}")
    public ResponseEntity<byte[]> configureLimits(@PathVariable String window, @RequestBody(required = false) byte[] body,
                                                  HttpServletRequest request) {
        GongCompany w = company(request);
        if (!GongCompany.SECOND.equals(window) && !GongCompany.DAY.equals(window)) {
            throw GongApiException.badRequest("limit '" + window + "': known limits are second and day");
        }
        return ok(SetupResources.configureLimits(w.calls, window, body, GongApiException::badRequest));
    }

    @GetMapping(SETUP + "/latency")
    public ResponseEntity<byte[]> latency(HttpServletRequest request) {
        return ok(SetupResources.latency(company(request).calls));
    }

    @PutMapping(SETUP + "/latency")
    public ResponseEntity<byte[]> configureLatency(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        return ok(SetupResources.configureLatency(company(request).calls, body, GongApiException::badRequest));
    }

    /**
     * A new call: {@code {"accountIndex": k, "started": "<ISO-8601>", "title": "...", "duration": seconds}}, all optional
     * (the next company in turn, now, a seeded title and length); answers its metaData.
     */
    @PostMapping(SETUP + "/calls")
    public ResponseEntity<byte[]> addCall(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        GongCompany w = company(request);
        JsonNode root = SetupResources.optionalObject(body, GongApiException::badRequest);
        Long index = SetupResources.wholeNumber(root, "accountIndex", GongApiException::badRequest);
        GongCompany.Call call = w.add(index == null ? null : index.intValue(), GongJson.time("started", text(root, "started")),
                text(root, "title"), duration(root));
        sandbox.rules.callReady(w, call, false);
        return ResponseEntity.status(201).contentType(GongJson.CONTENT_TYPE).body(GongJson.bytes(GongJson.metaData(call, w.workspaceId)));
    }

    /** Changes a call's {@code title} or {@code duration}; 404 for a call the company does not have. */
    @PatchMapping(SETUP + "/calls/{id}")
    public ResponseEntity<byte[]> changeCall(@PathVariable String id, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        GongCompany w = company(request);
        JsonNode root = SetupResources.object(body, GongApiException::badRequest);
        GongCompany.Call call = w.change(id, text(root, "title"), duration(root));
        if (call == null) {
            throw new GongApiException(404, "Call ID was not found");
        }
        return ok(GongJson.metaData(call, w.workspaceId));
    }

    @DeleteMapping(SETUP + "/calls/{id}")
    public ResponseEntity<Void> deleteCall(@PathVariable String id, HttpServletRequest request) {
        if (!company(request).delete(id)) {
            throw new GongApiException(404, "Call ID was not found");
        }
        return ResponseEntity.noContent().build();
    }

    /** Revokes (or restores) the company's access key: {@code {"revoked": true}}; Basic auth with it then gets 401. */
    @PostMapping(SETUP + "/access-key")
    public ResponseEntity<byte[]> accessKey(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        GongCompany w = company(request);
        JsonNode revoked = SetupResources.object(body, GongApiException::badRequest).get("revoked");
        if (revoked == null || !revoked.isBoolean()) {
            throw GongApiException.badRequest("revoked: required, true or false");
        }
        w.keyRevoked = revoked.asBoolean();
        return ok(Map.of("revoked", w.keyRevoked));
    }

    /** Ends every access token of the company now (refresh tokens stay good): the client must refresh. */
    @PostMapping(SETUP + "/tokens/expire")
    public ResponseEntity<byte[]> expireTokens(HttpServletRequest request) {
        return ok(Map.of("expired", sandbox.expireAccess(company(request))));
    }

    /**
     * The company seeded anew: {@code {"calls": n, "accounts": k}} (defaults: the configured counts), calls with the first k
     * companies of the shared population; limits and counters start afresh.
     */
    @PostMapping(SETUP + "/reset")
    public ResponseEntity<byte[]> reset(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        GongCompany w = company(request);
        JsonNode root = SetupResources.optionalObject(body, GongApiException::badRequest);
        Long calls = SetupResources.wholeNumber(root, "calls", GongApiException::badRequest);
        if (calls != null && (calls < 0 || calls > GongSandboxProperties.MAX_CALLS)) {
            throw GongApiException.badRequest("calls: must be between 0 and " + GongSandboxProperties.MAX_CALLS);
        }
        Long accounts = SetupResources.wholeNumber(root, "accounts", GongApiException::badRequest);
        if (accounts != null && (accounts < 1 || accounts > 10_000)) {
            throw GongApiException.badRequest("accounts: must be between 1 and 10000");
        }
        GongCompany fresh = sandbox.reset(w, calls == null ? sandbox.properties.calls() : calls.intValue(),
                accounts == null ? sandbox.properties.accounts() : accounts.intValue());
        return ok(Map.of("calls", fresh.size()));
    }

    /**
     * The company's automation rule with a webhook action: {@code {"url": "..."}} (the hub's own origin, or a listed
     * host); every call added after is posted there, signed. Answers the rule with the public key to verify with.
     */
    @PutMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> setRule(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        GongCompany w = company(request);
        String url = text(SetupResources.object(body, GongApiException::badRequest), "url");
        if (url == null) {
            throw GongApiException.badRequest("url: the webhook URL is required");
        }
        URI target;
        try {
            target = sandbox.rules.destination(url, request.getLocalPort());
        } catch (WebhookDestinations.Refused e) {
            throw GongApiException.badRequest("url: " + e.getMessage());
        }
        return ok(rule(sandbox.rules.set(w, target)));
    }

    @GetMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> getRule(HttpServletRequest request) {
        GongAutomationRules.Rule rule = sandbox.rules.rule(company(request));
        if (rule == null) {
            throw new GongApiException(404, "This company has no automation rule with a webhook");
        }
        return ok(rule(rule));
    }

    @DeleteMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> deleteRule(HttpServletRequest request) {
        return ok(Map.of("deleted", sandbox.rules.remove(company(request))));
    }

    /** The rule's "test" button: its newest call posted with {@code isTest: true}. */
    @PostMapping(SETUP + "/webhooks/test")
    public ResponseEntity<byte[]> testRule(HttpServletRequest request) {
        GongCompany w = company(request);
        if (sandbox.rules.rule(w) == null) {
            throw new GongApiException(404, "This company has no automation rule with a webhook");
        }
        java.util.List<GongCompany.Call> calls = w.window(null, null, null);
        if (calls.isEmpty()) {
            throw GongApiException.badRequest("the company has no call to send");
        }
        sandbox.rules.callReady(w, calls.get(calls.size() - 1), true);
        return ok(rule(sandbox.rules.rule(w)));
    }

    private Map<String, Object> rule(GongAutomationRules.Rule rule) {
        WebhookSender.Status<Map<String, Object>> status = sandbox.rules.status(rule);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("url", rule.url().toString());
        state.put("authentication", "signed JWT (RS256)");
        state.put("publicKey", sandbox.rules.publicKeyPem());
        state.put("delivered", status.delivered());
        state.put("dropped", status.dropped());
        state.put("requests", status.requests());
        state.put("failedRequests", status.failedRequests());
        state.put("pending", status.pending().size());
        state.put("lastStatusCode", status.lastStatusCode());
        return state;
    }

    /** Call id to its external parties' emails and the shared population's person ids. */
    @GetMapping(SETUP + "/ground-truth")
    public ResponseEntity<byte[]> groundTruth(HttpServletRequest request) {
        return ok(company(request).groundTruth());
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw GongApiException.badRequest(field + ": must be a non-empty string");
        }
        return value.asText();
    }

    private static Integer duration(JsonNode root) {
        Long duration = SetupResources.wholeNumber(root, "duration", GongApiException::badRequest);
        if (duration != null && (duration < 0 || duration > 86_400)) {
            throw GongApiException.badRequest("duration: must be between 0 and 86400 seconds");
        }
        return duration == null ? null : duration.intValue();
    }

    @ExceptionHandler(GongApiException.class)
    ResponseEntity<byte[]> apiError(GongApiException e) {
        return ResponseEntity.status(e.status()).contentType(GongJson.CONTENT_TYPE).body(GongJson.bytes(e.body()));
    }
}
