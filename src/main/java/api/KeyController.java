package api;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import security.Caller;
import security.vault.KeyRotation;
import store.AuditLog;

/** Credential keys: rotation of the local vault's key-encryption keyset (admin key only). */
@RestController
@RequestMapping("/api/admin/keys")
public class KeyController {

    private final ObjectProvider<KeyRotation> rotation;
    private final AuditLog audit;

    public KeyController(ObjectProvider<KeyRotation> rotation, AuditLog audit) {
        this.rotation = rotation;
        this.audit = audit;
    }

    /**
     * Adds a new primary key to the key-encryption keyset and re-wraps every tenant's data keyset
     * with it, online; secrets stay sealed as they are. 409 when the keyset is given inline or the
     * secrets live in Azure Key Vault.
     */
    @PostMapping("/rotate")
    public KeyRotation.Result rotate(Caller caller) {
        KeyRotation keys = rotation.getIfAvailable();
        if (keys == null) {
            throw new ApiException(HttpStatus.CONFLICT, "secrets live in Azure Key Vault in this profile; rotate keys in Key Vault");
        }
        KeyRotation.Result result = keys.rotate();
        audit.record(null, caller.actor(), "kek.rotate", "keyset", Long.toString(result.primaryKeyId()),
                "re-wrapped " + result.rewrapped() + " data keysets");
        return result;
    }
}
