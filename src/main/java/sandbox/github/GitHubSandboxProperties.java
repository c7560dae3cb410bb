package sandbox.github;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.sandbox.github.*}: the seeded repositories of each org and their size, the primary limit per token (GitHub's
 * 5,000 an hour), latency, the named orgs held at once, and how webhooks are delivered.
 */
@ConfigurationProperties(prefix = "hub.sandbox.github")
public record GitHubSandboxProperties(
        @DefaultValue("3") int repositories,
        @DefaultValue("20") int issuesPerRepository,
        @DefaultValue("2") int commentsPerIssue,
        @DefaultValue("20250101") long seed,
        @DefaultValue("8h") Duration accessTokenTtl,
        @DefaultValue("5000") int rateLimit,
        @DefaultValue("1h") Duration rateWindow,
        @DefaultValue("0") int latencyMs,
        @DefaultValue("50") int maxOrgs,
        @DefaultValue("10") int maxOrgsPerClient,
        @DefaultValue("15m") Duration orgIdleAfter,
        @DefaultValue("1s") Duration webhookRetryInitial,
        @DefaultValue("60s") Duration webhookRetryMax,
        @DefaultValue("5") int webhookMaxAttempts,
        @DefaultValue("10s") Duration webhookTimeout,
        @DefaultValue({}) List<String> webhookAllowedHosts) {

    static final int MAX_REPOSITORIES = 100;
    static final int MAX_ISSUES = 20_000;
    static final int MAX_COMMENTS = 50;

    @ConstructorBinding
    public GitHubSandboxProperties {
        repositories = Math.max(1, Math.min(MAX_REPOSITORIES, repositories));
        issuesPerRepository = Math.max(0, Math.min(MAX_ISSUES, issuesPerRepository));
        commentsPerIssue = Math.max(0, Math.min(MAX_COMMENTS, commentsPerIssue));
        accessTokenTtl = positiveOr(accessTokenTtl, Duration.ofHours(8));
        rateLimit = Math.max(0, rateLimit);
        rateWindow = positiveOr(rateWindow, Duration.ofHours(1));
        latencyMs = Math.max(0, latencyMs);
        maxOrgs = Math.max(1, maxOrgs);
        maxOrgsPerClient = Math.max(1, maxOrgsPerClient);
        orgIdleAfter = orgIdleAfter == null || orgIdleAfter.isNegative() ? Duration.ofMinutes(15) : orgIdleAfter;
        webhookRetryInitial = positiveOr(webhookRetryInitial, Duration.ofSeconds(1));
        webhookRetryMax = positiveOr(webhookRetryMax, Duration.ofSeconds(60));
        if (webhookRetryMax.compareTo(webhookRetryInitial) < 0) {
            webhookRetryMax = webhookRetryInitial;
        }
        webhookMaxAttempts = Math.max(1, webhookMaxAttempts);
        webhookTimeout = positiveOr(webhookTimeout, Duration.ofSeconds(10));
        webhookAllowedHosts = webhookAllowedHosts == null ? List.of()
                : webhookAllowedHosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
    }

    public static GitHubSandboxProperties defaults() {
        return new GitHubSandboxProperties(3, 20, 2, 20250101L, Duration.ofHours(8), 5000, Duration.ofHours(1), 0, 50, 10,
                Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(60), 5, Duration.ofSeconds(10), List.of());
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() || value.isZero() ? fallback : value;
    }
}
