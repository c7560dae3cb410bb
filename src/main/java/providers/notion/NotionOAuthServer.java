package providers.notion;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import security.OAuthServer;

/**
 * Notion's OAuth 2.0 server for public integrations: consent at {@code /v1/oauth/authorize} and tokens from
 * {@code /v1/oauth/token} on the API host. Its access tokens carry no expiry; refreshing rotates the refresh token.
 * A login URL other than Notion's API (a sandbox) serves both.
 */
@Component
public class NotionOAuthServer implements OAuthServer {

    private final String defaultLoginUrl;

    public NotionOAuthServer(@Value("${hub.providers.notion.login-url:" + NotionClient.DEFAULT_BASE_URL + "}") String defaultLoginUrl) {
        this.defaultLoginUrl = defaultLoginUrl;
    }

    @Override
    public String providerId() {
        return NotionClient.PROVIDER_ID;
    }

    @Override
    public String defaultLoginUrl() {
        return defaultLoginUrl;
    }

    @Override
    public String authorizePath() {
        return "/v1/oauth/authorize";
    }

    @Override
    public String tokenPath() {
        return NotionClient.TOKEN_PATH;
    }

    /** Notion takes the token request as JSON, the client authenticated by HTTP Basic. */
    @Override
    public TokenRequestStyle tokenRequestStyle() {
        return TokenRequestStyle.JSON_WITH_BASIC;
    }

    /** Notion's authorization URL names who installs the integration: a user ({@code owner=user}). */
    @Override
    public Map<String, String> authorizeParameters() {
        return Map.of("owner", "user");
    }
}
