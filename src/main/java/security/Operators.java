package security;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
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
        // bcrypt reads at most 72 bytes: longer passwords are refused rather than silently cut
        return hash != null && password.getBytes(StandardCharsets.UTF_8).length <= 72 && bcrypt.matches(password, hash);
    }
}
