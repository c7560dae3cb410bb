package providers.salesforce;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import security.OAuthServer;

/** Salesforce's web-server flow: {@code /services/oauth2/authorize} and {@code /token} on the org's login host. */
@Component
public class SalesforceOAuthServer implements OAuthServer {

    private final String defaultLoginUrl;

    public SalesforceOAuthServer(@Value("${hub.oauth.default-login-url:https://login.salesforce.com}") String defaultLoginUrl) {
        this.defaultLoginUrl = defaultLoginUrl;
    }

    @Override
    public String providerId() {
        return SalesforceAdapter.PROVIDER_ID;
    }

    @Override
    public String defaultLoginUrl() {
        return defaultLoginUrl;
    }

    @Override
    public String authorizePath() {
        return "/services/oauth2/authorize";
    }

    @Override
    public String tokenPath() {
        return "/services/oauth2/token";
    }

    /** The instance to call, and the identity URL (.../id/<org id>/<user id>) camel-salesforce reads the org id from. */
    @Override
    public Map<String, String> tokenAnswerFields() {
        return Map.of("instance_url", "instanceUrl", "id", "identityUrl");
    }
}
