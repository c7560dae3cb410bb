package security;

import java.util.Map;

/**
 * A provider's OAuth 2.0 authorization server, as the authorization-code connect and token refresh
 * reach it. Each provider package that connects by OAuth contributes one bean; the connect flow and
 * the refresher pick it by provider id.
 */
public interface OAuthServer {

    /** The provider it serves, e.g. {@code salesforce}. */
    String providerId();

    /** The server used when a connect request names no {@code loginUrl}. */
    String defaultLoginUrl();

    /** Path of the authorization endpoint below the login URL. */
    String authorizePath();

    /**
     * Where the user's browser is sent to authorize: the authorization endpoint below the login URL, unless the
     * provider serves it on a host of its own (HubSpot: app.hubspot.com, while tokens come from api.hubapi.com).
     */
    default String authorizeUrl(String loginUrl) {
        return loginUrl + authorizePath();
    }

    /** Path of the token endpoint below the login URL. */
    String tokenPath();

    /**
     * Fields of the provider's token answer kept as credential fields beyond the standard ones, answer field
     * to credential field (Salesforce: {@code instance_url} → {@code instanceUrl}). A refresh answer updates
     * the ones the credentials already hold.
     */
    default Map<String, String> tokenAnswerFields() {
        return Map.of();
    }
}
