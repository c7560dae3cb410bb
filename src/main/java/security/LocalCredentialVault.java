package security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.Aead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import store.Timestamps;

/**
 * The vault in the hub's own database, with envelope encryption: each secret is sealed with
 * AES-256-GCM (Tink AEAD) under its tenant's data keyset ({@link DataKeysets}), its name bound as
 * associated data so a ciphertext copied under another name does not decrypt. The data keysets are
 * wrapped by the key-encryption keyset ({@link KeysetSource}). Rows sealed directly with the KEK by
 * earlier versions are re-sealed under their tenant's data keyset at start, and still open meanwhile.
 */
@Component
@Profile("!azure")
public class LocalCredentialVault implements CredentialVault {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCredentialVault.class);
    private static final TypeReference<Map<String, String>> CREDENTIALS = new TypeReference<>() {
    };

    private record Sealed(String name, String tenantId, String ciphertext, String dataKeyId) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final KeysetSource kek;
    private final DataKeysets dataKeysets;

    public LocalCredentialVault(JdbcClient jdbc, ObjectMapper json, KeysetSource kek, DataKeysets dataKeysets) {
        this.jdbc = jdbc;
        this.json = json;
        this.kek = kek;
        this.dataKeysets = dataKeysets;
        resealLegacySecrets();
    }

    @Override
    public void put(String secretName, String tenantId, Map<String, String> credentials) {
        String dataKeyId = DataKeysets.idFor(tenantId);
        String sealed = seal(secretName, dataKeysets.aead(dataKeyId), credentials);
        int updated = jdbc.sql("UPDATE vault_secrets SET ciphertext = ?, tenant_id = ?, data_key_id = ?, updated_at = ? WHERE name = ?")
                .params(sealed, tenantId, dataKeyId, Timestamps.now(), secretName).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO vault_secrets (name, tenant_id, ciphertext, data_key_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(secretName, tenantId, sealed, dataKeyId, Timestamps.now(), Timestamps.now()).update();
        }
    }

    @Override
    public Optional<Map<String, String>> get(String secretName) {
        return jdbc.sql("SELECT name, tenant_id, ciphertext, data_key_id FROM vault_secrets WHERE name = ?").param(secretName)
                .query((rs, n) -> new Sealed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))).optional()
                .map(row -> open(row.name(), keyOf(row), row.ciphertext()));
    }

    @Override
    public void delete(String secretName) {
        jdbc.sql("DELETE FROM vault_secrets WHERE name = ?").param(secretName).update();
    }

    private Aead keyOf(Sealed row) {
        return row.dataKeyId() == null ? kek.aead() : dataKeysets.existing(row.dataKeyId());
    }

    private void resealLegacySecrets() {
        List<Sealed> legacy = jdbc.sql("SELECT name, tenant_id, ciphertext, data_key_id FROM vault_secrets WHERE data_key_id IS NULL")
                .query((rs, n) -> new Sealed(rs.getString(1), rs.getString(2), rs.getString(3), null)).list();
        int resealed = 0;
        for (Sealed row : legacy) {
            try {
                resealed += reseal(row);
            } catch (IllegalStateException e) {
                LOG.warn("Secret {} stays sealed with the key-encryption keyset: {}", row.name(), e.getMessage());
            }
        }
        if (resealed > 0) {
            LOG.info("Re-sealed {} secrets with their tenant's data keyset (envelope encryption)", resealed);
        }
    }

    private int reseal(Sealed row) {
        String dataKeyId = DataKeysets.idFor(row.tenantId());
        String sealed = seal(row.name(), dataKeysets.aead(dataKeyId), open(row.name(), kek.aead(), row.ciphertext()));
        // conditional: a write by another instance meanwhile wins
        return jdbc.sql("UPDATE vault_secrets SET ciphertext = ?, data_key_id = ? WHERE name = ? AND data_key_id IS NULL AND ciphertext = ?")
                .params(sealed, dataKeyId, row.name(), row.ciphertext()).update();
    }

    private String seal(String secretName, Aead aead, Map<String, String> credentials) {
        try {
            byte[] plain = json.writeValueAsBytes(credentials);
            return Base64.getEncoder().encodeToString(aead.encrypt(plain, secretName.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot seal secret " + secretName + ": " + e.getClass().getSimpleName());
        }
    }

    private Map<String, String> open(String secretName, Aead aead, String sealed) {
        try {
            byte[] plain = aead.decrypt(Base64.getDecoder().decode(sealed), secretName.getBytes(StandardCharsets.UTF_8));
            return json.readValue(plain, CREDENTIALS);
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            // no cause attached: it could carry fragments of the plaintext
            throw new IllegalStateException("cannot open secret " + secretName + ": " + e.getClass().getSimpleName());
        }
    }
}
