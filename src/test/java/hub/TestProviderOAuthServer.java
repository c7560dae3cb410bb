package hub;

import java.util.Map;

import security.OAuthServer;

/** The test provider's authorization server: the OAuth tests connect it at the Salesforce sandbox, so it speaks Salesforce's paths. */
public class TestProviderOAuthServer implements OAuthServer {

    @Override
    public String providerId() {
        return TestProviderAdapter.PROVIDER_ID;
    }

    @Override
    public String defaultLoginUrl() {
        return "https://login.test-provider.example";
    }

    @Override
    public String authorizePath() {
        return "/services/oauth2/authorize";
    }

    @Override
    public String tokenPath() {
        return "/services/oauth2/token";
    }

    /** The OAuth tests exchange codes at the Salesforce sandbox, whose answers carry these. */
    @Override
    public Map<String, String> tokenAnswerFields() {
        return Map.of("instance_url", "instanceUrl", "id", "identityUrl");
    }
}
