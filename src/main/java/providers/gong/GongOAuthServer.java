package providers.gong;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import security.OAuthServer;

/**
 * Gong's OAuth server for apps: consent at {@code /oauth2/authorize} and tokens from
 * {@code /oauth2/generate-customer-token} on app.gong.io. The token answer names the customer's API base in
 * {@code api_base_url_for_customer}, kept as the connection's {@code instanceUrl} (and updated by a refresh answer
 * that names it): the adapter calls the API there. A login URL other than Gong's (a sandbox) serves both endpoints.
 */
@Component
public class GongOAuthServer implements OAuthServer {

    static final String API_BASE_ANSWER_FIELD = "api_base_url_for_customer";
    private final String defaultLoginUrl;

    public GongOAuthServer(@Value("${hub.providers.gong.login-url:https://app.gong.io}") String defaultLoginUrl) {
        this.defaultLoginUrl = defaultLoginUrl;
    }

    @Override
    public String providerId() {
        return GongClient.PROVIDER_ID;
    }

    @Override
    public String defaultLoginUrl() {
        return defaultLoginUrl;
    }

    @Override
    public String authorizePath() {
        return "/oauth2/authorize";
    }

    @Override
    public String tokenPath() {
        return "/oauth2/generate-customer-token";
    }

    /** Gong authenticates the client at its token endpoint by HTTP Basic. */
    @Override
    public TokenRequestStyle tokenRequestStyle() {
        return TokenRequestStyle.FORM_WITH_BASIC;
    }

    @Override
    public Map<String, String> tokenAnswerFields() {
        return Map.of(API_BASE_ANSWER_FIELD, GongClient.INSTANCE_URL);
    }
}
