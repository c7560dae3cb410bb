package sandbox.salesforce;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Salesforce sandbox ({@code hub.sandbox.salesforce.*}).
 *
 * @param accounts seeded accounts per org (each with two contacts, one opportunity and one task; every second one also an event)
 * @param pageSize query page size, clamped to Salesforce's 200..2000
 * @param tokenTtl lifetime of access tokens (the org's session timeout)
 * @param apiDailyLimit the daily API request limit reported in Sforce-Limit-Info and /limits
 * @param maxOrgs named orgs ({@code admin+<name>@sandbox.example}) held at once; a login that needs a new org
 *     evicts the org idle longest (at least {@code orgIdleAfter}), and is refused when none is idle
 * @param latencyMs added to every authenticated REST call, to behave like a provider across the internet
 * @param outboundBatchWindow how long an outbound message collects notifications before sending them in one
 *     SOAP message (at most 100 per message)
 * @param outboundRetryInitial wait before the first retry of an outbound message that was not acknowledged;
 *     doubled on every further failure
 * @param outboundRetryMax longest wait between retries (Salesforce's is two hours; the sandbox is quicker)
 * @param outboundGiveUpAfter age at which an undelivered notification is dropped (Salesforce: 24 hours)
 * @param outboundTimeout connect and response timeout of one delivery attempt (Salesforce: 60 seconds)
 * @param outboundAllowedHosts where an outbound message may be sent, as {@code host} (any port) or
 *     {@code host:port} entries: the sandbox's logins are public, so it must not become a way to make this
 *     machine call anywhere; empty (the default) allows the hub's own origin only (a loopback host and the
 *     port the sandbox is served on), where its webhook receiver listens
 * @param accessTokenTtl short-lived access tokens: when set, replaces {@code tokenTtl} and token responses add
 *     {@code expires_in} (real Salesforce sends none); null keeps {@code tokenTtl} and the real wire format
 * @param rotateRefreshTokens every refresh_token grant returns a new refresh token and invalidates the one used
 * @param rateLimit REST API calls ({@code /services/data/**}) each org may make per {@code rateWindow}, counted
 *     over a sliding window; 0 (the default) turns the rate limit off
 * @param rateWindow the rate limit's window
 * @param maxOrgsPerClient named orgs one client (remote address) may hold: past it, its own org idle longest is
 *     evicted, and when none is idle the login is refused, so one client cannot fill {@code maxOrgs}
 * @param orgIdleAfter an org no call has used for this long may be evicted to make room for a new one (the
 *     default org never is)
 */
@ConfigurationProperties(prefix = "hub.sandbox.salesforce")
public record SalesforceSandboxProperties(
        @DefaultValue("1000") int accounts,
        @DefaultValue("2000") int pageSize,
        @DefaultValue("2h") Duration tokenTtl,
        @DefaultValue("15000") int apiDailyLimit,
        @DefaultValue("50") int maxOrgs,
        @DefaultValue("0") int latencyMs,
        @DefaultValue("200ms") Duration outboundBatchWindow,
        @DefaultValue("1s") Duration outboundRetryInitial,
        @DefaultValue("60s") Duration outboundRetryMax,
        @DefaultValue("24h") Duration outboundGiveUpAfter,
        @DefaultValue("60s") Duration outboundTimeout,
        @DefaultValue({}) java.util.List<String> outboundAllowedHosts,
        Duration accessTokenTtl,
        @DefaultValue("false") boolean rotateRefreshTokens,
        @DefaultValue("0") int rateLimit,
        @DefaultValue("60s") Duration rateWindow,
        @DefaultValue("10") int maxOrgsPerClient,
        @DefaultValue("15m") Duration orgIdleAfter) {

    @ConstructorBinding
    public SalesforceSandboxProperties {
        accounts = Math.max(0, accounts);
        pageSize = Math.max(200, Math.min(2000, pageSize));
        tokenTtl = positiveOr(tokenTtl, Duration.ofHours(2));
        apiDailyLimit = Math.max(1, apiDailyLimit);
        maxOrgs = Math.max(1, maxOrgs);
        latencyMs = Math.max(0, latencyMs);
        outboundBatchWindow = outboundBatchWindow == null || outboundBatchWindow.isNegative()
                ? Duration.ofMillis(200) : outboundBatchWindow;
        outboundRetryInitial = positiveOr(outboundRetryInitial, Duration.ofSeconds(1));
        outboundRetryMax = positiveOr(outboundRetryMax, Duration.ofSeconds(60));
        if (outboundRetryMax.compareTo(outboundRetryInitial) < 0) {
            outboundRetryMax = outboundRetryInitial;
        }
        outboundGiveUpAfter = positiveOr(outboundGiveUpAfter, Duration.ofHours(24));
        outboundTimeout = positiveOr(outboundTimeout, Duration.ofSeconds(60));
        outboundAllowedHosts = outboundAllowedHosts == null ? java.util.List.of()
                : outboundAllowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
        accessTokenTtl = positiveOr(accessTokenTtl, null);
        rateLimit = Math.max(0, rateLimit);
        rateWindow = positiveOr(rateWindow, Duration.ofSeconds(60));
        maxOrgsPerClient = Math.max(1, maxOrgsPerClient);
        orgIdleAfter = orgIdleAfter == null || orgIdleAfter.isNegative() ? Duration.ofMinutes(15) : orgIdleAfter;
    }

    /** The settings without short-lived access tokens or refresh token rotation. */
    public SalesforceSandboxProperties(int accounts, int pageSize, Duration tokenTtl, int apiDailyLimit, int maxOrgs,
            int latencyMs, Duration outboundBatchWindow, Duration outboundRetryInitial, Duration outboundRetryMax,
            Duration outboundGiveUpAfter, Duration outboundTimeout, java.util.List<String> outboundAllowedHosts) {
        this(accounts, pageSize, tokenTtl, apiDailyLimit, maxOrgs, latencyMs, outboundBatchWindow, outboundRetryInitial,
                outboundRetryMax, outboundGiveUpAfter, outboundTimeout, outboundAllowedHosts, null, false, 0,
                Duration.ofSeconds(60), 10, Duration.ofMinutes(15));
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }

    /** The defaults, for code that builds the sandbox without Spring. */
    public static SalesforceSandboxProperties defaults() {
        return new SalesforceSandboxProperties(1000, 2000, Duration.ofHours(2), 15000, 50, 0, Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofHours(24), Duration.ofSeconds(60), null);
    }

    public SalesforceSandboxProperties withAccounts(int count) {
        return new SalesforceSandboxProperties(count, pageSize, tokenTtl, apiDailyLimit, maxOrgs, latencyMs,
                outboundBatchWindow, outboundRetryInitial, outboundRetryMax, outboundGiveUpAfter, outboundTimeout,
                outboundAllowedHosts, accessTokenTtl, rotateRefreshTokens, rateLimit, rateWindow, maxOrgsPerClient, orgIdleAfter);
    }

    public SalesforceSandboxProperties withPageSize(int size) {
        return new SalesforceSandboxProperties(accounts, size, tokenTtl, apiDailyLimit, maxOrgs, latencyMs,
                outboundBatchWindow, outboundRetryInitial, outboundRetryMax, outboundGiveUpAfter, outboundTimeout,
                outboundAllowedHosts, accessTokenTtl, rotateRefreshTokens, rateLimit, rateWindow, maxOrgsPerClient, orgIdleAfter);
    }

    public SalesforceSandboxProperties withAccessTokenTtl(Duration ttl) {
        return new SalesforceSandboxProperties(accounts, pageSize, tokenTtl, apiDailyLimit, maxOrgs, latencyMs,
                outboundBatchWindow, outboundRetryInitial, outboundRetryMax, outboundGiveUpAfter, outboundTimeout,
                outboundAllowedHosts, ttl, rotateRefreshTokens, rateLimit, rateWindow, maxOrgsPerClient, orgIdleAfter);
    }

    public SalesforceSandboxProperties withRotateRefreshTokens(boolean rotate) {
        return new SalesforceSandboxProperties(accounts, pageSize, tokenTtl, apiDailyLimit, maxOrgs, latencyMs,
                outboundBatchWindow, outboundRetryInitial, outboundRetryMax, outboundGiveUpAfter, outboundTimeout,
                outboundAllowedHosts, accessTokenTtl, rotate, rateLimit, rateWindow, maxOrgsPerClient, orgIdleAfter);
    }

    public SalesforceSandboxProperties withRateLimit(int limit, Duration window) {
        return new SalesforceSandboxProperties(accounts, pageSize, tokenTtl, apiDailyLimit, maxOrgs, latencyMs,
                outboundBatchWindow, outboundRetryInitial, outboundRetryMax, outboundGiveUpAfter, outboundTimeout,
                outboundAllowedHosts, accessTokenTtl, rotateRefreshTokens, limit, window, maxOrgsPerClient, orgIdleAfter);
    }

    public SalesforceSandboxProperties withOrgLimits(int orgs, int perClient, Duration idleAfter) {
        return new SalesforceSandboxProperties(accounts, pageSize, tokenTtl, apiDailyLimit, orgs, latencyMs,
                outboundBatchWindow, outboundRetryInitial, outboundRetryMax, outboundGiveUpAfter, outboundTimeout,
                outboundAllowedHosts, accessTokenTtl, rotateRefreshTokens, rateLimit, rateWindow, perClient, idleAfter);
    }
}
