package providers;

import java.util.function.Function;

/**
 * Where adapters report each provider response's status and headers (rate-limit budget, Retry-After),
 * for the hub to pace its calls. {@code header} looks a header up by name, case-insensitively; the provider id
 * says whose own rate-limit headers ({@link RateLimitHeaderReader}) to read.
 */
public interface ProviderResponses {

    void received(String providerId, String integrationId, int status, Function<String, String> header);

    /** Whether the status is one of those a caller takes as an answer (a 404 read as "gone"). */
    public static boolean isOneOf(int status, int... statuses) {
        for (int s : statuses) {
            if (s == status) {
                return true;
            }
        }
        return false;
    }
}
