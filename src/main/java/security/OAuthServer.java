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

    /** How a token request carries the client's credentials, and how its parameters are encoded. */
    enum TokenRequestStyle {
        /** A form with {@code client_id} and {@code client_secret} in it (RFC 6749 client_secret_post). */
        FORM,
        /** A form, the client authenticated by HTTP Basic (client_secret_basic: Zoom, Gong). */
        FORM_WITH_BASIC,
        /** A JSON body, the client authenticated by HTTP Basic (Notion). */
        JSON_WITH_BASIC
    }

    /** How the provider's token endpoint wants code exchanges and refreshes sent. */
    default TokenRequestStyle tokenRequestStyle() {
        return TokenRequestStyle.FORM;
    }

    /** Parameters the authorization URL carries beyond the standard ones (Notion's {@code owner=user}). */
    default Map<String, String> authorizeParameters() {
        return Map.of();
    }

    /**
     * Fields of the provider's token answer kept as credential fields beyond the standard ones, answer field
     * to credential field (Salesforce: {@code instance_url} → {@code instanceUrl}). A refresh answer updates
     * the ones the credentials already hold.
     */
    default Map<String, String> tokenAnswerFields() {
        return Map.of();
    }
}
