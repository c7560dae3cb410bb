package sandbox.graph;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Microsoft Graph sandbox ({@code hub.sandbox.graph.*}): Teams channel messages, OneDrive drives and
 * change-notification subscriptions.
 *
 * @param enabled whether the sandbox is served at all (with {@code hub.sandbox.enabled})
 * @param teams teams seeded at start, each with {@code channelsPerTeam} channels
 * @param channelsPerTeam channels per seeded team ("General" first)
 * @param messagesPerChannel root messages seeded per channel (every second one with a reply), about the shared world's companies
 * @param drives drives seeded at start
 * @param filesPerDrive files seeded per drive
 * @param latencyMs added to every API call
 * @param rateLimit API calls one token may make per {@code rateWindow}; past it 429 with {@code Retry-After}; 0 (the default): off
 * @param rateWindow the window of {@code rateLimit}
 * @param teamsSubscriptionMaxLifetime longest life of a subscription on channel messages (Graph: 4,320 minutes)
 * @param driveSubscriptionMaxLifetime longest life of a subscription on a drive (Graph: 42,300 minutes)
 * @param reauthorizeBefore a subscription this close to its expiry gets {@code reauthorizationRequired} at its
 *     lifecycle URL, once per expiry
 * @param lifecycleSweep how often subscriptions are looked at for expiry and lifecycle events
 * @param validationTimeout how long the validation handshake waits for the endpoint (Graph: 10 s)
 * @param webhookTimeout how long a notification delivery waits for the receiver's answer
 * @param webhookRetryInitial wait before a failed delivery is tried again, doubled each time up to {@code webhookRetryMax}
 * @param webhookRetryMax longest wait between tries
 * @param webhookGiveUpAfter age at which an undelivered notification is dropped (Graph: 4 hours)
 * @param webhookAllowedHosts hosts (host:port) notifications may go to besides the hub's own TLS port
 */
@ConfigurationProperties(prefix = "hub.sandbox.graph")
public record GraphSandboxProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2") int teams,
        @DefaultValue("2") int channelsPerTeam,
        @DefaultValue("12") int messagesPerChannel,
        @DefaultValue("1") int drives,
        @DefaultValue("12") int filesPerDrive,
        @DefaultValue("0") int latencyMs,
        @DefaultValue("0") int rateLimit,
        @DefaultValue("10s") Duration rateWindow,
        @DefaultValue("4320m") Duration teamsSubscriptionMaxLifetime,
        @DefaultValue("42300m") Duration driveSubscriptionMaxLifetime,
        @DefaultValue("15m") Duration reauthorizeBefore,
        @DefaultValue("1s") Duration lifecycleSweep,
        @DefaultValue("10s") Duration validationTimeout,
        @DefaultValue("3s") Duration webhookTimeout,
        @DefaultValue("1s") Duration webhookRetryInitial,
        @DefaultValue("60s") Duration webhookRetryMax,
        @DefaultValue("4h") Duration webhookGiveUpAfter,
        @DefaultValue("") List<String> webhookAllowedHosts) {

    @ConstructorBinding
    public GraphSandboxProperties {
        teams = Math.max(0, teams);
        channelsPerTeam = Math.max(1, channelsPerTeam);
        messagesPerChannel = Math.max(0, messagesPerChannel);
        drives = Math.max(0, drives);
        filesPerDrive = Math.max(0, filesPerDrive);
        latencyMs = Math.max(0, latencyMs);
        rateLimit = Math.max(0, rateLimit);
        rateWindow = positiveOr(rateWindow, Duration.ofSeconds(10));
        teamsSubscriptionMaxLifetime = positiveOr(teamsSubscriptionMaxLifetime, Duration.ofMinutes(4320));
        driveSubscriptionMaxLifetime = positiveOr(driveSubscriptionMaxLifetime, Duration.ofMinutes(42300));
        reauthorizeBefore = reauthorizeBefore == null || reauthorizeBefore.isNegative() ? Duration.ofMinutes(15) : reauthorizeBefore;
        lifecycleSweep = positiveOr(lifecycleSweep, Duration.ofSeconds(1));
        validationTimeout = positiveOr(validationTimeout, Duration.ofSeconds(10));
        webhookTimeout = positiveOr(webhookTimeout, Duration.ofSeconds(3));
        webhookRetryInitial = positiveOr(webhookRetryInitial, Duration.ofSeconds(1));
        webhookRetryMax = positiveOr(webhookRetryMax, Duration.ofSeconds(60));
        webhookGiveUpAfter = positiveOr(webhookGiveUpAfter, Duration.ofHours(4));
        webhookAllowedHosts = webhookAllowedHosts == null ? List.of()
                : webhookAllowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).toList();
    }

    /** The defaults, for code that builds the sandbox without Spring. */
    public static GraphSandboxProperties defaults() {
        return new GraphSandboxProperties(true, 2, 2, 12, 1, 12, 0, 0, Duration.ofSeconds(10), Duration.ofMinutes(4320),
                Duration.ofMinutes(42300), Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofHours(4), List.of());
    }

    /** These settings with shorter subscription lifetimes and reauthorization lead, and other allowed hosts (tests). */
    public GraphSandboxProperties withSubscriptions(Duration teamsMax, Duration driveMax, Duration reauthorize, List<String> allowedHosts) {
        return new GraphSandboxProperties(enabled, teams, channelsPerTeam, messagesPerChannel, drives, filesPerDrive, latencyMs,
                rateLimit, rateWindow, teamsMax, driveMax, reauthorize, lifecycleSweep, validationTimeout, webhookTimeout,
                webhookRetryInitial, webhookRetryMax, webhookGiveUpAfter, allowedHosts);
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
