package api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

import connections.oauth.AuthorizationCodeFlow;
import connections.oauth.AuthorizationStart;
import connections.oauth.CallbackResult;
import connections.oauth.OAuthConnectRequest;
import hub.RefusalException;
import processors.webhooks.PublicUrl;
import security.Caller;
import store.Integration;
import store.IntegrationStore;

/**
 * OAuth authorization-code connect: a tenant asks for the provider's authorization URL, the user's
 * browser comes back to the callback (without an API key: the single-use state identifies the flow).
 * A flow started from the admin console sends the browser back to its console page instead of answering JSON.
 */
@RestController
public class OAuthController {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthController.class);

    private final IntegrationStore integrations;
    private final AuthorizationCodeFlow flow;
    private final PublicUrl publicUrl;

    public OAuthController(IntegrationStore integrations, AuthorizationCodeFlow flow, PublicUrl publicUrl) {
        this.integrations = integrations;
        this.flow = flow;
        this.publicUrl = publicUrl;
    }

    @PostMapping("/api/tenant/integrations/{id}/connect/oauth")
    public AuthorizationStart connect(Caller caller, @PathVariable String id, @RequestBody OAuthConnectRequest request) {
        return start(caller, id, request, null);
    }

    /** Starts the flow; {@code returnTo}: the console page the browser comes back to after the callback (null: JSON). */
    public AuthorizationStart start(Caller caller, String id, OAuthConnectRequest request, String returnTo) {
        Integration integration = integrations.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("integration"));
        return flow.start(caller, integration, request, publicUrl.base() + AuthorizationCodeFlow.CALLBACK_PATH, returnTo);
    }

    /**
     * The provider's redirect: {@code code} and {@code state}, or {@code error} when the user or provider refused. A flow
     * started from the console goes back to its page with {@code ?oauth=} the outcome ({@code connected}, {@code error}:
     * the tokens failed their test, {@code denied}, {@code failed}); the page reads the rest from the connection.
     */
    @GetMapping(AuthorizationCodeFlow.CALLBACK_PATH)
    public ResponseEntity<?> callback(@RequestParam(required = false) String code, @RequestParam(required = false) String state,
                                      @RequestParam(required = false) String error) {
        String returnTo = flow.returnTo(state).orElse(null);
        if (returnTo == null) {
            return ResponseEntity.ok(flow.complete(state, code, error));
        }
        String outcome;
        try {
            CallbackResult result = flow.complete(state, code, error);
            outcome = result.status().value();
        } catch (RefusalException e) {
            LOG.warn("OAuth connect started from the console did not complete: {}", e.getMessage());
            outcome = error != null && !error.isBlank() ? "denied" : "failed";
        }
        return backToConsole(returnTo + "?oauth=" + outcome);
    }

    /**
     * A page that takes the browser on to the console (a refresh, and a link): a redirect here would still count as the
     * provider's navigation, and the console's SameSite=Strict session cookie would not come along with it.
     */
    private static ResponseEntity<String> backToConsole(String target) {
        String url = HtmlUtils.htmlEscape(target);
        String page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url=" + url
                + "\"><title>Back to the console</title></head><body><main><p><a href=\"" + url
                + "\">Back to the console</a></p></main></body></html>";
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'")
                .body(page);
    }
}
