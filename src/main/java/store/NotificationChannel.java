package store;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One destination of operator notifications: a tenant's ({@code tenantId} null: hub-wide, the administrator's), of a
 * {@link Kind}, with its rule (event type patterns, minimum severity, integrations: empty for all), grouping periods
 * (seconds) and quiet hours. Its secret is in the vault under {@code secretName}; {@code health} is healthy or unhealthy.
 */
public record NotificationChannel(String id, String tenantId, String name, Kind kind, String slackChannel, String secretName,
                                  List<String> eventTypes, String minSeverity, List<String> integrations, int groupWaitSeconds,
                                  int groupIntervalSeconds, int repeatIntervalSeconds, String quietStart, String quietEnd, String timeZone,
                                  boolean enabled, String health, String healthReason, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";

    /** How the hub reaches the destination. */
    public enum Kind {
        /** chat.postMessage with a bot token to a channel. */
        SLACK_BOT("slack_bot"),
        /** A Slack incoming-webhook URL. */
        SLACK_WEBHOOK("slack_webhook"),
        /** A Microsoft Teams Workflows webhook URL taking an Adaptive Card. */
        TEAMS_WORKFLOW("teams_workflow");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        public boolean slack() {
            return this != TEAMS_WORKFLOW;
        }

        public static Kind of(String value) {
            for (Kind k : values()) {
                if (k.value.equals(value)) {
                    return k;
                }
            }
            return null;
        }
    }

    public boolean healthy() {
        return HEALTHY.equals(health);
    }
}
