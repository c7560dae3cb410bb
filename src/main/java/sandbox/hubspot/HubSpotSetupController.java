package sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import sandbox.kit.CallAdmission;
import sandbox.kit.SetupResources;
import sandbox.kit.WebhookDestinations;

/**
 * Sandbox only, not a HubSpot API: what a test or a demo sets up on its portal, authenticated with the portal's token
 * (not counted against its limits), errors in HubSpot's shape.
 *
 * <ul>
 *   <li>{@code GET /setup/portal}: name, portal id, companies seeded, live records per type, token lifetime.
 *       {@code POST /setup/reset} {@code {"companies": n}} (optional): every change dropped, the portal seeded anew.</li>
 *   <li>{@code GET|POST /setup/limits} {@code {"rateLimit", "windowSeconds", "searchRateLimit", "dailyLimit"}}: the
 *       portal's limits (0 turns the burst or search limit off), with the calls used and the violations (429s) by policy.</li>
 *   <li>{@code GET|POST /setup/tokens} {@code {"accessTokenTtlSeconds": n}}: the lifetime of OAuth access tokens issued
 *       for the portal from now on; {@code POST /setup/tokens/expire} ends its live access tokens now.</li>
 *   <li>{@code GET /setup/ground-truth[?objectType=companies]}: seeded record id to world entity id, per type.</li>
 *   <li>{@code GET|PUT|DELETE /setup/webhooks} {@code {"targetUrl", "subscriptions": [{"eventType":
 *       "company.creation"}, {"eventType": "contact.propertyChange", "propertyName": "email"}, {"eventType":
 *       "object.deletion", "objectTypeId": "0-3"}], "clientSecret"}}: the app's webhook settings (HubSpot's developer
 *       portal), with delivery counters. The target must be the hub's own origin (or a listed host).</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class HubSpotSetupController extends HubSpotApiSupport {

    static final String SETUP = BASE + "/setup";

    private final HubSpotWebhooks webhooks;

    public HubSpotSetupController(HubSpotPortals portals, HubSpotTokens tokens, HubSpotSandboxProperties properties,
            HubSpotWebhooks webhooks) {
        super(portals, tokens, properties);
        this.webhooks = webhooks;
    }

    @GetMapping(SETUP + "/portal")
    public ResponseEntity<byte[]> portal(HttpServletRequest request) {
        return ok(describe(authenticate(request, Call.SETUP)), request);
    }

    @PostMapping(SETUP + "/reset")
    public ResponseEntity<byte[]> reset(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.SETUP);
        JsonNode root = body == null || body.length == 0 ? HubSpotJson.MAPPER.createObjectNode() : HubSpotJson.read(body, false);
        Long companies = number(root, "companies");
        if (companies != null && (companies < 0 || companies > HubSpotSandboxProperties.MAX_COMPANIES)) {
            throw HubSpotApiException.validation("companies: must be between 0 and "
                    + HubSpotSandboxProperties.MAX_COMPANIES + ", got " + companies);
        }
        portal.reset(portals.seed(companies == null ? properties.companies() : companies.intValue()));
        return ok(describe(portal), request);
    }

    @GetMapping(SETUP + "/limits")
    public ResponseEntity<byte[]> limits(HttpServletRequest request) {
        return ok(limits(authenticate(request, Call.SETUP).limits()), request);
    }

    @PostMapping(SETUP + "/limits")
    public ResponseEntity<byte[]> setLimits(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.SETUP);
        JsonNode root = HubSpotJson.read(body, false);
        Long rateLimit = number(root, "rateLimit");
        Long windowSeconds = number(root, "windowSeconds");
        Long searchRateLimit = number(root, "searchRateLimit");
        Long dailyLimit = number(root, "dailyLimit");
        requireRange("rateLimit", rateLimit, 0);
        requireRange("windowSeconds", windowSeconds, 1);
        requireRange("searchRateLimit", searchRateLimit, 0);
        requireRange("dailyLimit", dailyLimit, 1);
        ApiLimits.configure(portal.limits(), toInt(rateLimit), windowSeconds == null ? null : Duration.ofSeconds(windowSeconds),
                toInt(searchRateLimit), toInt(dailyLimit));
        return ok(limits(portal.limits()), request);
    }

    @GetMapping(SETUP + "/tokens")
    public ResponseEntity<byte[]> tokens(HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.SETUP);
        return ok(Map.of("accessTokenTtlSeconds", portal.accessTokenTtl().toSeconds()), request);
    }

    @PostMapping(SETUP + "/tokens")
    public ResponseEntity<byte[]> setTokens(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.SETUP);
        Long seconds = number(HubSpotJson.read(body, false), "accessTokenTtlSeconds");
        if (seconds == null) {
            throw HubSpotApiException.validation("accessTokenTtlSeconds: required");
        }
        requireRange("accessTokenTtlSeconds", seconds, 1);
        portal.setAccessTokenTtl(Duration.ofSeconds(seconds));
        return ok(Map.of("accessTokenTtlSeconds", seconds), request);
    }

    @PostMapping(SETUP + "/tokens/expire")
    public ResponseEntity<byte[]> expireTokens(HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.SETUP);
        return ok(Map.of("expired", tokens.expireAccessTokens(portal.name())), request);
    }

    /** {@code {"portalId", "population": {"seed", "provider"}, "companies": {"9000000001": "company-0", ...}, ...}}. */
    @GetMapping(SETUP + "/ground-truth")
    public ResponseEntity<byte[]> groundTruth(HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.SETUP);
        String only = request.getParameter("objectType");
        HubSpotObjectType selected = only == null || only.isBlank() ? null : objectType(only);
        HubSpotSeed seed = portal.seed();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("portalId", portal.portalId());
        body.put("population", Map.of("seed", seed.populationSeed(), "provider", HubSpotSeed.PROVIDER));
        for (HubSpotObjectType type : HubSpotObjectType.values()) {
            if (selected == null || selected == type) {
                Map<String, String> ids = new LinkedHashMap<>();
                seed.entities(type).forEach((id, entity) -> ids.put(Long.toString(id), entity));
                body.put(type.plural(), ids);
            }
        }
        return ok(body, request);
    }

    @GetMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> webhooks(HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.SETUP);
        return ok(webhooks.status(portal).map(HubSpotSetupController::webhookView).orElseGet(() -> webhookView(null)), request);
    }

    @PutMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> setWebhooks(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.SETUP);
        JsonNode root = HubSpotJson.read(body, false);
        URI target = targetUrl(HubSpotObjectsController.text(root.get("targetUrl")), request);
        List<WebhookSubscription> subscriptions = subscriptions(root.get("subscriptions"));
        String secret = HubSpotTokens.CLIENT_SECRET;
        JsonNode secretNode = root.get("clientSecret");
        if (secretNode != null && !secretNode.isNull()) {
            if (!secretNode.isTextual() || secretNode.asText().isBlank() || secretNode.asText().length() > 256) {
                throw HubSpotApiException.validation("clientSecret: a string of 1 to 256 characters");
            }
            secret = secretNode.asText();
        }
        return ok(webhookView(webhooks.configure(portal, target, subscriptions, secret)), request);
    }

    @DeleteMapping(SETUP + "/webhooks")
    public ResponseEntity<byte[]> removeWebhooks(HttpServletRequest request) {
        HubSpotPortal portal = authenticate(request, Call.SETUP);
        webhooks.remove(portal);
        return noContent(request);
    }

    private Map<String, Object> describe(HubSpotPortal portal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", portal.name());
        body.put("portalId", portal.portalId());
        body.put("companies", portal.seed().companies());
        Map<String, Integer> counts = new LinkedHashMap<>();
        portal.counts().forEach((type, count) -> counts.put(type.plural(), count));
        body.put("records", counts);
        body.put("accessTokenTtlSeconds", portal.accessTokenTtl().toSeconds());
        return body;
    }

    private static Map<String, Object> limits(CallAdmission limits) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rateLimit", limits.limit(ApiLimits.BURST));
        body.put("windowSeconds", limits.length(ApiLimits.BURST).toSeconds());
        body.put("used", limits.used(ApiLimits.BURST));
        body.put("searchRateLimit", limits.limit(ApiLimits.SEARCH));
        body.put("dailyLimit", limits.daily().limit());
        body.put("dailyUsed", limits.daily().used());
        body.put("violations", limits.violations());
        Map<String, Long> byPolicy = new LinkedHashMap<>();
        for (ApiLimits.Policy policy : ApiLimits.Policy.values()) {
            byPolicy.put(policy.name(), limits.violations(policy.name()));
        }
        body.put("violationsByPolicy", byPolicy);
        return body;
    }

    private static Map<String, Object> webhookView(HubSpotWebhooks.Status status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appId", HubSpotOAuthController.APP_ID);
        body.put("targetUrl", status == null ? null : status.targetUrl().toString());
        body.put("subscriptions", status == null ? List.of()
                : status.subscriptions().stream().map(WebhookSubscription::toJson).toList());
        body.put("signedWith", status == null ? null : status.ownSecret() ? "clientSecret" : "sandbox-client's secret");
        if (status != null) {
            body.put("deliveredEvents", status.delivered());
            body.put("droppedEvents", status.dropped());
            body.put("pendingEvents", status.pending());
            body.put("requests", status.requests());
            body.put("failedRequests", status.failedRequests());
            body.put("lastStatusCode", status.lastStatusCode());
            body.put("lastError", status.lastError());
            body.put("lastAttemptAt", status.lastAttemptAt() == null ? null : HubSpotJson.dateTime(status.lastAttemptAt()));
        }
        return body;
    }

    /** An absolute http(s) URL with a host and no credentials, on a host and port this sandbox may call. */
    private URI targetUrl(String text, HttpServletRequest request) {
        try {
            return webhooks.destination(text, request.getLocalPort());
        } catch (WebhookDestinations.Refused e) {
            throw HubSpotApiException.validation("targetUrl: " + e.getMessage());
        }
    }

    private List<WebhookSubscription> subscriptions(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw HubSpotApiException.validation("subscriptions: required, an array of {\"eventType\"[, \"propertyName\"]}");
        }
        if (node.size() > HubSpotWebhooks.MAX_SUBSCRIPTIONS) {
            throw HubSpotApiException.validation("subscriptions: at most " + HubSpotWebhooks.MAX_SUBSCRIPTIONS);
        }
        List<WebhookSubscription> subscriptions = new ArrayList<>();
        for (JsonNode item : node) {
            String eventType = HubSpotObjectsController.text(item.get("eventType"));
            int dot = eventType == null ? -1 : eventType.indexOf('.');
            String object = dot < 0 ? null : eventType.substring(0, dot);
            String change = dot < 0 ? null : eventType.substring(dot + 1);
            if (object == null || !WebhookSubscription.CHANGES.contains(change)) {
                throw HubSpotApiException.validation("subscriptions: eventType " + eventType + " is not one of"
                        + " {company|contact|deal|object}.{creation|propertyChange|deletion}");
            }
            boolean generic = object.equals("object");
            HubSpotObjectType type;
            if (generic) {
                String typeId = HubSpotObjectsController.text(item.get("objectTypeId"));
                type = HubSpotObjectType.find(typeId).orElseThrow(() -> HubSpotApiException.validation(
                        "subscriptions: " + eventType + " needs objectTypeId 0-1, 0-2 or 0-3, got " + typeId));
            } else {
                type = HubSpotObjectType.find(object).filter(t -> t.singular().equals(object)).orElseThrow(
                        () -> HubSpotApiException.validation("subscriptions: eventType " + eventType
                                + ": the sandbox has company, contact and deal"));
            }
            String propertyName = HubSpotObjectsController.text(item.get("propertyName"));
            if (propertyName != null) {
                if (!change.equals("propertyChange")) {
                    throw HubSpotApiException.validation("subscriptions: propertyName is for propertyChange events only");
                }
                if (type.property(propertyName).isEmpty()) {
                    throw HubSpotApiException.validation("subscriptions: " + type.plural() + " have no property "
                            + propertyName);
                }
            }
            subscriptions.add(webhooks.subscription(type, change, propertyName, generic));
        }
        return subscriptions;
    }

    private static Long number(JsonNode root, String key) {
        return SetupResources.wholeNumber(root, key, (k, node) -> HubSpotApiException.validation(k + ": expected a whole number"));
    }

    private static void requireRange(String key, Long value, long min) {
        if (value != null && (value < min || value > Integer.MAX_VALUE)) {
            throw HubSpotApiException.validation(key + ": must be at least " + min + (min == 0 ? " (0 turns it off)" : "")
                    + ", got " + value);
        }
    }

    private static Integer toInt(Long value) {
        return value == null ? null : value.intValue();
    }
}
