package security.vault;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;

/**
 * The Key Vault client of the azure profile, signed in with {@code DefaultAzureCredential}
 * (managed identity, workload identity, or the {@code AZURE_*} environment variables).
 */
@Configuration
@Profile("azure")
public class KeyVaultAccess {

    @Bean
    public SecretClient secretClient(KeyVaultSettings settings) {
        if (settings.url() == null || settings.url().isBlank()) {
            throw new IllegalStateException("profile azure keeps credentials in Key Vault: set hub.vault.azure.url (HUB_KEYVAULT_URL), "
                    + "e.g. https://<vault-name>.vault.azure.net");
        }
        return new SecretClientBuilder().vaultUrl(settings.url()).credential(new DefaultAzureCredentialBuilder().build()).buildClient();
    }
}
