package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import hub.JsonText;

/** The steps of sync runs' timelines ({@link ExecutionStep}), read by tenant and execution. */
@Repository
public class ExecutionStepStore {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public ExecutionStepStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Appends a step now; in the caller's transaction when there is one (a page's step commits with the page). */
    public void append(String tenantId, String executionId, String step, String detail, Map<String, Object> data) {
        jdbc.sql("""
                INSERT INTO sync_execution_steps (execution_id, tenant_id, occurred_at, step, detail, data)
                  VALUES (?, ?, ?, ?, ?, ?)""")
                .params(executionId, tenantId, Timestamps.now(), step, truncate(detail, 1000), JsonText.write(json, data)).update();
    }

    /** The execution's steps after {@code afterSeq} (all from -1), oldest first, at most {@code limit}. */
    public List<ExecutionStep> after(String tenantId, String executionId, long afterSeq, int limit) {
        return jdbc.sql("""
                SELECT * FROM sync_execution_steps WHERE execution_id = ? AND tenant_id = ? AND seq > ?
                  ORDER BY seq LIMIT ?""")
                .params(executionId, tenantId, afterSeq, limit).query(this::map).list();
    }

    /** How many pages the execution has committed: where a run that comes back from its queue goes on counting. */
    public int pages(String executionId) {
        return jdbc.sql("SELECT COUNT(*) FROM sync_execution_steps WHERE execution_id = ? AND step = ?")
                .params(executionId, ExecutionStep.PAGE).query(Integer.class).single();
    }

    private ExecutionStep map(ResultSet rs, int row) throws SQLException {
        return new ExecutionStep(rs.getLong("seq"), rs.getString("execution_id"), Timestamps.read(rs, "occurred_at"), rs.getString("step"),
                rs.getString("detail"), JsonText.readMap(json, rs.getString("data")));
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
