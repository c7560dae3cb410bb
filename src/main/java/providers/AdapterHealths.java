package providers;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each integration's {@link AdapterHealth} on this instance, from the outcomes of its adapter's provider calls: {@code ok}
 * after a success, {@code failing} after a failure, {@code unknown} before any call. One per adapter.
 */
public final class AdapterHealths {

    private static final AdapterHealth UNKNOWN = new AdapterHealth("unknown", null, null, null);

    private final Map<String, AdapterHealth> byIntegration = new ConcurrentHashMap<>();

    public AdapterHealth of(ConnectionContext connection) {
        return byIntegration.getOrDefault(connection.integrationId(), UNKNOWN);
    }

    public void succeeded(ConnectionContext connection) {
        byIntegration.compute(connection.integrationId(), (id, previous) -> previous == null
                ? new AdapterHealth("ok", Instant.now(), null, null)
                : new AdapterHealth("ok", Instant.now(), previous.lastFailureAt(), previous.lastError()));
    }

    /** Records the failure and hands it back, for {@code throw health.failed(connection, e)}. */
    public <E extends RuntimeException> E failed(ConnectionContext connection, E failure) {
        byIntegration.compute(connection.integrationId(), (id, previous) ->
                new AdapterHealth("failing", previous == null ? null : previous.lastSuccessAt(), Instant.now(), failure.getMessage()));
        return failure;
    }

    public void forget(String integrationId) {
        byIntegration.remove(integrationId);
    }
}
