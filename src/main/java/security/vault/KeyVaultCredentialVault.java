package security.vault;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.util.polling.SyncPoller;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.DeletedSecret;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import security.CredentialVault;

/**
 * The vault in Azure Key Vault (profile azure): each secret is one Key Vault secret holding the
 * credentials as JSON, named by {@link KeyVaultSecretNames} and tagged with its tenant and hub
 * name. Key Vault encrypts and versions it; deleting soft-deletes it (and purges it when
 * configured), and writing a name that is soft-deleted recovers it first, then adds a version.
 */
@Component
@Profile("azure")
public class KeyVaultCredentialVault implements CredentialVault {

    static final String TENANT_TAG = "tenantId";
    static final String NAME_TAG = "hubSecretName";
    private static final int MAX_TAG_VALUE = 256;
    private static final int CONFLICT = 409;
    private static final TypeReference<Map<String, String>> CREDENTIALS = new TypeReference<>() {
    };

    private final SecretClient client;
    private final ObjectMapper json;
    private final boolean purgeOnDelete;
    private final Duration operationTimeout;

    public KeyVaultCredentialVault(SecretClient client, ObjectMapper json, KeyVaultSettings settings) {
        this.client = client;
        this.json = json;
        this.purgeOnDelete = settings.purgeOnDelete();
        this.operationTimeout = settings.operationTimeout();
    }

    @Override
    public void put(String secretName, String tenantId, Map<String, String> credentials) {
        String name = KeyVaultSecretNames.of(secretName);
        KeyVaultSecret secret = new KeyVaultSecret(name, serialized(secretName, credentials))
                .setProperties(new SecretProperties().setContentType("application/json").setTags(tags(secretName, tenantId)));
        try {
            client.setSecret(secret);
        } catch (HttpResponseException e) {
            if (status(e) != CONFLICT) {
                throw refused("store", secretName, e);
            }
            recover(secretName, name);
            written(secretName, secret);
        }
    }

    @Override
    public Optional<Map<String, String>> get(String secretName) {
        try {
            return Optional.of(parsed(secretName, client.getSecret(KeyVaultSecretNames.of(secretName)).getValue()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String secretName) {
        String name = KeyVaultSecretNames.of(secretName);
        try {
            SyncPoller<DeletedSecret, Void> deletion = client.beginDeleteSecret(name);
            deletion.waitForCompletion(operationTimeout);
        } catch (ResourceNotFoundException e) {
            return;
        }
        if (purgeOnDelete) {
            client.purgeDeletedSecret(name);
        }
    }

    private void written(String secretName, KeyVaultSecret secret) {
        try {
            client.setSecret(secret);
        } catch (HttpResponseException e) {
            throw refused("store", secretName, e);
        }
    }

    private void recover(String secretName, String name) {
        try {
            client.beginRecoverDeletedSecret(name).waitForCompletion(operationTimeout);
        } catch (HttpResponseException e) {
            throw refused("recover the soft-deleted", secretName, e);
        }
    }

    private static Map<String, String> tags(String secretName, String tenantId) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (tenantId != null) {
            tags.put(TENANT_TAG, tenantId);
        }
        if (secretName.length() <= MAX_TAG_VALUE) {
            tags.put(NAME_TAG, secretName);
        }
        return tags;
    }

    private String serialized(String secretName, Map<String, String> credentials) {
        try {
            return json.writeValueAsString(credentials);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize secret " + secretName + ": " + e.getClass().getSimpleName());
        }
    }

    private Map<String, String> parsed(String secretName, String value) {
        try {
            return json.readValue(value, CREDENTIALS);
        } catch (IOException | IllegalArgumentException e) {
            // no cause attached: it could carry fragments of the secret
            throw new IllegalStateException("secret " + secretName + " in Key Vault is not a JSON object of strings");
        }
    }

    private static int status(HttpResponseException e) {
        return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    }

    // no cause attached: the failed request carries the secret's value
    private static IllegalStateException refused(String action, String secretName, HttpResponseException e) {
        return new IllegalStateException("Key Vault did not " + action + " secret " + secretName + ": HTTP " + status(e));
    }
}
