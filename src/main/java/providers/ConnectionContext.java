package providers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** A tenant's connection to a provider, with its decrypted credentials. Never logged whole. */
public final class ConnectionContext {

    private final String tenantId;
    private final String integrationId;
    private final String providerId;
    private final Map<String, String> credentials;

    public ConnectionContext(String tenantId, String integrationId, String providerId, Map<String, String> credentials) {
        this.tenantId = tenantId;
        this.integrationId = integrationId;
        this.providerId = providerId;
        this.credentials = Map.copyOf(credentials);
    }

    public String tenantId() {
        return tenantId;
    }

    public String integrationId() {
        return integrationId;
    }

    public String providerId() {
        return providerId;
    }

    public String credential(String name) {
        return credentials.get(name);
    }

    /** Changes whenever any credential changes, so adapters know when a cached session is stale. */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(credentials).forEach((k, v) -> {
                digest.update(k.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(v.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ConnectionContext[integration=" + integrationId + ", provider=" + providerId + "]";
    }
}
