package security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * People who may use the operations endpoints (Hawtio, Jolokia, metrics) with a name and password:
 * {@code hub.operators.<name>=<bcrypt hash>} (with or without the {@code {bcrypt}} prefix). The
 * administrator logs in as {@code admin} with the admin key as password, or sends the key as a bearer key.
 */
@Component
public class Operators {

    public static final String ADMIN = "admin";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./0-9A-Za-z]{53}");

    private final AdminKey adminKey;
    private final Map<String, String> hashes = new TreeMap<>();
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
    /** SHA-256 of each operator's last verified password: Hawtio sends the login with every call, bcrypt is slow. */
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    /** One bcrypt check at a time: wrong passwords sent in bulk cannot take every core. */
    private final Semaphore checks = new Semaphore(1);

    @Autowired
    public Operators(AdminKey adminKey, Environment environment) {
        this(adminKey, Binder.get(environment).bind("hub.operators", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of()));
    }

    Operators(AdminKey adminKey, Map<String, String> configured) {
        this.adminKey = adminKey;
        configured.forEach((name, value) -> {
            String hash = value == null ? "" : value.trim();
            if (hash.startsWith("{bcrypt}")) {
                hash = hash.substring("{bcrypt}".length());
            }
            if (!NAME.matcher(name).matches() || name.equals(ADMIN)) {
                throw new IllegalStateException("hub.operators." + name + ": an operator name is 1-64 letters, digits, '.', '_'"
                        + " or '-', and not '" + ADMIN + "' (the administrator logs in with the admin key)");
            }
            if (!BCRYPT.matcher(hash).matches()) {
                throw new IllegalStateException("hub.operators." + name + " must be a bcrypt hash ($2a$/$2b$/$2y$, e.g. from"
                        + " 'htpasswd -nbBC 12 \"\" PASSWORD'), never the password itself");
            }
            hashes.put(name, hash);
        });
    }

    /** Whether the name and password are the administrator's (admin + admin key) or a configured operator's. */
    public boolean matches(String name, String password) {
        if (name == null || password == null) {
            return false;
        }
        if (name.equals(ADMIN)) {
            return adminKey.matches(password);
        }
        String hash = hashes.get(name);
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        // bcrypt reads at most 72 bytes: longer passwords are refused rather than silently cut
        if (hash == null || bytes.length > 72) {
            return false;
        }
        byte[] digest = sha256(bytes);
        byte[] known = verified.get(name);
        if (known != null && MessageDigest.isEqual(known, digest)) {
            return true;
        }
        try {
            if (!checks.tryAcquire(2, TimeUnit.SECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            if (bcrypt.matches(password, hash)) {
                verified.put(name, digest);
                return true;
            }
            return false;
        } finally {
            checks.release();
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
