package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

@Repository
public class IntegrationStore {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public IntegrationStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void insert(Integration i) {
        jdbc.sql("""
                INSERT INTO integrations (id, tenant_id, provider_id, name, status, sync_enabled, sync_direction, sync_frequency,
                  conflict_resolution, max_records_per_sync, settings, last_sync_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(i.id(), i.tenantId(), i.providerId(), i.name(), i.status().value(), i.syncEnabled(), i.syncDirection(),
                        i.syncFrequency(), i.conflictResolution(), i.maxRecordsPerSync(), write(i.settings()), i.lastSyncAt(),
                        i.createdAt(), i.updatedAt())
                .update();
    }

    public void update(Integration i) {
        jdbc.sql("""
                UPDATE integrations SET name = ?, status = ?, sync_enabled = ?, sync_direction = ?, sync_frequency = ?,
                  conflict_resolution = ?, max_records_per_sync = ?, settings = ?, updated_at = ?
                WHERE id = ? AND tenant_id = ?""")
                .params(i.name(), i.status().value(), i.syncEnabled(), i.syncDirection(), i.syncFrequency(), i.conflictResolution(),
                        i.maxRecordsPerSync(), write(i.settings()), Timestamps.now(), i.id(), i.tenantId())
                .update();
    }

    public void updateStatus(String integrationId, Integration.Status status) {
        jdbc.sql("UPDATE integrations SET status = ?, updated_at = ? WHERE id = ?").params(status.value(), Timestamps.now(), integrationId).update();
    }

    public void markSynced(String integrationId) {
        jdbc.sql("UPDATE integrations SET last_sync_at = ? WHERE id = ?").params(Timestamps.now(), integrationId).update();
    }

    /** Tenant-scoped lookup: another tenant's id is indistinguishable from an unknown one. */
    public Optional<Integration> find(String tenantId, String id) {
        return jdbc.sql("SELECT * FROM integrations WHERE id = ? AND tenant_id = ?").params(id, tenantId).query(this::map).optional();
    }

    /** The provider an integration connects (salesforce, hubspot...), without loading the rest of it. */
    public Optional<String> providerOf(String id) {
        return jdbc.sql("SELECT provider_id FROM integrations WHERE id = ?").param(id).query(String.class).optional();
    }

    public Optional<Integration> findById(String id) {
        return jdbc.sql("SELECT * FROM integrations WHERE id = ?").param(id).query(this::map).optional();
    }

    public Page<Integration> list(String tenantId, Cursor after, int limit) {
        String sql = "SELECT * FROM integrations WHERE tenant_id = :tenant"
                + (after == null ? "" : " AND (created_at > :afterAt OR (created_at = :afterAt AND id > :afterId))")
                + " ORDER BY created_at, id LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (after != null) {
            query = query.param("afterAt", after.at()).param("afterId", after.id());
        }
        List<Integration> rows = query.query(this::map).list();
        return Pages.of(rows, limit, i -> new Cursor(i.createdAt(), i.id()));
    }

    public boolean delete(String tenantId, String id) {
        return jdbc.sql("DELETE FROM integrations WHERE id = ? AND tenant_id = ?").params(id, tenantId).update() > 0;
    }

    private Integration map(ResultSet rs, int row) throws SQLException {
        int max = rs.getInt("max_records_per_sync");
        Integer maxRecords = rs.wasNull() ? null : max;
        return new Integration(rs.getString("id"), rs.getString("tenant_id"), rs.getString("provider_id"), rs.getString("name"),
                Integration.Status.of(rs.getString("status")), rs.getBoolean("sync_enabled"), rs.getString("sync_direction"),
                rs.getString("sync_frequency"), rs.getString("conflict_resolution"), maxRecords, read(rs.getString("settings")),
                Timestamps.read(rs, "last_sync_at"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));
    }

    private String write(Integration.Settings settings) {
        try {
            return json.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Integration.Settings read(String value) {
        try {
            return json.readValue(value, Integration.Settings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("integration settings unreadable: " + e.getOriginalMessage());
        }
    }
}
