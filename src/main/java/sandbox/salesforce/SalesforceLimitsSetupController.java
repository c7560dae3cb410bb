package sandbox.salesforce;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;

import sandbox.kit.RateWindow;
import sandbox.kit.SetupResources;

/**
 * Sandbox only, not a Salesforce API: the org's REST API rate limit, so a test can turn it on for its own org
 * and assert there were no violations. Authenticated with the org's access token; not itself rate limited.
 *
 * <ul>
 *   <li>{@code GET /sandbox/salesforce/setup/limits}: {@code {"rateLimit": n, "window": "PT60S", "used": k,
 *       "violations": v}} (n = 0 means off; k = calls in the current window).</li>
 *   <li>{@code POST .../setup/limits} {@code {"rateLimit": n, "windowSeconds": w}}: changes them (either may be
 *       left out to keep it); a negative limit or a window below 1 s is a 400. Answers as GET.</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class SalesforceLimitsSetupController extends SalesforceRestSupport {

    static final String LIMITS = BASE + "/setup/limits";

    public SalesforceLimitsSetupController(SandboxOrgs orgs, SandboxTokens tokens,
            SalesforceSandboxProperties properties) {
        super(orgs, tokens, properties);
    }

    @GetMapping({LIMITS, LIMITS + "/"})
    public ResponseEntity<byte[]> get(HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        return ok(state(org.rateLimit()), request);
    }

    @PostMapping({LIMITS, LIMITS + "/"})
    public ResponseEntity<byte[]> set(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        JsonNode root = SandboxJson.readObject(body);
        RateWindow rate = org.rateLimit();
        Long limit = number(root, "rateLimit");
        Long windowSeconds = number(root, "windowSeconds");
        if (limit != null && (limit < 0 || limit > Integer.MAX_VALUE)) {
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "FIELD_INTEGRITY_EXCEPTION",
                    "rateLimit: must be 0 (off) or a positive number of requests: " + limit, List.of("rateLimit"));
        }
        if (windowSeconds != null && windowSeconds < 1) {
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "FIELD_INTEGRITY_EXCEPTION",
                    "windowSeconds: must be at least 1: " + windowSeconds, List.of("windowSeconds"));
        }
        synchronized (rate) {
            rate.configure(limit == null ? rate.limit() : limit.intValue(),
                    windowSeconds == null ? rate.window() : Duration.ofSeconds(windowSeconds));
        }
        return ok(state(rate), request);
    }

    private static Map<String, Object> state(RateWindow rate) {
        Map<String, Object> state = new LinkedHashMap<>();
        synchronized (rate) {
            state.put("rateLimit", rate.limit());
            state.put("window", windowText(rate.window()));
            state.put("used", rate.used());
            state.put("violations", rate.violations());
        }
        return state;
    }

    private static Long number(JsonNode root, String key) {
        return SetupResources.wholeNumber(root, key, (k, node) -> new SalesforceApiException(HttpStatus.BAD_REQUEST,
                "JSON_PARSER_ERROR", k + ": expected a whole number", List.of(k)));
    }
}
