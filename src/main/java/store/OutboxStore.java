package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import hub.AfterCommit;
import hub.Traces;

/** The write-back outbox: rows written with the shard change, relayed to the queue in order, finished once. */
@Repository
public class OutboxStore {

    private static final String FINISH = "UPDATE write_outbox SET status = ?, outcome = ?, finished_at = ? WHERE id = ? AND finished_at IS NULL";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final ObjectMapper json;
    private final Traces traces;

    /** Rows finished, by status (Prometheus {@code hub_writeback_records_total}): the write-back outcomes. */
    public static final String FINISHED = "hub.writeback.records";

    private final MeterRegistry meters;

    public OutboxStore(JdbcClient jdbc, JdbcTemplate template, ObjectMapper json, Traces traces, MeterRegistry meters) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
        this.traces = traces;
    }

    /** A shard write to make; it keeps the trace of the request that made it, which the relay continues. */
    public void insert(String id, String tenantId, String integrationId, String shardId, String entity, String externalId,
                       String operation, List<String> changedFields) {
        jdbc.sql("""
                INSERT INTO write_outbox (id, tenant_id, integration_id, shard_id, external_entity, external_id, operation, changed_fields,
                  status, attempts, created_at, trace_parent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)""")
                .params(id, tenantId, integrationId, shardId, entity, externalId, operation, write(changedFields), Timestamps.now(),
                        traces.currentParent())
                .update();
    }

    /**
     * Takes the relay lock (one relay at a time, across instances) for the rest of the transaction,
     * and returns the oldest rows not relayed yet, in order.
     */
    public List<OutboxEntry> lockPending(int limit) {
        jdbc.sql("SELECT id FROM write_outbox_relay WHERE id = 1 FOR UPDATE").query(Integer.class).single();
        return jdbc.sql("SELECT * FROM write_outbox WHERE status = 'pending' ORDER BY seq LIMIT ?").param(limit).query(this::map).list();
    }

    /**
     * Of these shards, the ones with a write relayed and not finished yet for the integration (on a queue, being written,
     * or waiting to be retried), as {@code integrationId:shardId}.
     */
    public java.util.Set<String> inFlight(java.util.Collection<String> shardIds) {
        if (shardIds.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(jdbc.sql("SELECT DISTINCT integration_id, shard_id FROM write_outbox WHERE shard_id IN (:ids) AND status = 'relayed'")
                .param("ids", shardIds).query((rs, n) -> rs.getString("integration_id") + ":" + rs.getString("shard_id")).list());
    }

    /** Writes waiting to be made (in the outbox, or on the queue), across all tenants (a gauge). */
    public long countAllOpen() {
        return jdbc.sql("SELECT COUNT(*) FROM write_outbox WHERE status IN ('pending', 'relayed')").query(Long.class).single();
    }

    /** Writes of the integration waiting to be made (in the outbox, or on the queue). */
    public long countOpen(String integrationId) {
        return jdbc.sql("SELECT COUNT(*) FROM write_outbox WHERE integration_id = ? AND status IN ('pending', 'relayed')")
                .param(integrationId).query(Long.class).single();
    }

    public void markRelayed(List<String> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql("UPDATE write_outbox SET status = 'relayed', relayed_at = :now WHERE id IN (:ids) AND status = 'pending'")
                    .param("now", Timestamps.now()).param("ids", ids).update();
        }
    }

    /**
     * Relayed rows given back to the relay, as if never relayed: it sends them again once their record has no write
     * relayed and not finished (a record's later change waiting for its earlier one).
     */
    public void returnToPending(List<String> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql("UPDATE write_outbox SET status = 'pending', relayed_at = NULL WHERE id IN (:ids) AND status = 'relayed'")
                    .param("ids", ids).update();
        }
    }

    public Optional<OutboxEntry> find(String id) {
        return jdbc.sql("SELECT * FROM write_outbox WHERE id = ?").param(id).query(this::map).optional();
    }

    /** These rows, by id, in one statement (a missing id is missing from the map). */
    public Map<String, OutboxEntry> find(Collection<String> ids) {
        Map<String, OutboxEntry> byId = new HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.sql("SELECT * FROM write_outbox WHERE id IN (:ids)").param("ids", ids).query(this::map).list().forEach(e -> byId.put(e.id(), e));
        }
        return byId;
    }

    public List<OutboxEntry> forShard(String tenantId, String shardId) {
        return jdbc.sql("SELECT * FROM write_outbox WHERE tenant_id = ? AND shard_id = ? ORDER BY seq").params(tenantId, shardId)
                .query(this::map).list();
    }

    /** Ends the row with its outcome; false when it had already ended (a redelivered message). */
    public boolean finish(String id, OutboxEntry.Status status, String outcome) {
        boolean finished = jdbc.sql(FINISH).params(status.value(), clip(outcome), Timestamps.now(), id).update() == 1;
        if (finished) {
            countOnCommit(List.of(status));
        }
        return finished;
    }

    /** One row's end: its status and outcome. */
    public record Finish(String id, OutboxEntry.Status status, String outcome) {
    }

    /** Ends these rows with their outcomes in one JDBC batch; a row that had already ended keeps its end. */
    public void finish(List<Finish> rows) {
        if (rows.isEmpty()) {
            return;
        }
        java.time.OffsetDateTime now = Timestamps.now();
        template.batchUpdate(FINISH, rows, rows.size(), (ps, f) -> {
            ps.setString(1, f.status().value());
            ps.setString(2, clip(f.outcome()));
            ps.setObject(3, now);
            ps.setString(4, f.id());
        });
        countOnCommit(rows.stream().map(Finish::status).toList());
    }

    /** Counts finished rows once their transaction commits (at once outside one): a rolled-back settle counts nothing. */
    private void countOnCommit(List<OutboxEntry.Status> statuses) {
        AfterCommit.run(() -> statuses.forEach(st -> meters.counter(FINISHED, "status", st.value()).increment()));
    }

    /** Counts a failed attempt; returns the attempts so far. */
    public int recordAttempt(String id, String outcome) {
        jdbc.sql("UPDATE write_outbox SET attempts = attempts + 1, outcome = ? WHERE id = ?").params(clip(outcome), id).update();
        return jdbc.sql("SELECT attempts FROM write_outbox WHERE id = ?").param(id).query(Integer.class).single();
    }

    /** Makes a failed row new again (dead-letter replay): attempts from zero, not finished. */
    public void reopen(String id) {
        jdbc.sql("UPDATE write_outbox SET status = 'relayed', attempts = 0, finished_at = NULL WHERE id = ?").param(id).update();
    }

    private static String clip(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 2000);
    }

    private OutboxEntry map(ResultSet rs, int row) throws SQLException {
        return new OutboxEntry(rs.getLong("seq"), rs.getString("id"), rs.getString("tenant_id"), rs.getString("integration_id"),
                rs.getString("shard_id"), rs.getString("external_entity"), rs.getString("external_id"), rs.getString("operation"),
                read(rs.getString("changed_fields")), OutboxEntry.Status.of(rs.getString("status")), rs.getInt("attempts"), rs.getString("outcome"),
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "relayed_at"), Timestamps.read(rs, "finished_at"),
                rs.getString("trace_parent"));
    }

    private String write(List<String> fields) {
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> read(String text) {
        try {
            return json.readValue(text, new TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
