package store;

import java.time.OffsetDateTime;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import hub.Ids;

/** Who did what to which record, when and why. Never holds secret values. */
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

    /** One entry: who ({@code actor}: a key id, "admin" or "hub"), what, on which record, why ({@code detail}), when. */
    public record Entry(String id, String tenantId, String actor, String action, String targetType, String targetId, String detail,
                        OffsetDateTime at) {
    }

    /** Entries newest first; each filter applies when given ({@code action} may end in '.' to match a prefix, as "secret."). */
    public Page<Entry> list(String tenantId, String action, String targetType, String targetId, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (tenantId != null) {
            sql.append(" AND tenant_id = :tenant");
            params.put("tenant", tenantId);
        }
        if (action != null) {
            sql.append(action.endsWith(".") ? " AND action LIKE :action" : " AND action = :action");
            params.put("action", action.endsWith(".") ? action + "%" : action);
        }
        if (targetType != null) {
            sql.append(" AND target_type = :targetType");
            params.put("targetType", targetType);
        }
        if (targetId != null) {
            sql.append(" AND target_id = :targetId");
            params.put("targetId", targetId);
        }
        if (after != null) {
            sql.append(" AND (at < :at OR (at = :at AND id < :afterId))");
            params.put("at", after.at());
            params.put("afterId", after.id());
        }
        sql.append(" ORDER BY at DESC, id DESC LIMIT :limit");
        params.put("limit", limit + 1);
        java.util.List<Entry> rows = jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> new Entry(rs.getString("id"), rs.getString("tenant_id"), rs.getString("actor"), rs.getString("action"),
                        rs.getString("target_type"), rs.getString("target_id"), rs.getString("detail"), Timestamps.read(rs, "at")))
                .list();
        return Pages.of(rows, limit, e -> new Cursor(e.at(), e.id()));
    }
}
