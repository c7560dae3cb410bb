package security.vault;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Azure Key Vault as the credential vault of the azure profile ({@code hub.vault.azure.*}).
 *
 * @param url              the vault's URL, e.g. {@code https://castiel-hub.vault.azure.net}
 * @param purgeOnDelete    purge a deleted secret at once instead of leaving it soft-deleted (needs the purge permission)
 * @param operationTimeout longest wait for Key Vault's delete and recover operations
 */
@ConfigurationProperties(prefix = "hub.vault.azure")
public record KeyVaultSettings(
        @DefaultValue("") String url,
        @DefaultValue("false") boolean purgeOnDelete,
        @DefaultValue("60s") Duration operationTimeout) {
}
