package providers;

import java.time.Instant;
import java.util.function.Function;

/**
 * Reads the rate budget a provider reports in its own response headers (Salesforce's {@code Sforce-Limit-Info},
 * HubSpot's {@code X-HubSpot-RateLimit-*}). One Spring bean in the provider's package, for providers that have
 * such headers; the common {@code X-RateLimit-*} and {@code Retry-After} are read for every provider by the hub.
 */
public interface RateLimitHeaderReader {

    /** The provider whose responses this reads, e.g. {@code salesforce}. */
    String providerId();

    /**
     * The tightest budget the response reports in the provider's own headers, or null when it reports none.
     * Bad values never throw; they count as absent.
     *
     * @param header case-insensitive lookup of one header value (null when absent)
     */
    RateBudget read(Function<String, String> header, Instant now);
}
