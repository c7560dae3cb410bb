package providers.onedrive;

import org.springframework.stereotype.Component;

import providers.microsoft.EntraOAuthServer;

/**
 * OneDrive's authorization-code connect, at Entra ID: the connect request's {@code loginUrl} is the authority and its
 * {@code scope} asks for Graph's delegated file permissions ({@code https://graph.microsoft.com/Files.Read.All
 * offline_access}).
 */
@Component
public class OneDriveOAuthServer extends EntraOAuthServer {

    @Override
    public String providerId() {
        return OneDriveAdapter.PROVIDER_ID;
    }
}
