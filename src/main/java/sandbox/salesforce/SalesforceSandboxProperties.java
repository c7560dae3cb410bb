package sandbox.salesforce;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
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
 */
@ConfigurationProperties(prefix = "hub.sandbox.salesforce")
public record SalesforceSandboxProperties(
        @DefaultValue("1000") int accounts,
        @DefaultValue("2000") int pageSize,
        @DefaultValue("2h") Duration tokenTtl,
        @DefaultValue("15000") int apiDailyLimit,
        @DefaultValue("50") int maxOrgs,
        @DefaultValue("0") int latencyMs) {

    public SalesforceSandboxProperties {
        accounts = Math.max(0, accounts);
        pageSize = Math.max(200, Math.min(2000, pageSize));
        tokenTtl = tokenTtl == null || tokenTtl.isNegative() || tokenTtl.isZero() ? Duration.ofHours(2) : tokenTtl;
        apiDailyLimit = Math.max(1, apiDailyLimit);
        maxOrgs = Math.max(1, maxOrgs);
        latencyMs = Math.max(0, latencyMs);
    }

    /** The defaults, for code that builds the sandbox without Spring. */
    public static SalesforceSandboxProperties defaults() {
        return new SalesforceSandboxProperties(1000, 2000, Duration.ofHours(2), 15000, 50, 0);
    }

    public SalesforceSandboxProperties withAccounts(int count) {
        return new SalesforceSandboxProperties(count, pageSize, tokenTtl, apiDailyLimit, maxOrgs, latencyMs);
    }

    public SalesforceSandboxProperties withPageSize(int size) {
        return new SalesforceSandboxProperties(accounts, size, tokenTtl, apiDailyLimit, maxOrgs, latencyMs);
    }
}
