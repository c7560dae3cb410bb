package sandbox.salesforce;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Salesforce sandbox ({@code hub.sandbox.salesforce.*}).
 *
 * @param accounts seeded accounts per org (each with two contacts and one opportunity)
 * @param pageSize query page size, clamped to Salesforce's 200..2000
 * @param tokenTtl lifetime of access tokens (the org's session timeout)
 * @param apiDailyLimit the daily API request limit reported in Sforce-Limit-Info and /limits
 * @param maxOrgs named orgs ({@code admin+<name>@sandbox.example}) held at once; more logins are refused
 * @param latencyMs added to every authenticated REST call, to behave like a provider across the internet
 * @param outboundBatchWindow how long an outbound message collects notifications before sending them in one
 *     SOAP message (at most 100 per message)
 * @param outboundRetryInitial wait before the first retry of an outbound message that was not acknowledged;
 *     doubled on every further failure
 * @param outboundRetryMax longest wait between retries (Salesforce's is two hours; the sandbox is quicker)
 * @param outboundGiveUpAfter age at which an undelivered notification is dropped (Salesforce: 24 hours)
 * @param outboundTimeout connect and response timeout of one delivery attempt (Salesforce: 60 seconds)
 * @param outboundAllowedHosts hosts an outbound message may be sent to: the sandbox's logins are public, so
 *     it must not become a way to make this machine call anywhere (default: this machine only)
 * @param accessTokenTtl short-lived access tokens: when set, replaces {@code tokenTtl} and token responses add
 *     {@code expires_in} (real Salesforce sends none); null keeps {@code tokenTtl} and the real wire format
 * @param rotateRefreshTokens every refresh_token grant returns a new refresh token and invalidates the one used
 * @param rateLimit REST API calls ({@code /services/data/**}) each org may make per {@code rateWindow}, counted
 *     over a sliding window; 0 (the default) turns the rate limit off
 * @param rateWindow the rate limit's window
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
        @DefaultValue({"localhost", "127.0.0.1", "[::1]"}) java.util.List<String> outboundAllowedHosts,
        Duration accessTokenTtl,
        @DefaultValue("false") boolean rotateRefreshTokens,
        @DefaultValue("0") int rateLimit,
        @DefaultValue("60s") Duration rateWindow) {

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
        outboundAllowedHosts = outboundAllowedHosts == null ? java.util.List.of("localhost", "127.0.0.1", "[::1]")
                : java.util.List.copyOf(outboundAllowedHosts);
        accessTokenTtl = positiveOr(accessTokenTtl, null);
        rateLimit = Math.max(0, rateLimit);
        rateWindow = positiveOr(rateWindow, Duration.ofSeconds(60));
    }

    /** The settings without short-lived access tokens or refresh token rotation. */
    public SalesforceSandboxProperties(int accounts, int pageSize, Duration tokenTtl, int apiDailyLimit, int maxOrgs,
            int latencyMs, Duration outboundBatchWindow, Duration outboundRetryInitial, Duration outboundRetryMax,
            Duration outboundGiveUpAfter, Duration outboundTimeout, java.util.List<String> outboundAllowedHosts) {
        this(accounts, pageSize, tokenTtl, apiDailyLimit, maxOrgs, latencyMs, outboundBatchWindow, outboundRetryInitial,
                outboundRetryMax, outboundGiveUpAfter, outboundTimeout, outboundAllowedHosts, null, false, 0,
                Duration.ofSeconds(60));
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
                outboundAllowedHosts, accessTokenTtl, rotateRefreshTokens, rateLimit, rateWindow);
    }

    public SalesforceSandboxProperties withPageSize(int size) {
        return new SalesforceSandboxProperties(accounts, size, tokenTtl, apiDailyLimit, maxOrgs, latencyMs,
                outboundBatchWindow, outboundRetryInitial, outboundRetryMax, outboundGiveUpAfter, outboundTimeout,
                outboundAllowedHosts, accessTokenTtl, rotateRefreshTokens, rateLimit, rateWindow);
    }

    public SalesforceSandboxProperties withAccessTokenTtl(Duration ttl) {
        return new SalesforceSandboxProperties(accounts, pageSize, tokenTtl, apiDailyLimit, maxOrgs, latencyMs,
                outboundBatchWindow, outboundRetryInitial, outboundRetryMax, outboundGiveUpAfter, outboundTimeout,
                outboundAllowedHosts, ttl, rotateRefreshTokens, rateLimit, rateWindow);
    }

    public SalesforceSandboxProperties withRotateRefreshTokens(boolean rotate) {
        return new SalesforceSandboxProperties(accounts, pageSize, tokenTtl, apiDailyLimit, maxOrgs, latencyMs,
                outboundBatchWindow, outboundRetryInitial, outboundRetryMax, outboundGiveUpAfter, outboundTimeout,
                outboundAllowedHosts, accessTokenTtl, rotate, rateLimit, rateWindow);
    }

    public SalesforceSandboxProperties withRateLimit(int limit, Duration window) {
        return new SalesforceSandboxProperties(accounts, pageSize, tokenTtl, apiDailyLimit, maxOrgs, latencyMs,
                outboundBatchWindow, outboundRetryInitial, outboundRetryMax, outboundGiveUpAfter, outboundTimeout,
                outboundAllowedHosts, accessTokenTtl, rotateRefreshTokens, limit, window);
    }
}
