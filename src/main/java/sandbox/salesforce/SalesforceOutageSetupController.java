package sandbox.salesforce;

import java.time.Duration;
import java.time.Instant;
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

import jakarta.servlet.http.HttpServletRequest;

/**
 * Sandbox only, not a Salesforce API: an outage of the org's REST API, so a test or benchmark can see how the hub
 * lives through one. While it lasts every {@code /services/data/**} call answers 503 {@code SERVER_UNAVAILABLE}
 * without saying how long (logins and setup still work). Authenticated with the org's access token.
 *
 * <ul>
 *   <li>{@code GET /sandbox/salesforce/setup/outage}: {@code {"unavailableUntil": "..."|null}}.</li>
 *   <li>{@code POST .../setup/outage} {@code {"seconds": n}}: the REST API is down for the next n seconds (0 ends an
 *       outage); anything but 0…86400 is a 400. Answers as GET.</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class SalesforceOutageSetupController extends SalesforceRestSupport {

    static final String OUTAGE = BASE + "/setup/outage";

    public SalesforceOutageSetupController(SandboxOrgs orgs, SandboxTokens tokens, SalesforceSandboxProperties properties) {
        super(orgs, tokens, properties);
    }

    @GetMapping({OUTAGE, OUTAGE + "/"})
    public ResponseEntity<byte[]> get(HttpServletRequest request) {
        return ok(state(authenticate(request)), request);
    }

    @PostMapping({OUTAGE, OUTAGE + "/"})
    public ResponseEntity<byte[]> set(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        SandboxOrg org = authenticate(request);
        JsonNode seconds = SandboxJson.readObject(body).get("seconds");
        if (seconds == null || !seconds.isIntegralNumber() || seconds.longValue() < 0 || seconds.longValue() > 86400) {
            throw new SalesforceApiException(HttpStatus.BAD_REQUEST, "FIELD_INTEGRITY_EXCEPTION",
                    "seconds: expected a whole number from 0 to 86400", List.of("seconds"));
        }
        org.outage(Duration.ofSeconds(seconds.longValue()));
        return ok(state(org), request);
    }

    private static Map<String, Object> state(SandboxOrg org) {
        Instant until = org.unavailableUntil();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("unavailableUntil", until == null ? null : until.toString());
        return state;
    }
}
