package providers.hubspot;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import security.OAuthServer;

/**
 * HubSpot's OAuth 2.0 server: tokens from {@code /oauth/v1/token} on the API host (30-minute access tokens with
 * {@code expires_in}; the refresh token lasts), the user's consent on HubSpot's app host. A login URL other than
 * HubSpot's API (a sandbox) serves both.
 */
@Component
public class HubSpotOAuthServer implements OAuthServer {

    static final String AUTHORIZE_URL = "https://app.hubspot.com/oauth/authorize";

    private final String defaultLoginUrl;

    public HubSpotOAuthServer(@Value("${hub.providers.hubspot.login-url:" + HubSpotClient.DEFAULT_BASE_URL + "}") String defaultLoginUrl) {
        this.defaultLoginUrl = defaultLoginUrl;
    }

    @Override
    public String providerId() {
        return HubSpotAdapter.PROVIDER_ID;
    }

    @Override
    public String defaultLoginUrl() {
        return defaultLoginUrl;
    }

    @Override
    public String authorizePath() {
        return "/oauth/authorize";
    }

    /** HubSpot's consent page is on app.hubspot.com, not on the API host its tokens come from. */
    @Override
    public String authorizeUrl(String loginUrl) {
        return HubSpotClient.DEFAULT_BASE_URL.equals(loginUrl) ? AUTHORIZE_URL : loginUrl + authorizePath();
    }

    @Override
    public String tokenPath() {
        return "/oauth/v1/token";
    }
}
