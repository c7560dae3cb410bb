package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Notification channels. Every read and write of the API names the owner: a tenant sees only its own channels, the
 * administrator only the hub-wide ones ({@code tenant_id} null).
 */
@Repository
public class NotificationChannelStore {


    private final JdbcClient jdbc;

    public NotificationChannelStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(NotificationChannel c) {
        jdbc.sql("""
                INSERT INTO notification_channels (id, tenant_id, name, kind, slack_channel, secret_name, event_types, min_severity,
                  integrations, group_wait_s, group_interval_s, repeat_interval_s, quiet_start, quiet_end, time_zone, enabled, health,
                  health_reason, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(c.id(), c.tenantId(), c.name(), c.kind().value(), c.slackChannel(), c.secretName(), String.join(",", c.eventTypes()),
                        c.minSeverity(), c.integrations().isEmpty() ? null : String.join(",", c.integrations()), c.groupWaitSeconds(),
                        c.groupIntervalSeconds(), c.repeatIntervalSeconds(), c.quietStart(), c.quietEnd(), c.timeZone(), c.enabled(),
                        c.health(), c.healthReason(), c.createdAt(), c.updatedAt())
                .update();
    }

    /** Saves every setting of the channel (its health included). */
    public void update(NotificationChannel c) {
        jdbc.sql("""
                UPDATE notification_channels SET name = ?, kind = ?, slack_channel = ?, event_types = ?, min_severity = ?, integrations = ?,
                  group_wait_s = ?, group_interval_s = ?, repeat_interval_s = ?, quiet_start = ?, quiet_end = ?, time_zone = ?, enabled = ?,
                  health = ?, health_reason = ?, updated_at = ? WHERE id = ?""")
                .params(c.name(), c.kind().value(), c.slackChannel(), String.join(",", c.eventTypes()), c.minSeverity(),
                        c.integrations().isEmpty() ? null : String.join(",", c.integrations()), c.groupWaitSeconds(), c.groupIntervalSeconds(),
                        c.repeatIntervalSeconds(), c.quietStart(), c.quietEnd(), c.timeZone(), c.enabled(), c.health(), c.healthReason(),
                        c.updatedAt(), c.id())
                .update();
    }

    /** The owner's channel ({@code tenantId} null: a hub-wide one). */
    public Optional<NotificationChannel> find(String tenantId, String id) {
        return owned(jdbc.sql("SELECT * FROM notification_channels WHERE id = :id AND " + owner(tenantId)).param("id", id), tenantId)
                .query(this::map).optional();
    }

    public Optional<NotificationChannel> findById(String id) {
        return jdbc.sql("SELECT * FROM notification_channels WHERE id = ?").param(id).query(this::map).optional();
    }

    /** The owner's channels, oldest first. */
    public List<NotificationChannel> list(String tenantId) {
        return owned(jdbc.sql("SELECT * FROM notification_channels WHERE " + owner(tenantId) + " ORDER BY created_at, id"), tenantId)
                .query(this::map).list();
    }

    /** The channels an event of the tenant may go to: the tenant's own and the hub-wide ones (every event of the hub). */
    public List<NotificationChannel> forEventsOf(String tenantId) {
        return jdbc.sql("SELECT * FROM notification_channels WHERE enabled = TRUE AND (tenant_id IS NULL OR tenant_id = ?) ORDER BY created_at, id")
                .param(tenantId).query(this::map).list();
    }

    public boolean delete(String tenantId, String id) {
        return owned(jdbc.sql("DELETE FROM notification_channels WHERE id = :id AND " + owner(tenantId)).param("id", id), tenantId)
                .update() == 1;
    }

    public void health(String id, String health, String reason, OffsetDateTime at) {
        jdbc.sql("UPDATE notification_channels SET health = ?, health_reason = ?, updated_at = ? WHERE id = ?")
                .params(health, reason, at, id).update();
    }

    /**
     * Takes the destination's next send slot when it is free at {@code now} (pacing across instances): true and the slot
     * moves to {@code next}; false when another send holds it.
     */
    public boolean takeSendSlot(String id, OffsetDateTime now, OffsetDateTime next) {
        return jdbc.sql("UPDATE notification_channels SET next_send_at = ? WHERE id = ? AND (next_send_at IS NULL OR next_send_at <= ?)")
                .params(next, id, now).update() == 1;
    }

    /** Keeps the destination quiet until {@code until} (its Retry-After). */
    public void holdSends(String id, OffsetDateTime until) {
        jdbc.sql("UPDATE notification_channels SET next_send_at = ? WHERE id = ? AND (next_send_at IS NULL OR next_send_at < ?)")
                .params(until, id, until).update();
    }

    /** The owner condition: the tenant's rows, or the hub-wide ones for the administrator (null). */
    static String owner(String tenantId) {
        return tenantId == null ? "tenant_id IS NULL" : "tenant_id = :tenant";
    }

    static JdbcClient.StatementSpec owned(JdbcClient.StatementSpec spec, String tenantId) {
        return tenantId == null ? spec : spec.param("tenant", tenantId);
    }

    private NotificationChannel map(ResultSet rs, int n) throws SQLException {
        String integrations = rs.getString("integrations");
        return new NotificationChannel(rs.getString("id"), rs.getString("tenant_id"), rs.getString("name"),
                NotificationChannel.Kind.of(rs.getString("kind")), rs.getString("slack_channel"), rs.getString("secret_name"),
                List.of(rs.getString("event_types").split(",")), rs.getString("min_severity"),
                integrations == null ? List.of() : Arrays.asList(integrations.split(",")), rs.getInt("group_wait_s"),
                rs.getInt("group_interval_s"), rs.getInt("repeat_interval_s"), rs.getString("quiet_start"), rs.getString("quiet_end"),
                rs.getString("time_zone"), rs.getBoolean("enabled"), rs.getString("health"), rs.getString("health_reason"),
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));
    }
}
