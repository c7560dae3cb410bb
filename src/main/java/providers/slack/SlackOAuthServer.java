package providers.slack;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import security.OAuthServer;

/**
 * Slack's OAuth v2: the user's consent at {@code /oauth/v2/authorize} on slack.com, tokens from the Web API method
 * {@code /api/oauth.v2.access} (a bot token; with token rotation on, it expires after 12 hours and comes with a
 * single-use refresh token). A login URL other than Slack's (a sandbox's {@code .../sandbox/slack}) serves both, and the
 * adapter calls the Web API under the same URL ({@link SlackClient#apiUrl}).
 */
@Component
public class SlackOAuthServer implements OAuthServer {

    private final String defaultLoginUrl;

    public SlackOAuthServer(@Value("${hub.providers.slack.login-url:https://slack.com}") String defaultLoginUrl) {
        this.defaultLoginUrl = defaultLoginUrl;
    }

    @Override
    public String providerId() {
        return SlackAdapter.PROVIDER_ID;
    }

    @Override
    public String defaultLoginUrl() {
        return defaultLoginUrl;
    }

    @Override
    public String authorizePath() {
        return "/oauth/v2/authorize";
    }

    @Override
    public String tokenPath() {
        return "/api/oauth.v2.access";
    }
}
