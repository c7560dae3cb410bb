package providers;

import java.util.function.Function;

/**
 * Where adapters report each provider response's status and headers (rate-limit budget, Retry-After),
 * for the hub to pace its calls. {@code header} looks a header up by name, case-insensitively.
 */
public interface ProviderResponses {

    void received(String integrationId, int status, Function<String, String> header);
}
