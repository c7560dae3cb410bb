package processors.notifications;

import java.util.List;

/**
 * A channel as the API takes it (POST: every required field; PATCH: the fields to change). {@code type}: slack_bot
 * ({@code botToken}, {@code slackChannel}, optional {@code apiUrl}), slack_webhook or teams_workflow ({@code webhookUrl}).
 * Periods in seconds.
 */
public record ChannelRequest(String name, String type, String slackChannel, String botToken, String apiUrl, String webhookUrl,
                             List<String> eventTypes, String minSeverity, List<String> integrations, Integer groupWaitSeconds,
                             Integer groupIntervalSeconds, Integer repeatIntervalSeconds, QuietHoursRequest quietHours, Boolean enabled) {

    /** Quiet hours: {@code start} and {@code end} as HH:mm in {@code timeZone} (an IANA zone; UTC when absent). */
    public record QuietHoursRequest(String start, String end, String timeZone) {
    }
}
