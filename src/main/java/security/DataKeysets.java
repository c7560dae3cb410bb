package security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import org.springframework.context.annotation.Profile;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import store.Timestamps;

/**
 * The data keysets that seal the local vault's secrets: one Tink AES-256-GCM keyset per tenant
 * (and {@value #SYSTEM} for secrets of no tenant), generated on first use and stored in
 * {@code tenant_data_keys} wrapped by the key-encryption keyset, the tenant id bound as associated
 * data. Opened keysets stay in memory: a data keyset never changes, a KEK rotation only re-wraps it.
 */
@Component
@Profile("!azure")
public class DataKeysets {

    /** Data keyset of system secrets; tenant ids never contain an underscore. */
    public static final String SYSTEM = "_system";

    private record Wrapped(String id, String keyset, long kekKeyId) {
    }

    private final JdbcClient jdbc;
    private final KeysetSource kek;
    private final Map<String, Aead> opened = new ConcurrentHashMap<>();
    /** Keeps keyset creation out of a rotation on this instance, so that nothing is wrapped under a retiring key. */
    private final ReentrantLock wrapping = new ReentrantLock();

    public DataKeysets(JdbcClient jdbc, KeysetSource kek) {
        this.jdbc = jdbc;
        this.kek = kek;
    }

    /**
     * At start: the key-encryption keyset opens a data keyset already stored in this database, or the instance refuses
     * to start. A second instance given another keyset than the first (another HUB_KEYSET, another keyset file) would
     * otherwise start, then fail every credential it reads and seal new ones that no other instance can open.
     */
    @PostConstruct
    void checkKeysetMatchesTheDatabase() {
        Optional<Wrapped> stored = jdbc.sql("SELECT tenant_id, wrapped_keyset, kek_key_id FROM tenant_data_keys ORDER BY created_at LIMIT 1")
                .query((rs, n) -> new Wrapped(rs.getString(1), rs.getString(2), rs.getLong(3))).optional();
        if (stored.isEmpty()) {
            return;
        }
        try {
            cached(stored.get().id(), stored::get);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the credential keyset (hub.crypto.keyset / HUB_KEYSET, or hub.crypto.keyset-file) is not the one"
                    + " this database's credentials are sealed with: " + e.getMessage() + "; its keys are " + kek.keyIds()
                    + ". Start every instance with the same keyset.");
        }
    }

    /** The data keyset that seals secrets of this tenant ({@code null}: system secrets). */
    public static String idFor(String tenantId) {
        return tenantId == null ? SYSTEM : tenantId;
    }

    /** The AEAD that seals with a data keyset, generated and stored wrapped on first use. */
    public Aead aead(String dataKeyId) {
        return cached(dataKeyId, () -> find(dataKeyId).orElseGet(() -> created(dataKeyId)));
    }

    /** The AEAD of a stored data keyset, to open what it sealed. */
    public Aead existing(String dataKeyId) {
        return cached(dataKeyId, () -> find(dataKeyId)
                .orElseThrow(() -> new IllegalStateException("the data keyset of " + dataKeyId + " is missing")));
    }

    /**
     * Re-wraps every stored data keyset with the primary key of {@code nextKek} (which holds every
     * earlier key too) and returns how many. The keysets themselves, and so every secret sealed with
     * them, stay as they are. Runs in the caller's transaction and locks the rows it rewrites.
     */
    public int rewrapAll(KeysetHandle nextKek) throws GeneralSecurityException {
        Aead next = KeysetSource.aeadOf(nextKek);
        long nextKeyId = KeysetSource.primaryKeyIdOf(nextKek);
        List<Wrapped> all = jdbc.sql("SELECT tenant_id, wrapped_keyset, kek_key_id FROM tenant_data_keys ORDER BY tenant_id FOR UPDATE")
                .query((rs, n) -> new Wrapped(rs.getString(1), rs.getString(2), rs.getLong(3))).list();
        for (Wrapped row : all) {
            KeysetHandle keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(decode(row.keyset()), next, associatedData(row.id()));
            jdbc.sql("UPDATE tenant_data_keys SET wrapped_keyset = ?, kek_key_id = ?, rewrapped_at = ? WHERE tenant_id = ?")
                    .params(wrap(keyset, next, row.id()), nextKeyId, Timestamps.now(), row.id()).update();
        }
        return all.size();
    }

    /** Runs the work with no data keyset being created on this instance meanwhile. */
    public <T> T exclusively(Supplier<T> work) {
        wrapping.lock();
        try {
            return work.get();
        } finally {
            wrapping.unlock();
        }
    }

    private Aead cached(String dataKeyId, Supplier<Wrapped> stored) {
        Aead aead = opened.get(dataKeyId);
        if (aead != null) {
            return aead;
        }
        opened.putIfAbsent(dataKeyId, unwrap(stored.get()));
        return opened.get(dataKeyId);
    }

    private Optional<Wrapped> find(String dataKeyId) {
        return jdbc.sql("SELECT tenant_id, wrapped_keyset, kek_key_id FROM tenant_data_keys WHERE tenant_id = ?").param(dataKeyId)
                .query((rs, n) -> new Wrapped(rs.getString(1), rs.getString(2), rs.getLong(3))).optional();
    }

    private Wrapped created(String dataKeyId) {
        return exclusively(() -> {
            followRotation();
            try {
                String keyset = wrap(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), kek.aead(), dataKeyId);
                jdbc.sql("INSERT INTO tenant_data_keys (tenant_id, wrapped_keyset, kek_key_id, created_at) VALUES (?, ?, ?, ?)")
                        .params(dataKeyId, keyset, kek.primaryKeyId(), Timestamps.now()).update();
            } catch (DuplicateKeyException raced) {
                // another instance stored this tenant's keyset first: use that one
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create the data keyset of " + dataKeyId + ": " + e.getClass().getSimpleName());
            }
            return find(dataKeyId).orElseThrow();
        });
    }

    /** Another instance may have rotated the KEK: new keysets are wrapped under the primary key it chose. */
    private void followRotation() {
        Long rotatedTo = jdbc.sql("SELECT primary_key_id FROM kek_rotation WHERE id = 1").query(Long.class).optional().orElse(null);
        if (rotatedTo != null && rotatedTo != kek.primaryKeyId() && !kek.hasKey(rotatedTo)) {
            kek.reload();
        }
    }

    private Aead unwrap(Wrapped wrapped) {
        if (!kek.hasKey(wrapped.kekKeyId())) {
            kek.reload();
        }
        try {
            KeysetHandle keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(decode(wrapped.keyset()), kek.aead(), associatedData(wrapped.id()));
            return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            // no cause attached: the failure is about key material
            throw new IllegalStateException("cannot open the data keyset of " + wrapped.id() + " (wrapped under KEK key "
                    + wrapped.kekKeyId() + "): " + e.getClass().getSimpleName());
        }
    }

    private static String wrap(KeysetHandle keyset, Aead kek, String dataKeyId) throws GeneralSecurityException {
        return Base64.getEncoder().encodeToString(TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, kek, associatedData(dataKeyId)));
    }

    private static byte[] decode(String wrapped) {
        return Base64.getDecoder().decode(wrapped);
    }

    private static byte[] associatedData(String dataKeyId) {
        return dataKeyId.getBytes(StandardCharsets.UTF_8);
    }
}
