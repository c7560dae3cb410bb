package security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.Aead;

import store.Timestamps;

/**
 * The vault in the hub's own database: each secret is sealed with AES-256-GCM (Tink AEAD), its
 * name bound as associated data so a ciphertext copied under another name does not decrypt.
 */
@Component
public class LocalCredentialVault implements CredentialVault {

    private static final TypeReference<Map<String, String>> CREDENTIALS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Aead aead;

    public LocalCredentialVault(JdbcClient jdbc, ObjectMapper json,
                                @Value("${hub.crypto.keyset:}") String inlineKeyset,
                                @Value("${hub.crypto.keyset-file:}") String keysetFile) {
        this.jdbc = jdbc;
        this.json = json;
        this.aead = KeysetSource.aead(inlineKeyset, keysetFile);
    }

    @Override
    public void put(String secretName, String tenantId, Map<String, String> credentials) {
        String sealed = seal(secretName, credentials);
        int updated = jdbc.sql("UPDATE vault_secrets SET ciphertext = ?, updated_at = ? WHERE name = ?")
                .params(sealed, Timestamps.now(), secretName).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO vault_secrets (name, tenant_id, ciphertext, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
                    .params(secretName, tenantId, sealed, Timestamps.now(), Timestamps.now()).update();
        }
    }

    @Override
    public Optional<Map<String, String>> get(String secretName) {
        return jdbc.sql("SELECT ciphertext FROM vault_secrets WHERE name = ?").param(secretName)
                .query(String.class).optional().map(sealed -> open(secretName, sealed));
    }

    @Override
    public void delete(String secretName) {
        jdbc.sql("DELETE FROM vault_secrets WHERE name = ?").param(secretName).update();
    }

    private String seal(String secretName, Map<String, String> credentials) {
        try {
            byte[] plain = json.writeValueAsBytes(credentials);
            return Base64.getEncoder().encodeToString(aead.encrypt(plain, secretName.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot seal secret " + secretName + ": " + e.getClass().getSimpleName());
        }
    }

    private Map<String, String> open(String secretName, String sealed) {
        try {
            byte[] plain = aead.decrypt(Base64.getDecoder().decode(sealed), secretName.getBytes(StandardCharsets.UTF_8));
            return json.readValue(plain, CREDENTIALS);
        } catch (GeneralSecurityException | java.io.IOException e) {
            // no cause attached: it could carry fragments of the plaintext
            throw new IllegalStateException("cannot open secret " + secretName + ": " + e.getClass().getSimpleName());
        }
    }
}
