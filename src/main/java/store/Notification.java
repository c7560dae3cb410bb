package store;

import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One message to a channel and its delivery: {@code status} pending, sent or failed; {@code attempts}, the last answer's
 * HTTP status and error; {@code message} the rendered message model.
 */
public record Notification(String id, String channelId, @JsonIgnore String tenantId, String groupKey, String eventType, String severity,
                           long eventCount, String title, Map<String, Object> message, String status, int attempts,
                           OffsetDateTime nextAttemptAt, Integer lastStatus, String lastError, OffsetDateTime createdAt,
                           OffsetDateTime sentAt) {

    public static final String PENDING = "pending";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
}
