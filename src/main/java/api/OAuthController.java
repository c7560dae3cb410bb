package api;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import connections.oauth.AuthorizationCodeFlow;
import connections.oauth.AuthorizationStart;
import connections.oauth.CallbackResult;
import connections.oauth.OAuthConnectRequest;
import processors.webhooks.PublicUrl;
import security.Caller;
import store.Integration;
import store.IntegrationStore;

/**
 * OAuth authorization-code connect: a tenant asks for the provider's authorization URL, the user's
 * browser comes back to the callback (without an API key: the single-use state identifies the flow).
 */
@RestController
public class OAuthController {

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
        Integration integration = integrations.find(caller.tenantId(), id).orElseThrow(() -> ApiException.notFound("integration"));
        return flow.start(caller, integration, request, publicUrl.base() + AuthorizationCodeFlow.CALLBACK_PATH);
    }

    /** The provider's redirect: {@code code} and {@code state}, or {@code error} when the user or provider refused. */
    @GetMapping(AuthorizationCodeFlow.CALLBACK_PATH)
    public CallbackResult callback(@RequestParam(required = false) String code, @RequestParam(required = false) String state,
                                   @RequestParam(required = false) String error) {
        return flow.complete(state, code, error);
    }
}
