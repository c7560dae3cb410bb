package security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import security.vault.KeyVaultSecretNames;

/** Hub secret names as Key Vault names: the same when Key Vault allows them, a deterministic safe form when not. */
class KeyVaultSecretNamesTest {

    private static final String ALLOWED = "[0-9a-zA-Z-]{1,127}";

    @Test
    void namesTheHubBuildsAreKeptAsTheyAre() {
        String tenant = SecretNames.tenant("acme", "salesforce", "3f2c9a10-1b2c-4d5e-8f90-123456789abc", "oauth");
        String user = SecretNames.user("acme", "u-7", "google-drive", "i-1", "oauth");
        String system = SecretNames.system("slack", "oauth");
        assertThat(KeyVaultSecretNames.of(tenant)).isEqualTo(tenant).isEqualTo("tenant-acme-salesforce-3f2c9a10-1b2c-4d5e-8f90-123456789abc-oauth");
        assertThat(KeyVaultSecretNames.of(user)).isEqualTo(user);
        assertThat(KeyVaultSecretNames.of(system)).isEqualTo("system-slack-oauth");
    }

    @Test
    void otherNamesBecomeAllowedDistinctAndStable() {
        String dotted = KeyVaultSecretNames.of("tenant-a-x.y-1-oauth");
        String underscored = KeyVaultSecretNames.of("tenant-a-x_y-1-oauth");
        String upper = KeyVaultSecretNames.of("Tenant-A-x-1-oauth");
        assertThat(dotted).matches(ALLOWED).startsWith("tenant-a-x-y-1-oauth-").isNotEqualTo(underscored);
        assertThat(underscored).matches(ALLOWED).startsWith("tenant-a-x-y-1-oauth-");
        assertThat(upper).matches(ALLOWED).startsWith("tenant-a-x-1-oauth-").isNotEqualToIgnoringCase("tenant-a-x-1-oauth");
        assertThat(KeyVaultSecretNames.of("tenant-a-x.y-1-oauth")).isEqualTo(dotted);
    }

    @Test
    void longNamesAreCutToWhatKeyVaultAllows() {
        String longName = "tenant-" + "a".repeat(64) + "-user-" + "u".repeat(20) + "-salesforce-" + "b".repeat(36) + "-oauth";
        String longer = longName + "x";
        assertThat(longName.length()).isGreaterThan(127);
        assertThat(KeyVaultSecretNames.of(longName)).matches(ALLOWED).hasSize(127).startsWith("tenant-aaaa");
        assertThat(KeyVaultSecretNames.of(longer)).matches(ALLOWED).isNotEqualTo(KeyVaultSecretNames.of(longName));
        assertThat(KeyVaultSecretNames.of("a".repeat(127))).isEqualTo("a".repeat(127));
    }
}
