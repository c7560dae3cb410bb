package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import store.Shard.ExternalRelationship;
import store.Shard.Relation;

/** Shards and their external relationships: tenant-scoped reads for the API, batch writes for sync. */
@Repository
public class ShardStore {

    /** Where an already-synced provider record lives, and the hash of what was last written for it. */
    public record Existing(String shardId, String contentHash, boolean deleted) {
    }

    /** A mapped provider record ready to be written. */
    public record ShardWrite(String shardId, String externalId, String externalVersion, String shardType, String dataJson,
                             String contentHash, List<RelationTarget> relations) {
    }

    public record RelationTarget(String type, String targetShardType, String targetEntity, String targetExternalId) {
    }

    private static final int IN_CHUNK = 500;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    public ShardStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    // ------------------------------------------------------------------ reads (API)

    public Page<Shard> list(String tenantId, String shardType, Cursor after, int limit) {
        String sql = "SELECT * FROM shards WHERE tenant_id = :tenant"
                + (shardType == null ? "" : " AND shard_type = :type")
                + (after == null ? "" : " AND id > :afterId")
                + " ORDER BY id LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (shardType != null) {
            query = query.param("type", shardType);
        }
        if (after != null) {
            query = query.param("afterId", after.id());
        }
        List<Shard> rows = query.query(this::mapBare).list();
        Page<Shard> page = Pages.of(rows, limit, s -> new Cursor(null, s.id()));
        Map<String, List<ExternalRelationship>> links = externalRelationships(page.items().stream().map(Shard::id).toList());
        List<Shard> items = page.items().stream()
                .map(s -> withLinks(s, links.getOrDefault(s.id(), List.of()), null)).toList();
        return new Page<>(items, page.nextCursor());
    }

    public Optional<Shard> find(String tenantId, String id) {
        return jdbc.sql("SELECT * FROM shards WHERE id = ? AND tenant_id = ?").params(id, tenantId).query(this::mapBare).optional()
                .map(s -> withLinks(s, externalRelationships(List.of(s.id())).getOrDefault(s.id(), List.of()), relations(s.id())));
    }

    private Map<String, List<ExternalRelationship>> externalRelationships(List<String> shardIds) {
        Map<String, List<ExternalRelationship>> byShard = new HashMap<>();
        for (List<String> chunk : chunks(shardIds)) {
            jdbc.sql("SELECT * FROM shard_external_relationships WHERE shard_id IN (:ids)").param("ids", chunk)
                    .query((ResultSet rs) -> {
                        byShard.computeIfAbsent(rs.getString("shard_id"), k -> new ArrayList<>()).add(new ExternalRelationship(
                                rs.getString("integration_id"), rs.getString("external_entity"), rs.getString("external_id"),
                                rs.getString("sync_direction"), Timestamps.read(rs, "last_synced_at"), rs.getString("external_version")));
                    });
        }
        return byShard;
    }

    private List<Relation> relations(String shardId) {
        return jdbc.sql("""
                SELECT r.*, ser.shard_id AS target_shard_id FROM shard_relations r
                LEFT JOIN shard_external_relationships ser ON ser.integration_id = r.target_integration_id
                  AND ser.external_entity = r.target_entity AND ser.external_id = r.target_external_id
                WHERE r.shard_id = ? ORDER BY r.relation_type, r.target_external_id""")
                .param(shardId)
                .query((rs, n) -> new Relation(rs.getString("relation_type"), rs.getString("target_shard_type"),
                        rs.getString("target_shard_id"), rs.getString("target_integration_id"), rs.getString("target_entity"),
                        rs.getString("target_external_id")))
                .list();
    }

    // ------------------------------------------------------------------ writes (sync)

    /** The already-synced records among these provider ids, keyed by provider id. */
    public Map<String, Existing> existing(String integrationId, String entity, Collection<String> externalIds) {
        Map<String, Existing> found = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(externalIds))) {
            jdbc.sql("""
                    SELECT ser.external_id, ser.shard_id, ser.content_hash, s.deleted FROM shard_external_relationships ser
                    JOIN shards s ON s.id = ser.shard_id
                    WHERE (ser.integration_id, ser.external_entity, ser.external_id) IN (:keys)""")
                    .param("keys", keys(integrationId, entity, chunk))
                    .query((ResultSet rs) -> {
                        found.put(rs.getString("external_id"),
                                new Existing(rs.getString("shard_id"), rs.getString("content_hash"), rs.getBoolean("deleted")));
                    });
        }
        return found;
    }

    public void insert(String tenantId, String integrationId, String entity, String syncDirection, List<ShardWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        OffsetDateTime now = Timestamps.now();
        template.batchUpdate("""
                INSERT INTO shards (id, tenant_id, shard_type, structured_data, version, deleted, created_at, updated_at)
                VALUES (?, ?, ?, ?, 1, FALSE, ?, ?)""", writes, writes.size(), (ps, w) -> {
            ps.setString(1, w.shardId());
            ps.setString(2, tenantId);
            ps.setString(3, w.shardType());
            ps.setString(4, w.dataJson());
            ps.setObject(5, now);
            ps.setObject(6, now);
        });
        template.batchUpdate("""
                INSERT INTO shard_external_relationships (integration_id, external_entity, external_id, shard_id, tenant_id,
                  sync_direction, last_synced_at, external_version, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                writes, writes.size(), (ps, w) -> {
                    ps.setString(1, integrationId);
                    ps.setString(2, entity);
                    ps.setString(3, w.externalId());
                    ps.setString(4, w.shardId());
                    ps.setString(5, tenantId);
                    ps.setString(6, syncDirection);
                    ps.setObject(7, now);
                    ps.setString(8, w.externalVersion());
                    ps.setString(9, w.contentHash());
                });
        insertRelations(integrationId, writes);
    }

    public void update(String integrationId, String entity, List<ShardWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        OffsetDateTime now = Timestamps.now();
        template.batchUpdate("""
                UPDATE shards SET structured_data = ?, version = version + 1, deleted = FALSE, deleted_at = NULL, updated_at = ?
                WHERE id = ?""", writes, writes.size(), (ps, w) -> {
            ps.setString(1, w.dataJson());
            ps.setObject(2, now);
            ps.setString(3, w.shardId());
        });
        template.batchUpdate("""
                UPDATE shard_external_relationships SET last_synced_at = ?, external_version = ?, content_hash = ?
                WHERE integration_id = ? AND external_entity = ? AND external_id = ?""", writes, writes.size(), (ps, w) -> {
            ps.setObject(1, now);
            ps.setString(2, w.externalVersion());
            ps.setString(3, w.contentHash());
            ps.setString(4, integrationId);
            ps.setString(5, entity);
            ps.setString(6, w.externalId());
        });
        template.batchUpdate("DELETE FROM shard_relations WHERE shard_id = ? AND target_integration_id = ?", writes, writes.size(),
                (ps, w) -> {
                    ps.setString(1, w.shardId());
                    ps.setString(2, integrationId);
                });
        insertRelations(integrationId, writes);
    }

    /** Marks the shards of these provider records deleted; returns how many were not deleted already. */
    public int markDeleted(String integrationId, String entity, Collection<String> externalIds) {
        int marked = 0;
        OffsetDateTime now = Timestamps.now();
        for (List<String> chunk : chunks(new ArrayList<>(externalIds))) {
            marked += jdbc.sql("""
                    UPDATE shards SET deleted = TRUE, deleted_at = :now, updated_at = :now, version = version + 1
                    WHERE deleted = FALSE AND id IN (SELECT shard_id FROM shard_external_relationships
                      WHERE (integration_id, external_entity, external_id) IN (:keys))""")
                    .param("now", now).param("keys", keys(integrationId, entity, chunk))
                    .update();
        }
        return marked;
    }

    private void insertRelations(String integrationId, List<ShardWrite> writes) {
        List<Object[]> rows = new ArrayList<>();
        for (ShardWrite w : writes) {
            Map<String, RelationTarget> unique = new LinkedHashMap<>();
            for (RelationTarget r : w.relations()) {
                unique.putIfAbsent(r.type() + "|" + r.targetEntity() + "|" + r.targetExternalId(), r);
            }
            for (RelationTarget r : unique.values()) {
                rows.add(new Object[] {w.shardId(), r.type(), r.targetShardType(), integrationId, r.targetEntity(), r.targetExternalId()});
            }
        }
        if (!rows.isEmpty()) {
            template.batchUpdate("""
                    INSERT INTO shard_relations (shard_id, relation_type, target_shard_type, target_integration_id, target_entity,
                      target_external_id) VALUES (?, ?, ?, ?, ?, ?)""", rows);
        }
    }

    private Shard mapBare(ResultSet rs, int row) throws SQLException {
        return new Shard(rs.getString("id"), rs.getString("shard_type"), rs.getString("structured_data"), rs.getLong("version"),
                rs.getBoolean("deleted"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"), List.of(), null);
    }

    private static Shard withLinks(Shard s, List<ExternalRelationship> links, List<Relation> relations) {
        return new Shard(s.id(), s.shardType(), s.structuredData(), s.version(), s.deleted(), s.createdAt(), s.updatedAt(),
                links, relations);
    }

    /** Full primary-key tuples: both databases look each one up in the key's index (a trailing IN list makes H2 scan). */
    private static List<Object[]> keys(String integrationId, String entity, List<String> externalIds) {
        List<Object[]> keys = new ArrayList<>(externalIds.size());
        for (String externalId : externalIds) {
            keys.add(new Object[] {integrationId, entity, externalId});
        }
        return keys;
    }

    private static List<List<String>> chunks(List<String> values) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < values.size(); i += IN_CHUNK) {
            chunks.add(values.subList(i, Math.min(values.size(), i + IN_CHUNK)));
        }
        return chunks;
    }
}
