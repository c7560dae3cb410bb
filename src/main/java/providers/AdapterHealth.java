package providers;

import java.time.Instant;

/** How the adapter's session with the provider is doing, from its own calls. */
public record AdapterHealth(String status, Instant lastSuccessAt, Instant lastFailureAt, String lastError) {
}
