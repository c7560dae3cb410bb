package providers.zoom;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import security.OAuthServer;

/**
 * Zoom's OAuth 2.0 server for user-managed apps: consent at {@code /oauth/authorize} and tokens from
 * {@code /oauth/token} on {@code https://zoom.us}. Each refresh returns a new refresh token and the old one stops
 * working (the hub's {@code TokenLifecycle} stores it under the connection's lock). The token answer's {@code api_url}
 * (the API origin the account lives on) is kept as the connection's {@code instanceUrl}. A login URL other than Zoom's
 * (a sandbox) serves both endpoints.
 */
@Component
public class ZoomOAuthServer implements OAuthServer {

    private final String defaultLoginUrl;

    public ZoomOAuthServer(@Value("${hub.providers.zoom.login-url:" + ZoomClient.DEFAULT_OAUTH_URL + "}") String defaultLoginUrl) {
        this.defaultLoginUrl = defaultLoginUrl;
    }

    @Override
    public String providerId() {
        return ZoomClient.PROVIDER_ID;
    }

    @Override
    public String defaultLoginUrl() {
        return defaultLoginUrl;
    }

    @Override
    public String authorizePath() {
        return "/oauth/authorize";
    }

    @Override
    public String tokenPath() {
        return ZoomClient.TOKEN_PATH;
    }

    /** Zoom authenticates the client at its token endpoint by HTTP Basic. */
    @Override
    public TokenRequestStyle tokenRequestStyle() {
        return TokenRequestStyle.FORM_WITH_BASIC;
    }

    @Override
    public Map<String, String> tokenAnswerFields() {
        return Map.of("api_url", "instanceUrl");
    }
}
