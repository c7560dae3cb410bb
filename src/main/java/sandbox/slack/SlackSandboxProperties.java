package sandbox.slack;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Slack sandbox ({@code hub.sandbox.slack.*}).
 *
 * @param channels seeded public channels per workspace (the bot is a member of each), one per company of the shared world
 * @param messagesPerChannel seeded top-level messages per channel
 * @param threadEvery every n-th seeded message starts a thread of two replies (0: no threads)
 * @param seed the seed of the shared population the companies and people come from
 * @param rateLimit calls per workspace per {@code rateWindow} to the Tier 3 methods ({@code conversations.*},
 *     {@code chat.*}); Slack's Tier 3 is 50+ per minute, the catalog's figure 60
 * @param usersRateLimit calls per workspace per {@code rateWindow} to {@code users.info} (Tier 4, 100+ per minute)
 * @param rateWindow the windows' length
 * @param latencyMs added to every API call
 * @param accessTokenTtl lifetime of OAuth access tokens with token rotation (Slack's: 12 hours)
 * @param maxWorkspaces named workspaces ({@code xoxb-sandbox-<name>}) held at once
 * @param maxWorkspacesPerClient named workspaces one client (remote address) may hold
 * @param workspaceIdleAfter a workspace unused this long may be evicted (never the default one)
 * @param webhookRetryInitial wait before the first retry of an event delivery; doubled per failure
 * @param webhookRetryMax longest wait between retries
 * @param webhookMaxAttempts attempts per event (Slack: the first and three retries)
 * @param webhookTimeout connect and answer timeout of one delivery (Slack: 3 s)
 * @param webhookAllowedHosts where events may go besides the hub's own origin
 */
@ConfigurationProperties(prefix = "hub.sandbox.slack")
public record SlackSandboxProperties(
        @DefaultValue("3") int channels,
        @DefaultValue("30") int messagesPerChannel,
        @DefaultValue("5") int threadEvery,
        @DefaultValue("20250101") long seed,
        @DefaultValue("60") int rateLimit,
        @DefaultValue("100") int usersRateLimit,
        @DefaultValue("60s") Duration rateWindow,
        @DefaultValue("0") int latencyMs,
        @DefaultValue("12h") Duration accessTokenTtl,
        @DefaultValue("50") int maxWorkspaces,
        @DefaultValue("10") int maxWorkspacesPerClient,
        @DefaultValue("15m") Duration workspaceIdleAfter,
        @DefaultValue("1s") Duration webhookRetryInitial,
        @DefaultValue("60s") Duration webhookRetryMax,
        @DefaultValue("4") int webhookMaxAttempts,
        @DefaultValue("3s") Duration webhookTimeout,
        @DefaultValue({}) List<String> webhookAllowedHosts) {

    /** Most channels and messages per channel a workspace may be seeded with. */
    static final int MAX_CHANNELS = 200;
    static final int MAX_MESSAGES = 20_000;

    @ConstructorBinding
    public SlackSandboxProperties {
        channels = Math.max(0, Math.min(MAX_CHANNELS, channels));
        messagesPerChannel = Math.max(0, Math.min(MAX_MESSAGES, messagesPerChannel));
        threadEvery = Math.max(0, threadEvery);
        rateLimit = Math.max(0, rateLimit);
        usersRateLimit = Math.max(0, usersRateLimit);
        rateWindow = positiveOr(rateWindow, Duration.ofMinutes(1));
        latencyMs = Math.max(0, latencyMs);
        accessTokenTtl = positiveOr(accessTokenTtl, Duration.ofHours(12));
        maxWorkspaces = Math.max(1, maxWorkspaces);
        maxWorkspacesPerClient = Math.max(1, maxWorkspacesPerClient);
        workspaceIdleAfter = workspaceIdleAfter == null || workspaceIdleAfter.isNegative() ? Duration.ofMinutes(15) : workspaceIdleAfter;
        webhookRetryInitial = positiveOr(webhookRetryInitial, Duration.ofSeconds(1));
        webhookRetryMax = positiveOr(webhookRetryMax, Duration.ofSeconds(60));
        webhookMaxAttempts = Math.max(1, webhookMaxAttempts);
        webhookTimeout = positiveOr(webhookTimeout, Duration.ofSeconds(3));
        webhookAllowedHosts = webhookAllowedHosts == null ? List.of()
                : webhookAllowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
    }

    /** The defaults, for code that builds the sandbox without Spring. */
    public static SlackSandboxProperties defaults() {
        return new SlackSandboxProperties(3, 30, 5, 20250101L, 60, 100, Duration.ofMinutes(1), 0, Duration.ofHours(12), 50, 10,
                Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(60), 4, Duration.ofSeconds(3), List.of());
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isZero() || value.isNegative() ? fallback : value;
    }
}
