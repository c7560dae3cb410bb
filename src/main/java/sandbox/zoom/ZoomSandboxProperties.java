package sandbox.zoom;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Zoom sandbox ({@code hub.sandbox.zoom.*}).
 *
 * @param meetings cloud recordings seeded in each account (meetings with the companies and people of the shared population)
 * @param days the seeded meetings are spread over this many days before the account is made
 * @param seed the seed of the shared population
 * @param accessTokenTtl how long an access token works (Zoom: one hour; answered as {@code expires_in})
 * @param lightRateLimit Light API calls per account per {@code rateWindow} (Zoom Pro: 30 a second; get and delete a
 *     meeting's recordings); 0 turns it off
 * @param mediumRateLimit Medium API calls per account per {@code rateWindow} (Zoom Pro: 20 a second; list recordings, list
 *     users); 0 turns it off
 * @param rateWindow the windows' length (Zoom counts per second)
 * @param latencyMs added to every API call
 * @param maxAccounts named accounts ({@code sandbox-account-<name>}) held at once
 * @param maxAccountsPerClient named accounts one client (remote address) may hold
 * @param accountIdleAfter a named account unused this long may be evicted
 * @param webhookRetryInitial wait before the first retry of an event delivery that failed, doubled on each failure
 * @param webhookRetryMax longest wait between retries
 * @param webhookMaxAttempts attempts per event (Zoom: the first and three retries)
 * @param webhookTimeout connect and response timeout of one delivery (Zoom wants an answer within 3 s)
 * @param revalidateEvery how often an endpoint gets the {@code endpoint.url_validation} challenge again (Zoom: 72 h);
 *     a subscription may set its own (setup), for tests
 * @param webhookAllowedHosts where webhooks may go besides the hub's own origin
 */
@ConfigurationProperties(prefix = "hub.sandbox.zoom")
public record ZoomSandboxProperties(
        @DefaultValue("40") int meetings,
        @DefaultValue("60") int days,
        @DefaultValue("20250101") long seed,
        @DefaultValue("1h") Duration accessTokenTtl,
        @DefaultValue("30") int lightRateLimit,
        @DefaultValue("20") int mediumRateLimit,
        @DefaultValue("1s") Duration rateWindow,
        @DefaultValue("0") int latencyMs,
        @DefaultValue("200") int maxAccounts,
        @DefaultValue("200") int maxAccountsPerClient,
        @DefaultValue("15m") Duration accountIdleAfter,
        @DefaultValue("1s") Duration webhookRetryInitial,
        @DefaultValue("60s") Duration webhookRetryMax,
        @DefaultValue("4") int webhookMaxAttempts,
        @DefaultValue("3s") Duration webhookTimeout,
        @DefaultValue("72h") Duration revalidateEvery,
        @DefaultValue({}) List<String> webhookAllowedHosts) {

    /** Most recordings an account may be seeded with. */
    static final int MAX_MEETINGS = 20_000;

    @ConstructorBinding
    public ZoomSandboxProperties {
        meetings = Math.max(0, Math.min(MAX_MEETINGS, meetings));
        days = Math.max(1, days);
        accessTokenTtl = positiveOr(accessTokenTtl, Duration.ofHours(1));
        lightRateLimit = Math.max(0, lightRateLimit);
        mediumRateLimit = Math.max(0, mediumRateLimit);
        rateWindow = positiveOr(rateWindow, Duration.ofSeconds(1));
        latencyMs = Math.max(0, latencyMs);
        maxAccounts = Math.max(1, maxAccounts);
        maxAccountsPerClient = Math.max(1, maxAccountsPerClient);
        accountIdleAfter = accountIdleAfter == null || accountIdleAfter.isNegative() ? Duration.ofMinutes(15) : accountIdleAfter;
        webhookRetryInitial = positiveOr(webhookRetryInitial, Duration.ofSeconds(1));
        webhookRetryMax = positiveOr(webhookRetryMax, Duration.ofSeconds(60));
        webhookMaxAttempts = Math.max(1, webhookMaxAttempts);
        webhookTimeout = positiveOr(webhookTimeout, Duration.ofSeconds(3));
        revalidateEvery = positiveOr(revalidateEvery, Duration.ofHours(72));
        webhookAllowedHosts = webhookAllowedHosts == null ? List.of()
                : webhookAllowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
    }

    /** The defaults, for code that builds the sandbox without Spring. */
    public static ZoomSandboxProperties defaults() {
        return new ZoomSandboxProperties(40, 60, 20250101L, Duration.ofHours(1), 30, 20, Duration.ofSeconds(1), 0, 200, 200,
                Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(60), 4, Duration.ofSeconds(3), Duration.ofHours(72),
                List.of());
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
