package store;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The state of one notification group of a channel (group key: tenant, integration, category): the events taken since
 * its last message ({@code pendingCount}, their types, the first examples), all of them ({@code totalCount}), and when
 * its next message is due ({@code flushAt}, null when nothing is pending), and since when events are pending.
 */
public record NotificationGroup(String id, String channelId, String tenantId, String groupKey, String integrationId, String category,
                                String provider, String severity, long totalCount, long pendingCount, List<String> eventTypes,
                                List<String> examples, OffsetDateTime firstAt, OffsetDateTime lastEventAt, OffsetDateTime lastSentAt,
                                OffsetDateTime flushAt, OffsetDateTime pendingSince) {
}
