package store;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import hub.Ids;

@Repository
public class ApiKeyStore {

    public record KeyOwner(String keyId, String tenantId) {
    }

    private final JdbcClient jdbc;

    public ApiKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the hash of a new tenant key and returns the key's id. */
    public String insert(String tenantId, String keyHash, String prefix, String name) {
        String id = Ids.newId();
        jdbc.sql("INSERT INTO api_keys (id, tenant_id, key_hash, key_prefix, name, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(id, tenantId, keyHash, prefix, name, Timestamps.now()).update();
        return id;
    }

    public Optional<KeyOwner> findActive(String keyHash) {
        return jdbc.sql("SELECT id, tenant_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL").param(keyHash)
                .query((rs, n) -> new KeyOwner(rs.getString("id"), rs.getString("tenant_id")))
                .optional();
    }
}
