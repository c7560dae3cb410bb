package sandbox.dynamics365;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Dynamics 365 (Dataverse Web API) sandbox ({@code hub.sandbox.dynamics365.*}).
 *
 * @param accounts seeded accounts per org, each with two contacts and one opportunity
 * @param latencyMs added to every Web API call, to behave like a service across the internet
 * @param rateLimit Web API requests one user (a token's object id) may make per {@code rateWindow} in one org, counted
 *     over a sliding window, past which Dataverse's service protection answers 429; 0 (the default) turns it off.
 *     Dataverse's own is 6,000 per 5 minutes
 * @param rateWindow the window of {@code rateLimit}
 * @param deltaTokenTtl how long a change-tracking delta token stays usable (Dataverse's ExpireChangeTrackingInDays,
 *     7 days by default); an older one gets Dataverse's expired-version-stamp error
 * @param maxOrgs named orgs held at once ({@code /sandbox/dynamics365/<org>/}); a new one evicts the org unused
 *     longest once it has been unused for {@code orgIdleAfter}, and is refused when none is
 * @param orgIdleAfter an org no call has used for this long may be evicted (the default org never is)
 */
@ConfigurationProperties(prefix = "hub.sandbox.dynamics365")
public record DynamicsSandboxProperties(
        @DefaultValue("1000") int accounts,
        @DefaultValue("0") int latencyMs,
        @DefaultValue("0") int rateLimit,
        @DefaultValue("300s") Duration rateWindow,
        @DefaultValue("7d") Duration deltaTokenTtl,
        @DefaultValue("50") int maxOrgs,
        @DefaultValue("15m") Duration orgIdleAfter) {

    @ConstructorBinding
    public DynamicsSandboxProperties {
        accounts = Math.max(0, accounts);
        latencyMs = Math.max(0, latencyMs);
        rateLimit = Math.max(0, rateLimit);
        rateWindow = positiveOr(rateWindow, Duration.ofMinutes(5));
        deltaTokenTtl = positiveOr(deltaTokenTtl, Duration.ofDays(7));
        maxOrgs = Math.max(1, maxOrgs);
        orgIdleAfter = orgIdleAfter == null || orgIdleAfter.isNegative() ? Duration.ofMinutes(15) : orgIdleAfter;
    }

    /** The defaults, for code that builds the sandbox without Spring. */
    public static DynamicsSandboxProperties defaults() {
        return new DynamicsSandboxProperties(1000, 0, 0, Duration.ofMinutes(5), Duration.ofDays(7), 50,
                Duration.ofMinutes(15));
    }

    public DynamicsSandboxProperties withAccounts(int count) {
        return new DynamicsSandboxProperties(count, latencyMs, rateLimit, rateWindow, deltaTokenTtl, maxOrgs, orgIdleAfter);
    }

    public DynamicsSandboxProperties withRateLimit(int limit, Duration window) {
        return new DynamicsSandboxProperties(accounts, latencyMs, limit, window, deltaTokenTtl, maxOrgs, orgIdleAfter);
    }

    public DynamicsSandboxProperties withDeltaTokenTtl(Duration ttl) {
        return new DynamicsSandboxProperties(accounts, latencyMs, rateLimit, rateWindow, ttl, maxOrgs, orgIdleAfter);
    }

    public DynamicsSandboxProperties withOrgLimits(int orgs, Duration idleAfter) {
        return new DynamicsSandboxProperties(accounts, latencyMs, rateLimit, rateWindow, deltaTokenTtl, orgs, idleAfter);
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
