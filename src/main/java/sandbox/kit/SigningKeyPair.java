package sandbox.kit;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

/**
 * A sandbox's RSA key pair (2048 bits), made on first use and then kept. Making one searches for two large primes:
 * from a tenth of a second to a second of processor time, which a sandbox a run may never call should not add to
 * the hub's start.
 */
public final class SigningKeyPair {

    private volatile KeyPair keys;

    /** The key pair, made by the first caller (callers at the same moment wait for it). */
    public KeyPair get() {
        KeyPair made = keys;
        if (made == null) {
            synchronized (this) {
                made = keys;
                if (made == null) {
                    made = generate();
                    keys = made;
                }
            }
        }
        return made;
    }

    /** A new key pair now (the TLS certificate's, made once per data directory). */
    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no RSA key pair generator", e);
        }
    }
}
