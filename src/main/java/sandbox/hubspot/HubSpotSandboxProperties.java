package sandbox.hubspot;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the HubSpot sandbox ({@code hub.sandbox.hubspot.*}).
 *
 * @param companies seeded companies per portal (each with two contacts and one deal, associated with it)
 * @param seed the seed of the shared population the records are drawn from (the same seed gives the same world
 *     entities as the other sandboxes)
 * @param accessTokenTtl lifetime of OAuth access tokens ({@code expires_in}; HubSpot's is 30 minutes); a portal can
 *     change its own through the setup API
 * @param rateLimit API calls per portal per {@code rateWindow} (HubSpot's burst limit, 100 to 190 per 10 s by plan);
 *     0 (the default) turns it off
 * @param rateWindow the burst limit's rolling window
 * @param searchRateLimit search calls per portal per second (HubSpot's is 5); 0 (the default) turns it off
 * @param dailyLimit API calls per portal per UTC day
 * @param latencyMs added to every API call, to behave like a provider across the internet
 * @param maxPortals named portals held at once ({@code pat-sandbox-<name>}): a new one evicts the portal idle
 *     longest (at least {@code portalIdleAfter}), and is refused when none is idle
 * @param maxPortalsPerClient named portals one client (remote address) may hold
 * @param portalIdleAfter a portal no call has used for this long may be evicted (never the default portal)
 * @param webhookBatchWindow how long changes are collected before they go out in one delivery (at most 100 events)
 * @param webhookRetryInitial wait before the first retry of a delivery that failed; doubled on every further failure
 * @param webhookRetryMax longest wait between retries
 * @param webhookMaxAttempts attempts per event before it is dropped (HubSpot: 10, over 24 hours)
 * @param webhookTimeout connect and response timeout of one delivery (HubSpot: 5 s)
 * @param webhookAllowedHosts where webhooks may be sent, as {@code host} (any port) or {@code host:port}; empty (the
 *     default) allows the hub's own origin only (a loopback host on the port the sandbox is served on)
 */
@ConfigurationProperties(prefix = "hub.sandbox.hubspot")
public record HubSpotSandboxProperties(
        @DefaultValue("1000") int companies,
        @DefaultValue("20250101") long seed,
        @DefaultValue("30m") Duration accessTokenTtl,
        @DefaultValue("0") int rateLimit,
        @DefaultValue("10s") Duration rateWindow,
        @DefaultValue("0") int searchRateLimit,
        @DefaultValue("1000000") int dailyLimit,
        @DefaultValue("0") int latencyMs,
        @DefaultValue("50") int maxPortals,
        @DefaultValue("10") int maxPortalsPerClient,
        @DefaultValue("15m") Duration portalIdleAfter,
        @DefaultValue("200ms") Duration webhookBatchWindow,
        @DefaultValue("1s") Duration webhookRetryInitial,
        @DefaultValue("60s") Duration webhookRetryMax,
        @DefaultValue("10") int webhookMaxAttempts,
        @DefaultValue("5s") Duration webhookTimeout,
        @DefaultValue({}) List<String> webhookAllowedHosts) {

    /** Most companies a portal may be seeded with. */
    static final int MAX_COMPANIES = 20_000;

    @ConstructorBinding
    public HubSpotSandboxProperties {
        companies = Math.max(0, Math.min(MAX_COMPANIES, companies));
        accessTokenTtl = positiveOr(accessTokenTtl, Duration.ofMinutes(30));
        rateLimit = Math.max(0, rateLimit);
        rateWindow = positiveOr(rateWindow, Duration.ofSeconds(10));
        searchRateLimit = Math.max(0, searchRateLimit);
        dailyLimit = Math.max(1, dailyLimit);
        latencyMs = Math.max(0, latencyMs);
        maxPortals = Math.max(1, maxPortals);
        maxPortalsPerClient = Math.max(1, maxPortalsPerClient);
        portalIdleAfter = portalIdleAfter == null || portalIdleAfter.isNegative() ? Duration.ofMinutes(15) : portalIdleAfter;
        webhookBatchWindow = webhookBatchWindow == null || webhookBatchWindow.isNegative() ? Duration.ofMillis(200)
                : webhookBatchWindow;
        webhookRetryInitial = positiveOr(webhookRetryInitial, Duration.ofSeconds(1));
        webhookRetryMax = positiveOr(webhookRetryMax, Duration.ofSeconds(60));
        if (webhookRetryMax.compareTo(webhookRetryInitial) < 0) {
            webhookRetryMax = webhookRetryInitial;
        }
        webhookMaxAttempts = Math.max(1, webhookMaxAttempts);
        webhookTimeout = positiveOr(webhookTimeout, Duration.ofSeconds(5));
        webhookAllowedHosts = webhookAllowedHosts == null ? List.of()
                : webhookAllowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
    }

    /** The defaults, for code that builds the sandbox without Spring. */
    public static HubSpotSandboxProperties defaults() {
        return new HubSpotSandboxProperties(1000, 20250101L, Duration.ofMinutes(30), 0, Duration.ofSeconds(10), 0,
                1_000_000, 0, 50, 10, Duration.ofMinutes(15), Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofSeconds(60), 10, Duration.ofSeconds(5), List.of());
    }

    public HubSpotSandboxProperties withCompanies(int count) {
        return new HubSpotSandboxProperties(count, seed, accessTokenTtl, rateLimit, rateWindow, searchRateLimit,
                dailyLimit, latencyMs, maxPortals, maxPortalsPerClient, portalIdleAfter, webhookBatchWindow,
                webhookRetryInitial, webhookRetryMax, webhookMaxAttempts, webhookTimeout, webhookAllowedHosts);
    }

    public HubSpotSandboxProperties withRateLimit(int limit, Duration window, int searchLimit, int daily) {
        return new HubSpotSandboxProperties(companies, seed, accessTokenTtl, limit, window, searchLimit, daily,
                latencyMs, maxPortals, maxPortalsPerClient, portalIdleAfter, webhookBatchWindow, webhookRetryInitial,
                webhookRetryMax, webhookMaxAttempts, webhookTimeout, webhookAllowedHosts);
    }

    public HubSpotSandboxProperties withLatencyMs(int latency) {
        return new HubSpotSandboxProperties(companies, seed, accessTokenTtl, rateLimit, rateWindow, searchRateLimit,
                dailyLimit, latency, maxPortals, maxPortalsPerClient, portalIdleAfter, webhookBatchWindow,
                webhookRetryInitial, webhookRetryMax, webhookMaxAttempts, webhookTimeout, webhookAllowedHosts);
    }

    public HubSpotSandboxProperties withPortalLimits(int portals, int perClient, Duration idleAfter) {
        return new HubSpotSandboxProperties(companies, seed, accessTokenTtl, rateLimit, rateWindow, searchRateLimit,
                dailyLimit, latencyMs, portals, perClient, idleAfter, webhookBatchWindow, webhookRetryInitial,
                webhookRetryMax, webhookMaxAttempts, webhookTimeout, webhookAllowedHosts);
    }

    public HubSpotSandboxProperties withWebhooks(Duration batchWindow, Duration retryInitial, Duration retryMax,
            int maxAttempts, List<String> allowedHosts) {
        return new HubSpotSandboxProperties(companies, seed, accessTokenTtl, rateLimit, rateWindow, searchRateLimit,
                dailyLimit, latencyMs, maxPortals, maxPortalsPerClient, portalIdleAfter, batchWindow, retryInitial,
                retryMax, maxAttempts, webhookTimeout, allowedHosts);
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
