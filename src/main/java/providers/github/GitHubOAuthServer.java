package providers.github;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import security.OAuthServer;

/**
 * An OAuth app's flow: consent at {@code <login>/login/oauth/authorize}, the code exchanged at
 * {@code <login>/login/oauth/access_token} (the hub asks for JSON); the user token does not expire. The API of
 * {@code https://github.com} is {@code https://api.github.com}; a sandbox serves both at one base.
 */
@Component
public class GitHubOAuthServer implements OAuthServer {

    static final String TOKEN_PATH = "/login/oauth/access_token";

    private final String defaultLoginUrl;

    public GitHubOAuthServer(@Value("${hub.providers.github.login-url:https://github.com}") String defaultLoginUrl) {
        this.defaultLoginUrl = defaultLoginUrl;
    }

    @Override
    public String providerId() {
        return GitHubApi.PROVIDER_ID;
    }

    @Override
    public String defaultLoginUrl() {
        return defaultLoginUrl;
    }

    @Override
    public String authorizePath() {
        return "/login/oauth/authorize";
    }

    @Override
    public String tokenPath() {
        return TOKEN_PATH;
    }
}
