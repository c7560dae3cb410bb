package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Detected conflicts, tenant-scoped; at most one open conflict per record and integration. */
@Repository
public class ConflictStore {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    private final EventStore events;

    public ConflictStore(JdbcClient jdbc, ObjectMapper json, EventStore events) {
        this.events = events;
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Records a conflict; an open one for the same record is replaced by the new state of the fields. A new open conflict
     * appends {@code conflict.opened}, one recorded resolved (a strategy settled it) {@code conflict.resolved}, in the same
     * transaction.
     */
    @Transactional
    public void record(String tenantId, Conflict c) {
        if (c.status() == Conflict.Status.OPEN) {
            Optional<Conflict> open = openFor(c.shardId(), c.integrationId());
            if (open.isPresent()) {
                jdbc.sql("UPDATE sync_conflicts SET fields = ?, external_version = ?, detected_at = ? WHERE id = ?")
                        .params(write(c.fields()), c.externalVersion(), c.detectedAt(), open.get().id()).update();
                return;
            }
        }
        jdbc.sql("""
                INSERT INTO sync_conflicts (id, tenant_id, integration_id, shard_id, external_entity, external_id, status, strategy, fields,
                  external_version, resolution, detected_at, resolved_at, resolved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(c.id(), tenantId, c.integrationId(), c.shardId(), c.entity(), c.externalId(), c.status().value(), c.strategy(),
                        write(c.fields()), c.externalVersion(), c.resolution() == null ? null : write(c.resolution()), c.detectedAt(),
                        c.resolvedAt(), c.resolvedBy())
                .update();
        emit(tenantId, c, c.status() == Conflict.Status.OPEN ? "conflict.opened" : "conflict.resolved");
    }

    private void emit(String tenantId, Conflict c, String type) {
        events.append(tenantId, type, c.id(), EventStore.data("conflictId", c.id(), "integrationId", c.integrationId(),
                "shardId", c.shardId(), "entity", c.entity(), "externalId", c.externalId(), "strategy", c.strategy(),
                "fields", c.fields() == null ? List.of() : c.fields().stream().map(Conflict.Field::field).toList(),
                "resolvedBy", c.resolvedBy()));
    }

    public Optional<Conflict> openFor(String shardId, String integrationId) {
        return jdbc.sql("SELECT * FROM sync_conflicts WHERE shard_id = ? AND integration_id = ? AND status = 'open'")
                .params(shardId, integrationId).query(this::map).optional();
    }

    public Optional<Conflict> find(String tenantId, String id) {
        return jdbc.sql("SELECT * FROM sync_conflicts WHERE id = ? AND tenant_id = ?").params(id, tenantId).query(this::map).optional();
    }

    public Page<Conflict> list(String tenantId, Conflict.Status status, String shardId, Cursor after, int limit) {
        String sql = "SELECT * FROM sync_conflicts WHERE tenant_id = :tenant"
                + (status == null ? "" : " AND status = :status")
                + (shardId == null ? "" : " AND shard_id = :shard")
                + (after == null ? "" : " AND (detected_at < :at OR (detected_at = :at AND id < :afterId))")
                + " ORDER BY detected_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (status != null) {
            query = query.param("status", status.value());
        }
        if (shardId != null) {
            query = query.param("shard", shardId);
        }
        if (after != null) {
            query = query.param("at", after.at()).param("afterId", after.id());
        }
        return Pages.of(query.query(this::map).list(), limit, c -> new Cursor(c.detectedAt(), c.id()));
    }

    /** Marks an open conflict resolved and appends {@code conflict.resolved}; false when it was not open any more. */
    @Transactional
    public boolean resolve(String id, Map<String, Object> resolution, String by) {
        boolean resolved = jdbc.sql("UPDATE sync_conflicts SET status = 'resolved', resolution = ?, resolved_at = ?, resolved_by = ? WHERE id = ? AND status = 'open'")
                .params(write(resolution), Timestamps.now(), by, id).update() == 1;
        if (resolved) {
            String tenantId = jdbc.sql("SELECT tenant_id FROM sync_conflicts WHERE id = ?").param(id).query(String.class).single();
            find(tenantId, id).ifPresent(c -> emit(tenantId, c, "conflict.resolved"));
        }
        return resolved;
    }

    private Conflict map(ResultSet rs, int row) throws SQLException {
        return new Conflict(rs.getString("id"), rs.getString("integration_id"), rs.getString("shard_id"), rs.getString("external_entity"),
                rs.getString("external_id"), Conflict.Status.of(rs.getString("status")), rs.getString("strategy"),
                read(rs.getString("fields"), new TypeReference<List<Conflict.Field>>() {
                }), rs.getString("external_version"),
                rs.getString("resolution") == null ? null : read(rs.getString("resolution"), new TypeReference<Map<String, Object>>() {
                }), Timestamps.read(rs, "detected_at"), Timestamps.read(rs, "resolved_at"), rs.getString("resolved_by"));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
