package providers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tenant's connection to a provider, with its decrypted credentials and the sources the integration selects (channels,
 * repositories, databases, folders; see {@link #sources(String)}). Never logged whole.
 */
public final class ConnectionContext {

    private final String tenantId;
    private final String integrationId;
    private final String providerId;
    private final Map<String, String> credentials;
    private final Map<String, List<String>> sources;

    public ConnectionContext(String tenantId, String integrationId, String providerId, Map<String, String> credentials) {
        this(tenantId, integrationId, providerId, credentials, Map.of());
    }

    public ConnectionContext(String tenantId, String integrationId, String providerId, Map<String, String> credentials,
                             Map<String, List<String>> sources) {
        this.tenantId = tenantId;
        this.integrationId = integrationId;
        this.providerId = providerId;
        this.credentials = Map.copyOf(credentials);
        this.sources = sources == null ? Map.of() : Map.copyOf(sources);
    }

    /** The same connection with the integration's current source selection. */
    public ConnectionContext withSources(Map<String, List<String>> selected) {
        return new ConnectionContext(tenantId, integrationId, providerId, credentials, selected);
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

    /**
     * The sources the integration selects for an entity: its own list, else the list under {@code "*"} (every entity),
     * else none (the adapter decides what none means, and says so in its README).
     */
    public List<String> sources(String entity) {
        List<String> own = sources.get(entity);
        return own != null ? own : sources.getOrDefault(ANY_ENTITY, List.of());
    }

    /** Every entity's selection, keyed by entity or {@code "*"}. */
    public Map<String, List<String>> sources() {
        return sources;
    }

    /** The key of a source selection that holds for every entity. */
    public static final String ANY_ENTITY = "*";

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
