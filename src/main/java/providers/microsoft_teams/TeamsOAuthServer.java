package providers.microsoft_teams;

import org.springframework.stereotype.Component;

import providers.microsoft.EntraOAuthServer;

/**
 * Microsoft Teams' authorization-code connect, at Entra ID: the connect request's {@code loginUrl} is the authority and its
 * {@code scope} the Graph permissions ({@code https://graph.microsoft.com/ChannelMessage.Read.All offline_access}).
 */
@Component
public class TeamsOAuthServer extends EntraOAuthServer {

    @Override
    public String providerId() {
        return TeamsAdapter.PROVIDER_ID;
    }
}
