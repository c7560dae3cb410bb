package store;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import hub.Ids;

/** Who did what to which record, and when. Never holds secret values. */
@Repository
public class AuditLog {

    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String tenantId, String actor, String action, String targetType, String targetId, String detail) {
        jdbc.sql("INSERT INTO audit_log (id, tenant_id, actor, action, target_type, target_id, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(Ids.newId(), tenantId, actor, action, targetType, targetId, detail, Timestamps.now()).update();
    }
}
