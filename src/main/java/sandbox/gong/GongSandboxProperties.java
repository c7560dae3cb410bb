package sandbox.gong;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Gong sandbox ({@code hub.sandbox.gong.*}).
 *
 * @param calls calls seeded in each company (a workspace of the sandbox), one every few hours back from now
 * @param accounts companies of the shared population the calls are with (the provider's k-th companies)
 * @param seed the seed of the shared population
 * @param pageSize calls per page of {@code /v2/calls}, {@code /v2/calls/extensive} and {@code /v2/calls/transcript}
 *     (Gong: 100)
 * @param accessTokenTtl how long an OAuth access token works (the wire reference reports 86400 s, unverified)
 * @param rateLimit API calls per company per {@code rateWindow} (Gong: 3 per second); 0 turns it off
 * @param rateWindow the short limit's sliding window
 * @param dailyLimit API calls per company per {@code dailyWindow} (Gong: 10,000 a day); 0 turns it off
 * @param dailyWindow the daily limit's sliding window (Gong says "per day"; the sandbox counts a rolling day, which tests
 *     may shorten through setup)
 * @param latencyMs added to every API call
 * @param maxCompanies named companies ({@code sandbox-key-<name>}) held at once
 * @param maxCompaniesPerClient named companies one client (remote address) may hold
 * @param companyIdleAfter a named company unused this long may be evicted
 * @param webhookMaxAttempts attempts per automation-rule delivery
 * @param webhookAllowedHosts where automation-rule webhooks may go besides the hub's own origin
 */
@ConfigurationProperties(prefix = "hub.sandbox.gong")
public record GongSandboxProperties(
        @DefaultValue("120") int calls,
        @DefaultValue("25") int accounts,
        @DefaultValue("20250101") long seed,
        @DefaultValue("100") int pageSize,
        @DefaultValue("1d") Duration accessTokenTtl,
        @DefaultValue("3") int rateLimit,
        @DefaultValue("1s") Duration rateWindow,
        @DefaultValue("10000") int dailyLimit,
        @DefaultValue("1d") Duration dailyWindow,
        @DefaultValue("0") int latencyMs,
        @DefaultValue("200") int maxCompanies,
        @DefaultValue("200") int maxCompaniesPerClient,
        @DefaultValue("15m") Duration companyIdleAfter,
        @DefaultValue("5") int webhookMaxAttempts,
        @DefaultValue({}) List<String> webhookAllowedHosts) {

    /** Most calls a company may be seeded with. */
    static final int MAX_CALLS = 50_000;

    @ConstructorBinding
    public GongSandboxProperties {
        calls = Math.max(0, Math.min(MAX_CALLS, calls));
        accounts = Math.max(1, Math.min(10_000, accounts));
        pageSize = Math.max(1, Math.min(1000, pageSize));
        accessTokenTtl = positiveOr(accessTokenTtl, Duration.ofDays(1));
        rateLimit = Math.max(0, rateLimit);
        rateWindow = positiveOr(rateWindow, Duration.ofSeconds(1));
        dailyLimit = Math.max(0, dailyLimit);
        dailyWindow = positiveOr(dailyWindow, Duration.ofDays(1));
        latencyMs = Math.max(0, latencyMs);
        maxCompanies = Math.max(1, maxCompanies);
        maxCompaniesPerClient = Math.max(1, maxCompaniesPerClient);
        companyIdleAfter = companyIdleAfter == null || companyIdleAfter.isNegative() ? Duration.ofMinutes(15) : companyIdleAfter;
        webhookMaxAttempts = Math.max(1, webhookMaxAttempts);
        webhookAllowedHosts = webhookAllowedHosts == null ? List.of()
                : webhookAllowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
    }

    /** The defaults, for code that builds the sandbox without Spring. */
    public static GongSandboxProperties defaults() {
        return new GongSandboxProperties(120, 25, 20250101L, 100, Duration.ofDays(1), 3, Duration.ofSeconds(1), 10_000,
                Duration.ofDays(1), 0, 200, 200, Duration.ofMinutes(15), 5, List.of());
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
