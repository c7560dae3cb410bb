package providers.dynamics365;

import org.springframework.stereotype.Component;

import providers.microsoft.EntraOAuthServer;

/**
 * Dynamics 365's authorization-code connect, at Entra ID: the connect request's {@code loginUrl} is the authority and its
 * {@code scope} names the environment ({@code https://org.crm.dynamics.com/user_impersonation offline_access}); the
 * granted scope Entra answers with is where the adapter finds the environment's URL.
 */
@Component
public class DynamicsOAuthServer extends EntraOAuthServer {

    @Override
    public String providerId() {
        return DynamicsAdapter.PROVIDER_ID;
    }
}
