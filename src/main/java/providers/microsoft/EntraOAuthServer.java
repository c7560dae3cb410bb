package providers.microsoft;

import security.OAuthServer;

/**
 * Microsoft Entra ID's v2.0 authorization server, for the providers that sign in through it (Dynamics 365, Microsoft
 * Graph): the connect request's {@code loginUrl} is the authority ({@code https://login.microsoftonline.com/<tenant>}),
 * {@code /organizations} when none is given. The scope names the resource ({@code https://org.crm.dynamics.com/user_impersonation
 * offline_access}); Entra rotates refresh tokens, which {@link security.TokenLifecycle} stores on every refresh.
 */
public abstract class EntraOAuthServer implements OAuthServer {

    @Override
    public String defaultLoginUrl() {
        return EntraAuthority.ORGANIZATIONS;
    }

    @Override
    public String authorizePath() {
        return EntraAuthority.AUTHORIZE_PATH;
    }

    @Override
    public String tokenPath() {
        return EntraAuthority.TOKEN_PATH;
    }
}
