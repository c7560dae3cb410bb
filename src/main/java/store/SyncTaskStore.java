package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class SyncTaskStore {

    private final JdbcClient jdbc;

    public SyncTaskStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(SyncTask t) {
        jdbc.sql("""
                INSERT INTO sync_tasks (id, tenant_id, integration_id, name, entity, mode, schedule, enabled, next_run_at,
                  last_run_at, last_execution_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(t.id(), t.tenantId(), t.integrationId(), t.name(), t.entity(), t.mode(), t.schedule(), t.enabled(),
                        t.nextRunAt(), t.lastRunAt(), t.lastExecutionId(), t.createdAt(), t.updatedAt())
                .update();
    }

    public void update(SyncTask t) {
        jdbc.sql("""
                UPDATE sync_tasks SET name = ?, entity = ?, mode = ?, schedule = ?, enabled = ?, next_run_at = ?, updated_at = ?
                WHERE id = ? AND tenant_id = ?""")
                .params(t.name(), t.entity(), t.mode(), t.schedule(), t.enabled(), t.nextRunAt(), Timestamps.now(), t.id(), t.tenantId())
                .update();
    }

    public Optional<SyncTask> find(String tenantId, String integrationId, String id) {
        return jdbc.sql("SELECT * FROM sync_tasks WHERE id = ? AND integration_id = ? AND tenant_id = ?")
                .params(id, integrationId, tenantId).query(this::map).optional();
    }

    public Page<SyncTask> list(String tenantId, String integrationId, Cursor after, int limit) {
        String sql = "SELECT * FROM sync_tasks WHERE tenant_id = :tenant AND integration_id = :integration"
                + (after == null ? "" : " AND (created_at > :afterAt OR (created_at = :afterAt AND id > :afterId))")
                + " ORDER BY created_at, id LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("integration", integrationId).param("limit", limit + 1);
        if (after != null) {
            query = query.param("afterAt", after.at()).param("afterId", after.id());
        }
        return Pages.of(query.query(this::map).list(), limit, t -> new Cursor(t.createdAt(), t.id()));
    }

    public List<SyncTask> forIntegration(String integrationId) {
        return jdbc.sql("SELECT * FROM sync_tasks WHERE integration_id = ?").param(integrationId).query(this::map).list();
    }

    public boolean delete(String tenantId, String integrationId, String id) {
        return jdbc.sql("DELETE FROM sync_tasks WHERE id = ? AND integration_id = ? AND tenant_id = ?")
                .params(id, integrationId, tenantId).update() > 0;
    }

    /** Enabled tasks whose next run is due, oldest first. */
    public List<SyncTask> due(OffsetDateTime now, int limit) {
        // an integration whose credentials failed (auth_failed) is paused until the tenant reconnects it
        return jdbc.sql("""
                SELECT * FROM sync_tasks WHERE enabled = TRUE AND next_run_at <= ?
                AND integration_id NOT IN (SELECT id FROM integrations WHERE status = 'auth_failed')
                ORDER BY next_run_at LIMIT ?""").params(now, limit).query(this::map).list();
    }

    /**
     * Moves a due task to its next run, only if no other scheduler instance did it first:
     * the compare-and-set on next_run_at is what makes the scheduler safe on N instances.
     */
    public boolean claim(SyncTask task, OffsetDateTime nextRunAt) {
        return jdbc.sql("UPDATE sync_tasks SET next_run_at = ? WHERE id = ? AND next_run_at = ?")
                .params(nextRunAt, task.id(), task.nextRunAt()).update() == 1;
    }

    public void recordRun(String taskId, String executionId) {
        jdbc.sql("UPDATE sync_tasks SET last_run_at = ?, last_execution_id = ? WHERE id = ?")
                .params(Timestamps.now(), executionId, taskId).update();
    }

    public void reschedule(String taskId, OffsetDateTime nextRunAt) {
        jdbc.sql("UPDATE sync_tasks SET next_run_at = ? WHERE id = ?").params(nextRunAt, taskId).update();
    }

    private SyncTask map(ResultSet rs, int row) throws SQLException {
        return new SyncTask(rs.getString("id"), rs.getString("tenant_id"), rs.getString("integration_id"), rs.getString("name"),
                rs.getString("entity"), rs.getString("mode"), rs.getString("schedule"), rs.getBoolean("enabled"),
                Timestamps.read(rs, "next_run_at"), Timestamps.read(rs, "last_run_at"), rs.getString("last_execution_id"),
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));
    }
}
