package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import hub.JsonText;

/**
 * Notification groups, the events taken into them, and the messages to send (the delivery history). Groups are read
 * and changed under their row lock, so instances taking events of the same group at once count each.
 */
@Repository
public class NotificationStore {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public NotificationStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Records that the event was taken; false when it was before (the broker handed it again). */
    public boolean takeEvent(String eventId, OffsetDateTime at) {
        try {
            jdbc.sql("INSERT INTO notification_intake (event_id, taken_at) VALUES (?, ?)").params(eventId, at).update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Forgets taken events older than the cutoff (the broker does not hand them again after that long). */
    public int purgeTakenBefore(OffsetDateTime cutoff) {
        return jdbc.sql("DELETE FROM notification_intake WHERE taken_at < ?").param(cutoff).update();
    }

    /** The channel's group of this key, locked until the transaction ends. */
    public Optional<NotificationGroup> lockGroup(String channelId, String groupKey) {
        return jdbc.sql("SELECT * FROM notification_groups WHERE channel_id = ? AND group_key = ? FOR UPDATE").params(channelId, groupKey)
                .query(this::group).optional();
    }

    public Optional<NotificationGroup> lockGroup(String id) {
        return jdbc.sql("SELECT * FROM notification_groups WHERE id = ? FOR UPDATE").param(id).query(this::group).optional();
    }

    /** Inserts a new group; false when another instance inserted the same one first (lock it then). */
    public boolean insertGroup(NotificationGroup g) {
        try {
            jdbc.sql("""
                    INSERT INTO notification_groups (id, channel_id, tenant_id, group_key, integration_id, category, provider, severity,
                      total_count, pending_count, event_types, examples, first_at, last_event_at, last_sent_at, flush_at, pending_since)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(g.id(), g.channelId(), g.tenantId(), g.groupKey(), g.integrationId(), g.category(), g.provider(), g.severity(),
                            g.totalCount(), g.pendingCount(), String.join(",", g.eventTypes()), JsonText.write(json, g.examples()),
                            g.firstAt(), g.lastEventAt(), g.lastSentAt(), g.flushAt(), g.pendingSince())
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public void updateGroup(NotificationGroup g) {
        jdbc.sql("""
                UPDATE notification_groups SET provider = ?, severity = ?, total_count = ?, pending_count = ?, event_types = ?, examples = ?,
                  first_at = ?, last_event_at = ?, last_sent_at = ?, flush_at = ?, pending_since = ? WHERE id = ?""")
                .params(g.provider(), g.severity(), g.totalCount(), g.pendingCount(), String.join(",", g.eventTypes()),
                        JsonText.write(json, g.examples()), g.firstAt(), g.lastEventAt(), g.lastSentAt(), g.flushAt(), g.pendingSince(), g.id())
                .update();
    }

    /** Ids of groups whose message is due at {@code now}, oldest due first. */
    public List<String> dueGroups(OffsetDateTime now, int limit) {
        return jdbc.sql("SELECT id FROM notification_groups WHERE flush_at <= ? ORDER BY flush_at LIMIT ?").params(now, limit)
                .query(String.class).list();
    }

    public List<NotificationGroup> groupsOf(String channelId) {
        return jdbc.sql("SELECT * FROM notification_groups WHERE channel_id = ? ORDER BY first_at").param(channelId).query(this::group).list();
    }

    public void insert(Notification n) {
        jdbc.sql("""
                INSERT INTO notifications (id, channel_id, tenant_id, group_key, event_type, severity, event_count, title, model, status,
                  attempts, next_attempt_at, last_status, last_error, created_at, sent_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(n.id(), n.channelId(), n.tenantId(), n.groupKey(), n.eventType(), n.severity(), n.eventCount(), n.title(),
                        JsonText.write(json, n.message()), n.status(), n.attempts(), n.nextAttemptAt(), n.lastStatus(), n.lastError(),
                        n.createdAt(), n.sentAt())
                .update();
    }

    /** Ids of pending messages due at {@code now} and not held by an instance, oldest first. */
    public List<String> due(OffsetDateTime now, int limit) {
        return jdbc.sql("""
                SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
                ORDER BY next_attempt_at, created_at LIMIT ?""")
                .params(now, now, limit).query(String.class).list();
    }

    /** Takes the pending message for this instance until {@code until}; empty when another took it. */
    public Optional<Notification> claim(String id, OffsetDateTime now, OffsetDateTime until) {
        int taken = jdbc.sql("UPDATE notifications SET claimed_until = ? WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)")
                .params(until, id, now).update();
        return taken == 1 ? find(id) : Optional.empty();
    }

    public Optional<Notification> find(String id) {
        return jdbc.sql("SELECT * FROM notifications WHERE id = ?").param(id).query(this::notification).optional();
    }

    /** Gives the message back without an attempt (its destination's slot was taken), to try at {@code at}. */
    public void release(String id, OffsetDateTime at) {
        jdbc.sql("UPDATE notifications SET claimed_until = NULL, next_attempt_at = ? WHERE id = ?").params(at, id).update();
    }

    /** The outcome of an attempt: the new status, the next attempt's time (pending), the answer's status and error. */
    public void attempted(String id, String status, OffsetDateTime nextAttemptAt, Integer lastStatus, String lastError, OffsetDateTime sentAt) {
        jdbc.sql("""
                UPDATE notifications SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_status = ?, last_error = ?, sent_at = ?,
                  claimed_until = NULL WHERE id = ?""")
                .params(status, nextAttemptAt, lastStatus, lastError, sentAt, id).update();
    }

    /** Pending messages of a channel fail (its destination is unhealthy). */
    public int failPending(String channelId, String error) {
        return jdbc.sql("UPDATE notifications SET status = 'failed', last_error = ?, claimed_until = NULL WHERE channel_id = ? AND status = 'pending'")
                .params(error, channelId).update();
    }

    /** The owner's messages, newest first, of one status or all; {@code before} the last id of the previous page. */
    public List<Notification> history(String tenantId, String status, Cursor before, int limit) {
        String sql = "SELECT * FROM notifications WHERE " + NotificationChannelStore.owner(tenantId)
                + (status == null ? "" : " AND status = :status")
                + (before == null ? "" : " AND (created_at < :beforeAt OR (created_at = :beforeAt AND id < :beforeId))")
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec query = NotificationChannelStore.owned(jdbc.sql(sql), tenantId).param("limit", limit);
        if (status != null) {
            query = query.param("status", status);
        }
        if (before != null) {
            query = query.param("beforeAt", before.at()).param("beforeId", before.id());
        }
        return query.query(this::notification).list();
    }

    /** Messages of a channel, oldest first (tests and the storm measure). */
    public List<Notification> ofChannel(String channelId) {
        return jdbc.sql("SELECT * FROM notifications WHERE channel_id = ? ORDER BY created_at, id").param(channelId).query(this::notification).list();
    }

    private NotificationGroup group(ResultSet rs, int n) throws SQLException {
        String types = rs.getString("event_types");
        return new NotificationGroup(rs.getString("id"), rs.getString("channel_id"), rs.getString("tenant_id"), rs.getString("group_key"),
                rs.getString("integration_id"), rs.getString("category"), rs.getString("provider"), rs.getString("severity"),
                rs.getLong("total_count"), rs.getLong("pending_count"), types.isEmpty() ? List.of() : Arrays.asList(types.split(",")),
                readList(rs.getString("examples")), Timestamps.read(rs, "first_at"), Timestamps.read(rs, "last_event_at"),
                Timestamps.read(rs, "last_sent_at"), Timestamps.read(rs, "flush_at"), Timestamps.read(rs, "pending_since"));
    }

    private Notification notification(ResultSet rs, int n) throws SQLException {
        int lastStatus = rs.getInt("last_status");
        Integer status = rs.wasNull() ? null : lastStatus;
        return new Notification(rs.getString("id"), rs.getString("channel_id"), rs.getString("tenant_id"), rs.getString("group_key"),
                rs.getString("event_type"), rs.getString("severity"), rs.getLong("event_count"), rs.getString("title"),
                JsonText.readMap(json, rs.getString("model")), rs.getString("status"), rs.getInt("attempts"),
                Timestamps.read(rs, "next_attempt_at"), status, rs.getString("last_error"), Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "sent_at"));
    }

    private List<String> readList(String text) {
        try {
            return json.readValue(text, STRINGS);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("notification group examples are not a JSON list", e);
        }
    }
}
