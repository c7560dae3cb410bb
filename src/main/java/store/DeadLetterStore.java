package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Dead letters as operators see them: recorded from the dead-letter queue, replayed or deleted through the admin API. */
@Repository
public class DeadLetterStore {

    private final JdbcClient jdbc;
    private final EventStore events;

    public DeadLetterStore(JdbcClient jdbc, EventStore events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** Records the dead letter and appends {@code deadletter.recorded} (hub-wide when no tenant owns it), in one transaction. */
    @Transactional
    public void insert(DeadLetter d) {
        jdbc.sql("""
                INSERT INTO dead_letters (id, tenant_id, integration_id, source_queue, message_type, message_group, failed_step, reason,
                  attempts, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(d.id(), d.tenantId(), d.integrationId(), d.sourceQueue(), d.messageType(), d.messageGroup(), d.failedStep(),
                        d.reason().length() > 2000 ? d.reason().substring(0, 2000) : d.reason(), d.attempts(), d.body(), d.createdAt())
                .update();
        events.append(d.tenantId(), "deadletter.recorded", d.id(), EventStore.data("deadLetterId", d.id(), "integrationId", d.integrationId(),
                "sourceQueue", d.sourceQueue(), "messageType", d.messageType(), "failedStep", d.failedStep(),
                "reason", d.reason().length() > 2000 ? d.reason().substring(0, 2000) : d.reason(), "attempts", d.attempts()));
    }

    public Optional<DeadLetter> find(String id) {
        return jdbc.sql("SELECT * FROM dead_letters WHERE id = ?").param(id).query(this::map).optional();
    }

    public Page<DeadLetter> list(String tenantId, Cursor after, int limit) {
        String sql = "SELECT * FROM dead_letters WHERE 1 = 1"
                + (tenantId == null ? "" : " AND tenant_id = :tenant")
                + (after == null ? "" : " AND (created_at < :at OR (created_at = :at AND id < :afterId))")
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("limit", limit + 1);
        if (tenantId != null) {
            query = query.param("tenant", tenantId);
        }
        if (after != null) {
            query = query.param("at", after.at()).param("afterId", after.id());
        }
        return Pages.of(query.query(this::map).list(), limit, d -> new Cursor(d.createdAt(), d.id()));
    }

    public boolean markReplayed(String id) {
        return jdbc.sql("UPDATE dead_letters SET replayed_at = ? WHERE id = ?").params(Timestamps.now(), id).update() == 1;
    }

    public boolean delete(String id) {
        return jdbc.sql("DELETE FROM dead_letters WHERE id = ?").param(id).update() == 1;
    }

    private DeadLetter map(ResultSet rs, int row) throws SQLException {
        return new DeadLetter(rs.getString("id"), rs.getString("tenant_id"), rs.getString("integration_id"), rs.getString("source_queue"),
                rs.getString("message_type"), rs.getString("message_group"), rs.getString("failed_step"), rs.getString("reason"),
                rs.getInt("attempts"), rs.getString("body"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "replayed_at"));
    }
}
