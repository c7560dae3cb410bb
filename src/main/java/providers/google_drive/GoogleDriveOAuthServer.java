package providers.google_drive;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import security.OAuthServer;

/**
 * Google's OAuth 2.0 server for the authorization-code connect: consent at accounts.google.com, tokens from
 * oauth2.googleapis.com (an hour; the refresh token lasts). A login URL other than Google's (the sandbox,
 * {@code http://localhost:<port>/sandbox/google}) serves both at {@code /auth} and {@code /token}, and Drive below it.
 */
@Component
public class GoogleDriveOAuthServer implements OAuthServer {

    static final String GOOGLE_LOGIN = "https://oauth2.googleapis.com";
    static final String AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth";

    private final String defaultLoginUrl;

    public GoogleDriveOAuthServer(@Value("${hub.providers.google_drive.login-url:" + GOOGLE_LOGIN + "}") String defaultLoginUrl) {
        this.defaultLoginUrl = defaultLoginUrl;
    }

    @Override
    public String providerId() {
        return GoogleDriveAdapter.PROVIDER_ID;
    }

    @Override
    public String defaultLoginUrl() {
        return defaultLoginUrl;
    }

    @Override
    public String authorizePath() {
        return "/auth";
    }

    @Override
    public String authorizeUrl(String loginUrl) {
        return GOOGLE_LOGIN.equals(loginUrl) ? AUTHORIZE_URL : loginUrl + authorizePath();
    }

    @Override
    public String tokenPath() {
        return "/token";
    }
}
