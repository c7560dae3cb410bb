package security.vault;

import java.security.GeneralSecurityException;
import java.time.OffsetDateTime;

import com.google.crypto.tink.KeysetHandle;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import hub.ConflictingStateException;
import security.DataKeysets;
import security.KeysetSource;
import store.Timestamps;

/**
 * Rotation of the key-encryption keyset, online: a new primary key joins the keyset (the old keys
 * stay for decryption), every tenant's data keyset is re-wrapped with it in one transaction, and
 * the keyset file is replaced before that transaction commits. No secret is decrypted and no
 * secret ciphertext changes. Rotations are serialized across instances by the {@code kek_rotation}
 * row; other instances re-read the keyset file when they meet a key they do not hold.
 */
@Component
@Profile("!azure")
public class KeyRotation {

    static final String INLINE = "the key-encryption keyset is given inline (hub.crypto.keyset, HUB_KEYSET), so the hub cannot "
            + "rotate it: add a new primary AES256_GCM key to that keyset, keeping the old keys, set HUB_KEYSET on every instance "
            + "and restart them";

    /** What a rotation did: the new primary KEK key, how many data keysets it re-wrapped, and when. */
    public record Result(long primaryKeyId, int rewrapped, OffsetDateTime rotatedAt) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final KeysetSource kek;
    private final DataKeysets dataKeysets;

    public KeyRotation(JdbcClient jdbc, TransactionTemplate transaction, KeysetSource kek, DataKeysets dataKeysets) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.kek = kek;
        this.dataKeysets = dataKeysets;
    }

    /** Rotates the KEK; 409 when it was given inline. */
    public Result rotate() {
        if (!kek.rotatable()) {
            throw new ConflictingStateException(INLINE);
        }
        return dataKeysets.exclusively(() -> transaction.execute(status -> rotateLocked()));
    }

    private Result rotateLocked() {
        jdbc.sql("SELECT id FROM kek_rotation WHERE id = 1 FOR UPDATE").query(Integer.class).single();
        try {
            KeysetHandle next = kek.withNewPrimary();
            int rewrapped = dataKeysets.rewrapAll(next);
            Result result = new Result(KeysetSource.primaryKeyIdOf(next), rewrapped, Timestamps.now());
            jdbc.sql("UPDATE kek_rotation SET primary_key_id = ?, rewrapped = ?, rotated_at = ? WHERE id = 1")
                    .params(result.primaryKeyId(), result.rewrapped(), result.rotatedAt()).update();
            kek.commit(next);
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key-encryption keyset rotation failed: " + e.getClass().getSimpleName());
        }
    }
}
