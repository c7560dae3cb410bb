package processors.notifications;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.notifications.*}: grouping defaults of new channels, the pace per destination (Slack: one message a second
 * a channel; a Teams Workflows webhook), retries, the base URL of the links in messages, and how long a circuit stays
 * open before its group turns critical (and passes quiet hours).
 */
@ConfigurationProperties("hub.notifications")
public record NotificationSettings(Duration groupWait, Duration groupInterval, Duration repeatInterval, Duration slackMinInterval,
                                   Duration teamsMinInterval, int maxAttempts, Duration retryInitial, Duration retryMax, String slackApiUrl,
                                   String linkBaseUrl, int batchSize, Duration requestTimeout, Duration circuitCriticalAfter) {
}
