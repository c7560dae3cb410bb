package sandbox.notion;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Notion sandbox ({@code hub.sandbox.notion.*}).
 *
 * @param companies pages seeded in each workspace's Companies database (the provider's k-th companies of the shared
 *     population)
 * @param notes pages seeded in each workspace's Notes database (meeting notes about those companies and their people,
 *     with a few blocks of text each)
 * @param seed the seed of the shared population
 * @param accessTokenTtl how long an OAuth access token works (Notion names no expiry; the sandbox answers 401
 *     {@code unauthorized} after this, and the client refreshes with its rotating refresh token)
 * @param rateLimit API calls per workspace per {@code rateWindow} (Notion: an average of 3 per second); 0 turns it off
 * @param rateWindow the limit's sliding window
 * @param latencyMs added to every API call
 * @param maxWorkspaces named workspaces ({@code secret_sandbox-<name>}) held at once
 * @param maxWorkspacesPerClient named workspaces one client (remote address) may hold
 * @param workspaceIdleAfter a named workspace unused this long may be evicted
 * @param webhookRetryInitial wait before the first retry of an event delivery that failed, doubled on each failure
 * @param webhookRetryMax longest wait between retries
 * @param webhookMaxAttempts attempts per event (Notion: 8)
 * @param webhookTimeout connect and response timeout of one delivery
 * @param webhookAllowedHosts where webhooks may go besides the hub's own origin
 */
@ConfigurationProperties(prefix = "hub.sandbox.notion")
public record NotionSandboxProperties(
        @DefaultValue("25") int companies,
        @DefaultValue("40") int notes,
        @DefaultValue("20250101") long seed,
        @DefaultValue("1h") Duration accessTokenTtl,
        @DefaultValue("180") int rateLimit,
        @DefaultValue("60s") Duration rateWindow,
        @DefaultValue("0") int latencyMs,
        @DefaultValue("200") int maxWorkspaces,
        @DefaultValue("200") int maxWorkspacesPerClient,
        @DefaultValue("15m") Duration workspaceIdleAfter,
        @DefaultValue("1s") Duration webhookRetryInitial,
        @DefaultValue("60s") Duration webhookRetryMax,
        @DefaultValue("8") int webhookMaxAttempts,
        @DefaultValue("5s") Duration webhookTimeout,
        @DefaultValue({}) List<String> webhookAllowedHosts) {

    /** Most pages a database may be seeded with. */
    static final int MAX_PAGES = 20_000;

    @ConstructorBinding
    public NotionSandboxProperties {
        companies = Math.max(0, Math.min(MAX_PAGES, companies));
        notes = Math.max(0, Math.min(MAX_PAGES, notes));
        accessTokenTtl = positiveOr(accessTokenTtl, Duration.ofHours(1));
        rateLimit = Math.max(0, rateLimit);
        rateWindow = positiveOr(rateWindow, Duration.ofSeconds(60));
        latencyMs = Math.max(0, latencyMs);
        maxWorkspaces = Math.max(1, maxWorkspaces);
        maxWorkspacesPerClient = Math.max(1, maxWorkspacesPerClient);
        workspaceIdleAfter = workspaceIdleAfter == null || workspaceIdleAfter.isNegative() ? Duration.ofMinutes(15) : workspaceIdleAfter;
        webhookRetryInitial = positiveOr(webhookRetryInitial, Duration.ofSeconds(1));
        webhookRetryMax = positiveOr(webhookRetryMax, Duration.ofSeconds(60));
        webhookMaxAttempts = Math.max(1, webhookMaxAttempts);
        webhookTimeout = positiveOr(webhookTimeout, Duration.ofSeconds(5));
        webhookAllowedHosts = webhookAllowedHosts == null ? List.of()
                : webhookAllowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
    }

    /** The defaults, for code that builds the sandbox without Spring. */
    public static NotionSandboxProperties defaults() {
        return new NotionSandboxProperties(25, 40, 20250101L, Duration.ofHours(1), 180, Duration.ofSeconds(60), 0, 200, 200,
                Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(60), 8, Duration.ofSeconds(5), List.of());
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
