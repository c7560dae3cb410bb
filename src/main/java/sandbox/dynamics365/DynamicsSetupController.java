package sandbox.dynamics365;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import sandbox.entra.EntraTokens;
import sandbox.kit.SetupResources;

/**
 * Sandbox only, not a Dataverse API: stands in for the Power Platform admin center, so a test or a demo can set up
 * its org. Each endpoint exists at {@code /sandbox/dynamics365/setup/...} (the default org) and
 * {@code /sandbox/dynamics365/<org>/setup/...}, authenticated with a token for that org like the Web API, not rate
 * limited; errors have the Web API's shape.
 *
 * <ul>
 *   <li>{@code GET setup/limits}: {@code {"rateLimit": n, "windowSeconds": w, "used": k, "violations": v}} (per user;
 *       0 is off; k = requests in the current windows, v = requests refused with 429, all users together);
 *       {@code POST} with {@code {"rateLimit": n, "windowSeconds": w}} (either may be left out) changes them.</li>
 *   <li>{@code POST setup/reset} {@code {"accounts": n}} (optional, default hub.sandbox.dynamics365.accounts): the org
 *       afresh, seeded anew; its delta tokens and ETags no longer match.</li>
 *   <li>{@code POST setup/delta-tokens/invalidate}: every delta token issued so far gets the expired-version-stamp
 *       error, as after Dataverse's ExpireChangeTrackingInDays.</li>
 *   <li>{@code POST setup/access-tokens/expire}: 204; the org refuses every access token it took so far (401), as when
 *       they expire, so a client's refresh path can be tested without waiting.</li>
 *   <li>{@code GET setup/ground-truth}: per entity set, each seeded row's id and the population entity it stands
 *       for ({@code {"accounts": {"<accountid>": "company-7"}, "contacts": {...}, "opportunities": {...}}}).</li>
 *   <li>{@code GET/POST setup/latency} {@code {"latencyMs": n}}: the delay added to each of the org's Web API calls
 *       (null for hub.sandbox.dynamics365.latency-ms).</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class DynamicsSetupController extends DynamicsSandboxSupport {

    private static final String DEFAULT_SETUP = BASE + "/setup";
    private static final String ORG_SETUP = BASE + "/{org}/setup";
    private static final int MAX_ACCOUNTS = 50_000;

    public DynamicsSetupController(DataverseOrgs orgs, EntraTokens tokens, DynamicsSandboxProperties properties) {
        super(orgs, tokens, properties);
    }

    @GetMapping({DEFAULT_SETUP + "/limits", ORG_SETUP + "/limits"})
    public ResponseEntity<byte[]> limits(@PathVariable(required = false) String org, HttpServletRequest request) {
        DataverseOrg o = authenticate(name(org), request).org();
        return ok(SetupResources.limits(o.protection().calls(), ServiceProtection.REQUESTS), request);
    }

    @PostMapping({DEFAULT_SETUP + "/limits", ORG_SETUP + "/limits"})
    public ResponseEntity<byte[]> setLimits(@PathVariable(required = false) String org,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        DataverseOrg o = authenticate(name(org), request).org();
        return ok(SetupResources.configureLimits(o.protection().calls(), ServiceProtection.REQUESTS, body,
                DynamicsSetupController::invalid), request);
    }

    @PostMapping({DEFAULT_SETUP + "/reset", ORG_SETUP + "/reset"})
    public ResponseEntity<byte[]> reset(@PathVariable(required = false) String org,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        authenticate(name(org), request);
        JsonNode root = SetupResources.optionalObject(body, DynamicsSetupController::invalid);
        Long accounts = SetupResources.wholeNumber(root, "accounts", DynamicsSetupController::invalid);
        if (accounts != null && (accounts < 0 || accounts > MAX_ACCOUNTS)) {
            throw invalid("accounts: must be between 0 and " + MAX_ACCOUNTS + ", not " + accounts);
        }
        DataverseOrg fresh = orgs.reset(name(org), accounts == null ? properties.accounts() : accounts.intValue());
        Map<String, Object> state = new LinkedHashMap<>();
        for (EntitySchema table : EntitySchema.ALL) {
            state.put(table.entitySetName(), fresh.count(table));
        }
        return ok(state, request);
    }

    @PostMapping({DEFAULT_SETUP + "/delta-tokens/invalidate", ORG_SETUP + "/delta-tokens/invalidate"})
    public ResponseEntity<byte[]> invalidateDeltaTokens(@PathVariable(required = false) String org,
            HttpServletRequest request) {
        DataverseOrg o = authenticate(name(org), request).org();
        return ok(Map.of("invalidatedThroughVersion", o.invalidateDeltaTokens()), request);
    }

    @PostMapping({DEFAULT_SETUP + "/access-tokens/expire", ORG_SETUP + "/access-tokens/expire"})
    public ResponseEntity<byte[]> expireAccessTokens(@PathVariable(required = false) String org,
            HttpServletRequest request) {
        authenticate(name(org), request).org().expireTokens();
        return respond(HttpStatus.NO_CONTENT, request).build();
    }

    @GetMapping({DEFAULT_SETUP + "/ground-truth", ORG_SETUP + "/ground-truth"})
    public ResponseEntity<byte[]> groundTruth(@PathVariable(required = false) String org, HttpServletRequest request) {
        DataverseOrg o = authenticate(name(org), request).org();
        Map<String, Object> truth = new LinkedHashMap<>();
        o.groundTruth().forEach((table, ids) -> truth.put(table.entitySetName(), ids));
        return ok(truth, request);
    }

    @GetMapping({DEFAULT_SETUP + "/latency", ORG_SETUP + "/latency"})
    public ResponseEntity<byte[]> latency(@PathVariable(required = false) String org, HttpServletRequest request) {
        return ok(SetupResources.latency(authenticate(name(org), request).org().protection().calls()), request);
    }

    @PostMapping({DEFAULT_SETUP + "/latency", ORG_SETUP + "/latency"})
    public ResponseEntity<byte[]> setLatency(@PathVariable(required = false) String org,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        DataverseOrg o = authenticate(name(org), request).org();
        return ok(SetupResources.configureLatency(o.protection().calls(), body, DynamicsSetupController::invalid),
                request);
    }

    private static String name(String org) {
        return org == null ? DataverseOrgs.DEFAULT : org;
    }

    private ResponseEntity<byte[]> ok(Object body, HttpServletRequest request) {
        return respond(HttpStatus.OK, request).contentType(ApiResponse.ODATA_JSON).body(json(body));
    }

    private static DataverseApiException invalid(String message) {
        return new DataverseApiException(HttpStatus.BAD_REQUEST, DataverseApiException.INVALID_ARGUMENT, message);
    }
}
