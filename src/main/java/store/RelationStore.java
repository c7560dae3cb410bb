package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import hub.InvalidInputException;
import store.Shard.IncomingRelation;
import store.Shard.Relation;

/**
 * Relations between shards, read: a relation is stored by its target's provider record and resolved to the shard that
 * holds that record when read, so it follows the record through merges and unmerges, and one whose target has no live
 * shard is orphaned until the target arrives or returns. Every read is tenant-scoped.
 */
@Repository
public class RelationStore {

    /** An orphaned relation with the shard it starts from, as the orphan list shows it. */
    public record Orphaned(String sourceShardId, String sourceShardType, Relation relation, String reason) {
    }

    private static final String RESOLVE = """
            LEFT JOIN shard_external_relationships ser ON ser.integration_id = r.target_integration_id
              AND ser.external_entity = r.target_entity AND ser.external_id = r.target_external_id
            LEFT JOIN shards t ON t.id = ser.shard_id""";

    private final JdbcClient jdbc;

    public RelationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The shard's relations to others, resolved or orphaned. */
    public List<Relation> outgoing(String shardId) {
        return jdbc.sql("SELECT r.*, ser.shard_id AS target_shard_id, t.deleted AS target_deleted FROM shard_relations r "
                        + RESOLVE + " WHERE r.shard_id = ? ORDER BY r.relation_type, r.target_external_id")
                .param(shardId)
                .query((rs, n) -> relation(rs))
                .list();
    }

    /** Relations from other live shards of the tenant to this one, through any of its provider records. */
    public List<IncomingRelation> incoming(String tenantId, String shardId) {
        return jdbc.sql("""
                SELECT r.relation_type, r.shard_id, s.shard_type, r.target_integration_id, r.target_entity, r.target_external_id
                FROM shard_external_relationships ser
                JOIN shard_relations r ON r.target_integration_id = ser.integration_id AND r.target_entity = ser.external_entity
                  AND r.target_external_id = ser.external_id
                JOIN shards s ON s.id = r.shard_id AND s.tenant_id = ser.tenant_id AND s.deleted = FALSE
                WHERE ser.shard_id = ? AND ser.tenant_id = ?
                ORDER BY r.relation_type, s.shard_type, r.shard_id""")
                .params(shardId, tenantId)
                .query((rs, n) -> new IncomingRelation(rs.getString("relation_type"), rs.getString("shard_id"), rs.getString("shard_type"),
                        rs.getString("target_integration_id"), rs.getString("target_entity"), rs.getString("target_external_id")))
                .list();
    }

    /**
     * The tenant's orphaned relations from live shards, in a stable order, a page at a time: the target record has no
     * shard (not synced yet, or never will be) or its shard is deleted.
     */
    public Page<Orphaned> orphaned(String tenantId, Cursor after, int limit) {
        String[] from = after == null ? null : position(after.id());
        String sql = "SELECT r.*, s.shard_type AS source_type, ser.shard_id AS target_shard_id, t.deleted AS target_deleted"
                + " FROM shard_relations r JOIN shards s ON s.id = r.shard_id AND s.tenant_id = :tenant AND s.deleted = FALSE "
                + RESOLVE
                + " WHERE (ser.shard_id IS NULL OR t.deleted = TRUE)"
                + (from == null ? "" : " AND (r.shard_id, r.relation_type, r.target_integration_id, r.target_entity, r.target_external_id)"
                        + " > (:s, :type, :integration, :entity, :external)")
                + " ORDER BY r.shard_id, r.relation_type, r.target_integration_id, r.target_entity, r.target_external_id LIMIT :limit";
        var query = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (from != null) {
            query = query.param("s", from[0]).param("type", from[1]).param("integration", from[2]).param("entity", from[3])
                    .param("external", from[4]);
        }
        List<Orphaned> rows = query.query((rs, n) -> {
            Relation relation = relation(rs);
            String reason = rs.getString("target_shard_id") == null ? "the target record has no shard (not synced yet, or deleted)"
                    : "the target's shard is deleted";
            return new Orphaned(rs.getString("shard_id"), rs.getString("source_type"), relation, reason);
        }).list();
        return Pages.of(rows, limit, o -> new Cursor(null, String.join(SEPARATOR, o.sourceShardId(), o.relation().type(),
                o.relation().targetIntegrationId(), o.relation().targetEntity(), o.relation().targetExternalId())));
    }

    private static final String SEPARATOR = "\u001f";

    private static String[] position(String key) {
        String[] parts = key.split(SEPARATOR, -1);
        if (parts.length != 5) {
            throw new InvalidInputException("cursor", "not a cursor this hub issued");
        }
        return parts;
    }

    private static Relation relation(ResultSet rs) throws SQLException {
        String target = rs.getString("target_shard_id");
        boolean live = target != null && !rs.getBoolean("target_deleted");
        return new Relation(rs.getString("relation_type"), rs.getString("target_shard_type"), live ? target : null,
                rs.getString("target_integration_id"), rs.getString("target_entity"), rs.getString("target_external_id"),
                live ? Relation.RESOLVED : Relation.ORPHANED);
    }
}
