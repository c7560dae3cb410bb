package security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.DeletedSecret;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.fasterxml.jackson.databind.ObjectMapper;

import security.vault.KeyVaultCredentialVault;
import security.vault.KeyVaultSettings;

/** The Key Vault backend against a mocked {@link SecretClient} (no live vault is reachable here). */
class KeyVaultCredentialVaultTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final SecretClient client = mock(SecretClient.class);
    private final KeyVaultCredentialVault vault = new KeyVaultCredentialVault(client, new ObjectMapper(), settings(false));

    @Test
    void putStoresTheCredentialsAsJsonUnderTheSameNameTaggedWithTheTenant() throws Exception {
        vault.put("tenant-acme-salesforce-i1-oauth", "acme", Map.of("clientSecret", "s3cret", "username", "u"));

        KeyVaultSecret stored = stored();
        assertThat(stored.getName()).isEqualTo("tenant-acme-salesforce-i1-oauth");
        assertThat(new ObjectMapper().readValue(stored.getValue(), Map.class)).isEqualTo(Map.of("clientSecret", "s3cret", "username", "u"));
        assertThat(stored.getProperties().getTags()).containsEntry("tenantId", "acme")
                .containsEntry("hubSecretName", "tenant-acme-salesforce-i1-oauth");
        assertThat(stored.getProperties().getContentType()).isEqualTo("application/json");
    }

    @Test
    void systemSecretsCarryNoTenantTag() {
        vault.put("system-slack-oauth", null, Map.of("token", "t"));
        assertThat(stored().getProperties().getTags()).doesNotContainKey("tenantId").containsEntry("hubSecretName", "system-slack-oauth");
    }

    @Test
    void getReadsTheSecretAndAMissingOneIsEmpty() {
        when(client.getSecret("tenant-acme-salesforce-i1-oauth"))
                .thenReturn(new KeyVaultSecret("tenant-acme-salesforce-i1-oauth", "{\"clientSecret\":\"s3cret\"}"));
        when(client.getSecret("tenant-acme-salesforce-gone-oauth")).thenThrow(new ResourceNotFoundException("SecretNotFound", null));

        assertThat(vault.get("tenant-acme-salesforce-i1-oauth")).contains(Map.of("clientSecret", "s3cret"));
        assertThat(vault.get("tenant-acme-salesforce-gone-oauth")).isEmpty();
    }

    @Test
    void namesKeyVaultDoesNotAllowAreMappedTheSameWayOnEveryCall() {
        vault.put("tenant-acme-x.y-i1-oauth", "acme", Map.of("k", "v"));
        String mapped = stored().getName();
        assertThat(mapped).matches("[0-9a-zA-Z-]{1,127}").startsWith("tenant-acme-x-y-i1-oauth-");
        when(client.getSecret(mapped)).thenReturn(new KeyVaultSecret(mapped, "{\"k\":\"v\"}"));
        assertThat(vault.get("tenant-acme-x.y-i1-oauth")).contains(Map.of("k", "v"));
    }

    @Test
    void deleteWaitsForTheSoftDeleteAndPurgesOnlyWhenConfigured() {
        SyncPoller<DeletedSecret, Void> deletion = deletion("tenant-acme-salesforce-i1-oauth");
        vault.delete("tenant-acme-salesforce-i1-oauth");
        verify(deletion).waitForCompletion(TIMEOUT);
        verify(client, never()).purgeDeletedSecret(anyString());

        KeyVaultCredentialVault purging = new KeyVaultCredentialVault(client, new ObjectMapper(), settings(true));
        purging.delete("tenant-acme-salesforce-i1-oauth");
        InOrder order = inOrder(deletion, client);
        order.verify(deletion).waitForCompletion(TIMEOUT);
        order.verify(client).purgeDeletedSecret("tenant-acme-salesforce-i1-oauth");
    }

    @Test
    void deletingAMissingSecretIsNotAnError() {
        when(client.beginDeleteSecret("tenant-acme-salesforce-gone-oauth")).thenThrow(new ResourceNotFoundException("SecretNotFound", null));
        new KeyVaultCredentialVault(client, new ObjectMapper(), settings(true)).delete("tenant-acme-salesforce-gone-oauth");
        verify(client, never()).purgeDeletedSecret(anyString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void writingASoftDeletedNameRecoversItThenWritesTheNewVersion() {
        HttpResponseException conflict = refusal(409);
        when(client.setSecret(any(KeyVaultSecret.class))).thenThrow(conflict).thenReturn(null);
        SyncPoller<KeyVaultSecret, Void> recovery = mock(SyncPoller.class);
        when(client.beginRecoverDeletedSecret("tenant-acme-salesforce-i1-oauth")).thenReturn(recovery);

        vault.put("tenant-acme-salesforce-i1-oauth", "acme", Map.of("k", "v"));

        InOrder order = inOrder(client, recovery);
        order.verify(client).setSecret(any(KeyVaultSecret.class));
        order.verify(recovery).waitForCompletion(TIMEOUT);
        order.verify(client).setSecret(any(KeyVaultSecret.class));
    }

    @Test
    void aRefusedWriteNamesTheSecretAndStatusButNotItsValue() {
        HttpResponseException forbidden = refusal(403);
        when(client.setSecret(any(KeyVaultSecret.class))).thenThrow(forbidden);
        assertThatThrownBy(() -> vault.put("tenant-acme-salesforce-i1-oauth", "acme", Map.of("password", "hunter2")))
                .isInstanceOf(IllegalStateException.class).hasNoCause()
                .hasMessageContaining("tenant-acme-salesforce-i1-oauth").hasMessageContaining("403").hasMessageNotContaining("hunter2");
        verify(client, times(1)).setSecret(any(KeyVaultSecret.class));
    }

    @Test
    void aValueThatIsNotCredentialsJsonFailsWithoutShowingIt() {
        when(client.getSecret("tenant-acme-salesforce-i1-oauth")).thenReturn(new KeyVaultSecret("tenant-acme-salesforce-i1-oauth", "hunter2"));
        assertThatThrownBy(() -> vault.get("tenant-acme-salesforce-i1-oauth")).isInstanceOf(IllegalStateException.class).hasNoCause()
                .hasMessageNotContaining("hunter2");
    }

    private static KeyVaultSettings settings(boolean purgeOnDelete) {
        return new KeyVaultSettings("https://castiel-test.vault.azure.net", purgeOnDelete, TIMEOUT);
    }

    private KeyVaultSecret stored() {
        ArgumentCaptor<KeyVaultSecret> secret = ArgumentCaptor.forClass(KeyVaultSecret.class);
        verify(client).setSecret(secret.capture());
        return secret.getValue();
    }

    @SuppressWarnings("unchecked")
    private SyncPoller<DeletedSecret, Void> deletion(String name) {
        SyncPoller<DeletedSecret, Void> poller = mock(SyncPoller.class);
        when(client.beginDeleteSecret(name)).thenReturn(poller);
        return poller;
    }

    private static HttpResponseException refusal(int status) {
        HttpResponse response = mock(HttpResponse.class);
        when(response.getStatusCode()).thenReturn(status);
        return new HttpResponseException("refused", response);
    }
}
