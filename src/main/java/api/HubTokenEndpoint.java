package api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import providers.salesforce.SalesforceAdapter;
import providers.salesforce.SalesforceSessions;
import security.CredentialVault;
import security.SecretNames;
import security.TokenLifecycle;
import store.AuditLog;

/**
 * Salesforce's token endpoint as the hub's own camel-salesforce components see it, for
 * authorization-code connections (see {@link SalesforceSessions}): camel "refreshes" with its
 * session's handle and gets the hub's current access token, which {@link TokenLifecycle} keeps
 * fresh. When camel logs in again with the token it was last given still stored, that token was
 * refused (camel re-logs in on 401 INVALID_SESSION_ID) and the hub refreshes it first.
 * <p>
 * Loopback callers only, outside {@code /api} (no API key: the handle authenticates). The real
 * refresh token and the client secret are never sent back; the handle never leaves the process
 * except on loopback to the hub itself.
 */
@RestController
@RequestMapping(SalesforceSessions.TOKEN_PATH + "{integrationId}/services/oauth2")
public class HubTokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(HubTokenEndpoint.class);
    private static final MediaType JSON = MediaType.APPLICATION_JSON;

    private final SalesforceSessions sessions;
    private final TokenLifecycle tokens;
    private final CredentialVault vault;
    private final AuditLog audit;

    HubTokenEndpoint(SalesforceSessions sessions, TokenLifecycle tokens, CredentialVault vault, AuditLog audit) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.vault = vault;
        this.audit = audit;
    }

    @PostMapping(path = "/token")
    public ResponseEntity<Map<String, Object>> token(@PathVariable String integrationId, @RequestParam Map<String, String> form,
                                                     HttpServletRequest request) {
        if (!loopback(request)) {
            return error(HttpStatus.FORBIDDEN, "access_denied", "loopback callers only");
        }
        if (!"refresh_token".equals(form.get("grant_type"))) {
            return error(HttpStatus.BAD_REQUEST, "unsupported_grant_type", "grant type not supported");
        }
        Optional<SalesforceSessions.Grant> found = sessions.grant(integrationId, form.get("refresh_token"));
        if (found.isEmpty()) {
            return invalidGrant();
        }
        SalesforceSessions.Grant grant = found.get();
        String previous = grant.issued().get();
        // a second login with the token it was given still stored: camel got a 401 with it
        TokenLifecycle.Outcome outcome = previous == null ? tokens.refresh(integrationId) : tokens.refreshRejected(integrationId, previous);
        if (outcome == TokenLifecycle.Outcome.AUTH_FAILED) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant", "expired access/refresh token");
        }
        if (outcome == TokenLifecycle.Outcome.UNREACHABLE) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable", "the token endpoint could not be reached; try again");
        }
        String secretName = SecretNames.tenant(grant.tenantId(), grant.providerId(), integrationId, "oauth");
        Map<String, String> credentials = vault.get(secretName).orElse(null);
        audit.record(grant.tenantId(), "hub", "secret.read", "secret", secretName, "salesforce session login");
        if (credentials == null || credentials.get(SalesforceSessions.ACCESS_TOKEN) == null || credentials.get("instanceUrl") == null) {
            LOG.warn("Salesforce session of integration {} asked for a token, but its credentials have none", integrationId);
            return invalidGrant();
        }
        String accessToken = credentials.get(SalesforceSessions.ACCESS_TOKEN);
        String identity = credentials.get("identityUrl");
        String issuedAt = Long.toString(System.currentTimeMillis());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("instance_url", credentials.get("instanceUrl"));
        if (identity != null) {
            body.put("id", identity);
        }
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        if (identity != null && credentials.get(SalesforceAdapter.CLIENT_SECRET) != null) {
            body.put("signature", signature(credentials.get(SalesforceAdapter.CLIENT_SECRET), identity + issuedAt));
        }
        if (credentials.get("scope") != null) {
            body.put("scope", credentials.get("scope"));
        }
        grant.issued().set(accessToken);
        return ResponseEntity.ok().contentType(JSON).body(body);
    }

    /**
     * camel revokes its old access token before every re-login and at logout: the token is the hub's
     * (shared by every session and instance), so it is not revoked at Salesforce. Always 200, as Salesforce's.
     */
    @RequestMapping(path = "/revoke", method = {RequestMethod.GET, RequestMethod.POST})
    public ResponseEntity<Void> revoke(@PathVariable String integrationId, HttpServletRequest request) {
        return loopback(request) ? ResponseEntity.ok().build() : ResponseEntity.status(HttpStatus.FORBIDDEN).build();
    }

    public static boolean loopback(HttpServletRequest request) {
        String address = request.getRemoteAddr();
        if (address == null || address.isEmpty() || !address.matches("[0-9A-Fa-f:.%\\[\\]]+")) {
            return false;
        }
        try {
            // an address literal: no name lookup
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static ResponseEntity<Map<String, Object>> invalidGrant() {
        return error(HttpStatus.BAD_REQUEST, "invalid_grant", "authentication failure");
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return ResponseEntity.status(status).contentType(JSON).body(body);
    }

    /** Base64(HMAC-SHA256(client secret, id + issued_at)), as Salesforce signs its token answers. */
    private static String signature(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
