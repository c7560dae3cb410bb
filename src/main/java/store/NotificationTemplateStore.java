package store;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** A tenant's own notification templates per event type ({@code *}: every type without its own). */
@Repository
public class NotificationTemplateStore {

    private final JdbcClient jdbc;

    public NotificationTemplateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<NotificationTemplate> find(String tenantId, String eventType) {
        return jdbc.sql("SELECT event_type, title, body, example FROM notification_templates WHERE tenant_id = ? AND event_type = ?")
                .params(tenantId, eventType).query((rs, n) -> new NotificationTemplate(rs.getString("event_type"), rs.getString("title"),
                        rs.getString("body"), rs.getString("example"))).optional();
    }

    public List<NotificationTemplate> list(String tenantId) {
        return jdbc.sql("SELECT event_type, title, body, example FROM notification_templates WHERE tenant_id = ? ORDER BY event_type")
                .param(tenantId).query((rs, n) -> new NotificationTemplate(rs.getString("event_type"), rs.getString("title"),
                        rs.getString("body"), rs.getString("example"))).list();
    }

    /** Saves the tenant's template of its type (replacing one saved before). */
    public void save(String tenantId, NotificationTemplate t) {
        int updated = jdbc.sql("UPDATE notification_templates SET title = ?, body = ?, example = ?, updated_at = ? WHERE tenant_id = ? AND event_type = ?")
                .params(t.title(), t.text(), t.example(), Timestamps.now(), tenantId, t.eventType()).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO notification_templates (tenant_id, event_type, title, body, example, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(tenantId, t.eventType(), t.title(), t.text(), t.example(), Timestamps.now()).update();
        }
    }

    public boolean delete(String tenantId, String eventType) {
        return jdbc.sql("DELETE FROM notification_templates WHERE tenant_id = ? AND event_type = ?").params(tenantId, eventType).update() == 1;
    }
}
