package security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.azure.security.keyvault.secrets.SecretClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import security.vault.KeyRotation;
import security.vault.KeyVaultAccess;
import security.vault.KeyVaultCredentialVault;
import security.vault.KeyVaultSettings;
import security.vault.LocalVaultKeys;

/** Which vault each profile wires: the local encrypted table except in profile azure, which uses Key Vault and no local keyset. */
class VaultProfilesTest {

    @TempDir
    Path dir;
    private final LocalVaultFixture db = LocalVaultFixture.migrated();

    @Configuration
    @EnableConfigurationProperties(KeyVaultSettings.class)
    static class Settings {
    }

    private ApplicationContextRunner hub(String... profiles) {
        return new ApplicationContextRunner()
                .withInitializer(context -> context.getEnvironment().setActiveProfiles(profiles))
                .withBean(JdbcClient.class, () -> db.jdbc)
                .withBean(ObjectMapper.class, ObjectMapper::new)
                .withBean(TransactionTemplate.class, () -> new TransactionTemplate(new DataSourceTransactionManager(db.dataSource)))
                .withUserConfiguration(Settings.class, LocalVaultKeys.class, DataKeysets.class, KeyRotation.class, LocalCredentialVault.class,
                        KeyVaultAccess.class, KeyVaultCredentialVault.class)
                .withPropertyValues("hub.crypto.keyset-file=" + dir.resolve("keyset.json"));
    }

    @Test
    void theDefaultAndPostgresProfilesUseTheLocalVault() {
        hub().run(context -> {
            assertThat(context).hasSingleBean(CredentialVault.class).getBean(CredentialVault.class).isInstanceOf(LocalCredentialVault.class);
            assertThat(context).hasSingleBean(KeyRotation.class).doesNotHaveBean(SecretClient.class);
        });
        hub("postgres").run(context -> assertThat(context.getBean(CredentialVault.class)).isInstanceOf(LocalCredentialVault.class));
        assertThat(dir.resolve("keyset.json")).exists();
    }

    @Test
    void theAzureProfileUsesKeyVaultAndNoLocalKeyset() {
        hub("azure").withPropertyValues("hub.vault.azure.url=https://castiel-test.vault.azure.net", "hub.vault.azure.operation-timeout=5s")
                .run(context -> {
                    assertThat(context).hasSingleBean(CredentialVault.class).getBean(CredentialVault.class)
                            .isInstanceOf(KeyVaultCredentialVault.class);
                    assertThat(context.getBean(SecretClient.class).getVaultUrl()).isEqualTo("https://castiel-test.vault.azure.net");
                    assertThat(context.getBean(KeyVaultSettings.class).operationTimeout()).hasSeconds(5);
                    assertThat(context).doesNotHaveBean(KeysetSource.class).doesNotHaveBean(KeyRotation.class);
                });
        assertThat(dir.resolve("keyset.json")).doesNotExist();
    }

    @Test
    void theAzureProfileWithoutAVaultUrlDoesNotStart() {
        hub("azure").run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("hub.vault.azure.url"));
    }
}
