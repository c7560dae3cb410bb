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
import store.Shard.IncomingRelation;
import store.Shard.Relation;

/** Shards and their external relationships: tenant-scoped reads for the API, batch writes for sync. */
@Repository
public class ShardStore {

    /**
     * Where an already-synced provider record lives, the hash of what was last written for it, and whether
     * its link holds a base (the values last synced) for conflict detection.
     */
    public record Existing(String shardId, String contentHash, boolean deleted, boolean hasBase) {
    }

    /** A mapped provider record ready to be written; {@code snapshotJson} is the base kept for conflict detection. */
    public record ShardWrite(String shardId, String externalId, String externalVersion, String shardType, String dataJson,
                             String contentHash, List<RelationTarget> relations, String snapshotJson) {
    }

    /** A linked shard's current data and the base last synced for it. */
    public record SyncState(String dataJson, String snapshotJson) {
    }

    public record RelationTarget(String type, String targetShardType, String targetEntity, String targetExternalId) {
    }

    private static final int IN_CHUNK = 500;

    /**
     * The sync direction of a derived shard's link (a lead's company): read from the record, never written back. A shard
     * has at most one other link per integration, the one write-back uses; derived links may join it from any record.
     */
    public static final String DERIVED = "derived";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final RelationStore relations;
    private final EventStore events;

    public ShardStore(JdbcClient jdbc, JdbcTemplate template, RelationStore relations, EventStore events) {
        this.events = events;
        this.jdbc = jdbc;
        this.template = template;
        this.relations = relations;
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
                .map(s -> withLinks(s, links.getOrDefault(s.id(), List.of()), null, null)).toList();
        return new Page<>(items, page.nextCursor());
    }

    public Optional<Shard> find(String tenantId, String id) {
        return jdbc.sql("SELECT * FROM shards WHERE id = ? AND tenant_id = ?").params(id, tenantId).query(this::mapBare).optional()
                .map(s -> withLinks(s, externalRelationships(List.of(s.id())).getOrDefault(s.id(), List.of()), relations.outgoing(s.id()),
                        relations.incoming(tenantId, s.id())));
    }

    private Map<String, List<ExternalRelationship>> externalRelationships(List<String> shardIds) {
        Map<String, List<ExternalRelationship>> byShard = new HashMap<>();
        for (List<String> chunk : chunks(shardIds)) {
            jdbc.sql("SELECT * FROM shard_external_relationships WHERE shard_id IN (:ids)").param("ids", chunk)
                    .query((ResultSet rs) -> {
                        byShard.computeIfAbsent(rs.getString("shard_id"), k -> new ArrayList<>()).add(new ExternalRelationship(
                                rs.getString("integration_id"), rs.getString("external_entity"), rs.getString("external_id"),
                                rs.getString("sync_direction"), Timestamps.read(rs, "last_synced_at"), rs.getString("external_version"),
                                rs.getString("sync_error"), Timestamps.read(rs, "sync_error_at")));
                    });
        }
        return byShard;
    }

    // ------------------------------------------------------------------ writes (API and write-back)

    /** A shard's link to a provider record, with what was last synced for it. */
    public record Link(String integrationId, String entity, String externalId, String externalVersion, String contentHash,
                       String snapshotJson, String syncDirection) {

        public boolean derived() {
            return DERIVED.equals(syncDirection);
        }
    }

    /** The shard, locked for the rest of the transaction (tenant-scoped), without its links. */
    public Optional<Shard> lock(String tenantId, String id) {
        return jdbc.sql("SELECT * FROM shards WHERE id = ? AND tenant_id = ? FOR UPDATE").params(id, tenantId).query(this::mapBare)
                .optional();
    }

    /**
     * These shards of the tenant without their links, by id, in one statement per chunk; with {@code lock} they are locked
     * for the rest of the transaction (in id order, so two transactions locking overlapping sets cannot deadlock).
     */
    public Map<String, Shard> bare(String tenantId, Collection<String> ids, boolean lock) {
        Map<String, Shard> byId = new HashMap<>();
        List<String> sorted = new ArrayList<>(new java.util.TreeSet<>(ids));
        for (List<String> chunk : chunks(sorted)) {
            // by the primary key alone (H2 would take the tenant's index and scan it); another tenant's shard is left out below
            jdbc.sql("SELECT * FROM shards WHERE id IN (:ids) ORDER BY id" + (lock ? " FOR UPDATE" : "")).param("ids", chunk)
                    .query((rs, n) -> tenantId.equals(rs.getString("tenant_id")) ? mapBare(rs, n) : null).list().stream()
                    .filter(java.util.Objects::nonNull).forEach(s -> byId.put(s.id(), s));
        }
        return byId;
    }

    public List<Link> links(String shardId) {
        return jdbc.sql("SELECT * FROM shard_external_relationships WHERE shard_id = ? ORDER BY integration_id").param(shardId)
                .query((rs, n) -> new Link(rs.getString("integration_id"), rs.getString("external_entity"), rs.getString("external_id"),
                        rs.getString("external_version"), rs.getString("content_hash"), rs.getString("last_synced_snapshot"),
                        rs.getString("sync_direction")))
                .list();
    }

    /** These shards' links, by shard. */
    public Map<String, List<Link>> links(Collection<String> shardIds) {
        Map<String, List<Link>> byShard = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(shardIds))) {
            jdbc.sql("SELECT * FROM shard_external_relationships WHERE shard_id IN (:ids) ORDER BY integration_id").param("ids", chunk)
                    .query((ResultSet rs) -> {
                        byShard.computeIfAbsent(rs.getString("shard_id"), k -> new ArrayList<>()).add(new Link(rs.getString("integration_id"),
                                rs.getString("external_entity"), rs.getString("external_id"), rs.getString("external_version"),
                                rs.getString("content_hash"), rs.getString("last_synced_snapshot"), rs.getString("sync_direction")));
                    });
        }
        return byShard;
    }

    /** The shard's link to the integration's record that it writes back to (derived links are read only). */
    public Optional<Link> link(String shardId, String integrationId) {
        return jdbc.sql("SELECT * FROM shard_external_relationships WHERE shard_id = ? AND integration_id = ? AND sync_direction <> '"
                        + DERIVED + "'")
                .params(shardId, integrationId)
                .query((rs, n) -> new Link(rs.getString("integration_id"), rs.getString("external_entity"), rs.getString("external_id"),
                        rs.getString("external_version"), rs.getString("content_hash"), rs.getString("last_synced_snapshot"),
                        rs.getString("sync_direction")))
                .optional();
    }

    /** A shard created through the API, not yet linked to any provider record. */
    public void insertLocal(String tenantId, String id, String shardType, String dataJson) {
        OffsetDateTime now = Timestamps.now();
        jdbc.sql("""
                INSERT INTO shards (id, tenant_id, shard_type, structured_data, version, deleted, created_at, updated_at)
                VALUES (?, ?, ?, ?, 1, FALSE, ?, ?)""").params(id, tenantId, shardType, dataJson, now, now).update();
    }

    /** New data for a shard; its version moves on. */
    public void updateData(String id, String dataJson) {
        jdbc.sql("UPDATE shards SET structured_data = ?, version = version + 1, updated_at = ? WHERE id = ?")
                .params(dataJson, Timestamps.now(), id).update();
    }

    public void markDeleted(String id) {
        OffsetDateTime now = Timestamps.now();
        jdbc.sql("UPDATE shards SET deleted = TRUE, deleted_at = ?, updated_at = ?, version = version + 1 WHERE id = ?")
                .params(now, now, id).update();
    }

    /** Links a shard created in Castiel to the provider record the write-back created for it. */
    public void linkCreated(String tenantId, String shardId, String integrationId, String entity, String externalId, String syncDirection,
                            String externalVersion, String contentHash, String snapshotJson) {
        jdbc.sql("""
                INSERT INTO shard_external_relationships (integration_id, external_entity, external_id, shard_id, tenant_id,
                  sync_direction, last_synced_at, external_version, content_hash, last_synced_snapshot)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(integrationId, entity, externalId, shardId, tenantId, syncDirection, Timestamps.now(), externalVersion, contentHash,
                        snapshotJson)
                .update();
    }

    /** What the provider holds after a write-back of one linked record: the new base and the content hash. */
    public record Synced(String integrationId, String entity, String externalId, String externalVersion, String contentHash,
                         String snapshotJson) {
    }

    /**
     * What the provider holds after write-backs, as each link's new base for conflict detection and the hash that keeps it
     * from echoing back: one JDBC batch for them all.
     */
    public void recordSynced(List<Synced> synced) {
        if (synced.isEmpty()) {
            return;
        }
        OffsetDateTime now = Timestamps.now();
        template.batchUpdate("""
                UPDATE shard_external_relationships SET last_synced_at = ?, external_version = ?, content_hash = ?, last_synced_snapshot = ?,
                  sync_error = NULL, sync_error_at = NULL
                WHERE integration_id = ? AND external_entity = ? AND external_id = ?""", synced, synced.size(), (ps, s) -> {
            ps.setObject(1, now);
            ps.setString(2, s.externalVersion());
            ps.setString(3, s.contentHash());
            ps.setString(4, s.snapshotJson());
            ps.setString(5, s.integrationId());
            ps.setString(6, s.entity());
            ps.setString(7, s.externalId());
        });
    }

    /** Replaces the base last synced for a linked record (a resolved conflict sets the provider's values as the base). */
    public void replaceSnapshot(String shardId, String integrationId, String snapshotJson) {
        jdbc.sql("UPDATE shard_external_relationships SET last_synced_snapshot = ? WHERE shard_id = ? AND integration_id = ?"
                        + " AND sync_direction <> '" + DERIVED + "'")
                .params(snapshotJson, shardId, integrationId).update();
    }

    /** Shows a failed write-back on the shard's link until a write succeeds. */
    public void recordSyncError(String shardId, String integrationId, String error) {
        jdbc.sql("UPDATE shard_external_relationships SET sync_error = ?, sync_error_at = ? WHERE shard_id = ? AND integration_id = ?"
                        + " AND sync_direction <> '" + DERIVED + "'")
                .params(error.length() > 2000 ? error.substring(0, 2000) : error, Timestamps.now(), shardId, integrationId).update();
    }

    /** A shard as entity resolution weighs it: its data, and the integrations it already has a written-back link to. */
    public record MatchCandidate(String id, String shardType, String dataJson, long version, boolean deleted,
                                 java.util.Set<String> linkedIntegrations) {
    }

    /** These shards of the tenant, for scoring; deleted ones and other tenants' are left out. */
    public Map<String, MatchCandidate> matchCandidates(String tenantId, Collection<String> ids) {
        Map<String, MatchCandidate> found = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(ids))) {
            jdbc.sql("""
                    SELECT s.id, s.shard_type, s.structured_data, s.version, ser.integration_id, ser.sync_direction FROM shards s
                    LEFT JOIN shard_external_relationships ser ON ser.shard_id = s.id
                    WHERE s.id IN (:ids) AND s.tenant_id = :tenant AND s.deleted = FALSE""")
                    .param("ids", chunk).param("tenant", tenantId)
                    .query((ResultSet rs) -> addCandidateRow(rs, found));
        }
        return found;
    }

    /**
     * A page of the tenant's shards of one type, as entity resolution weighs them, in id order after {@code afterId} (null:
     * from the first); deleted ones are left out. One query on the (tenant, type, id) index.
     */
    public List<MatchCandidate> matchCandidatesOfType(String tenantId, String shardType, String afterId, int limit) {
        Map<String, MatchCandidate> found = new java.util.LinkedHashMap<>();
        jdbc.sql("""
                SELECT s.id, s.shard_type, s.structured_data, s.version, ser.integration_id, ser.sync_direction FROM (
                  SELECT id, shard_type, structured_data, version FROM shards
                  WHERE tenant_id = :tenant AND shard_type = :type AND id > :after AND deleted = FALSE ORDER BY id LIMIT :limit) s
                LEFT JOIN shard_external_relationships ser ON ser.shard_id = s.id ORDER BY s.id""")
                .param("tenant", tenantId).param("type", shardType).param("after", afterId == null ? "" : afterId).param("limit", limit)
                .query((ResultSet rs) -> addCandidateRow(rs, found));
        return List.copyOf(found.values());
    }

    /** A row of a shard and one of its links: the shard, once, and the integration if the link is written back. */
    private static void addCandidateRow(ResultSet rs, Map<String, MatchCandidate> found) throws java.sql.SQLException {
        MatchCandidate c = found.get(rs.getString("id"));
        if (c == null) {
            c = new MatchCandidate(rs.getString("id"), rs.getString("shard_type"), rs.getString("structured_data"), rs.getLong("version"),
                    false, new java.util.HashSet<>());
            found.put(c.id(), c);
        }
        String integration = rs.getString("integration_id");
        if (integration != null && !DERIVED.equals(rs.getString("sync_direction"))) {
            c.linkedIntegrations().add(integration);
        }
    }

    /** How many shards of the type the tenant has (not deleted). */
    public long countOfType(String tenantId, String shardType) {
        return jdbc.sql("SELECT COUNT(*) FROM shards WHERE tenant_id = ? AND shard_type = ? AND deleted = FALSE")
                .params(tenantId, shardType).query(Long.class).single();
    }

    /**
     * Links a provider record to a shard that exists (entity resolution found it the same entity), with the record's own
     * values as the link's base; its relations join the shard's ({@code relations} false for a derived record).
     */
    public void attach(String tenantId, String integrationId, String entity, String syncDirection, String shardId, ShardWrite w,
                       boolean relations) {
        linkCreated(tenantId, shardId, integrationId, entity, w.externalId(), syncDirection, w.externalVersion(), w.contentHash(),
                w.snapshotJson());
        if (relations) {
            ShardWrite onShard = new ShardWrite(shardId, w.externalId(), w.externalVersion(), w.shardType(), w.dataJson(), w.contentHash(),
                    w.relations(), w.snapshotJson());
            insertRelations(integrationId, List.of(onShard));
        }
    }

    /** Moves a provider record's link to another shard (merge, unmerge). */
    public void moveLink(String integrationId, String entity, String externalId, String toShardId) {
        jdbc.sql("UPDATE shard_external_relationships SET shard_id = ? WHERE integration_id = ? AND external_entity = ? AND external_id = ?")
                .params(toShardId, integrationId, entity, externalId).update();
    }

    /**
     * Moves a shard's relations to another shard: those an integration's record gave it, or all ({@code integrationId}
     * null). A relation the other shard has already stays once.
     */
    public void moveRelations(String fromShardId, String toShardId, String integrationId) {
        String only = integrationId == null ? "" : " AND r.target_integration_id = :integration";
        var delete = jdbc.sql("DELETE FROM shard_relations r WHERE r.shard_id = :from" + only
                + " AND EXISTS (SELECT 1 FROM shard_relations o WHERE o.shard_id = :to AND o.relation_type = r.relation_type"
                + " AND o.target_integration_id = r.target_integration_id AND o.target_entity = r.target_entity"
                + " AND o.target_external_id = r.target_external_id)").param("from", fromShardId).param("to", toShardId);
        var move = jdbc.sql("UPDATE shard_relations r SET shard_id = :to WHERE r.shard_id = :from" + only)
                .param("from", fromShardId).param("to", toShardId);
        if (integrationId != null) {
            delete = delete.param("integration", integrationId);
            move = move.param("integration", integrationId);
        }
        delete.update();
        move.update();
    }

    /** Which of these shards hold a record of the integration that is written back (not a derived one). */
    public java.util.Set<String> heldBy(String integrationId, Collection<String> shardIds) {
        java.util.Set<String> held = new java.util.HashSet<>();
        for (List<String> chunk : chunks(new ArrayList<>(shardIds))) {
            jdbc.sql("SELECT shard_id FROM shard_external_relationships WHERE shard_id IN (:ids) AND integration_id = :integration"
                            + " AND sync_direction <> '" + DERIVED + "'")
                    .param("ids", chunk).param("integration", integrationId)
                    .query((ResultSet rs) -> {
                        held.add(rs.getString("shard_id"));
                    });
        }
        return held;
    }

    /** How many links each of these shards has (a shard merged from several records has more than one). */
    public Map<String, Integer> linkCounts(Collection<String> shardIds) {
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(shardIds))) {
            jdbc.sql("SELECT shard_id, COUNT(*) AS n FROM shard_external_relationships WHERE shard_id IN (:ids) GROUP BY shard_id")
                    .param("ids", chunk)
                    .query((ResultSet rs) -> {
                        counts.put(rs.getString("shard_id"), rs.getInt("n"));
                    });
        }
        return counts;
    }

    // ------------------------------------------------------------------ writes (sync)

    /** The already-synced records among these provider ids, keyed by provider id. */
    public Map<String, Existing> existing(String integrationId, String entity, Collection<String> externalIds) {
        Map<String, Existing> found = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(externalIds))) {
            List<Object> params = new ArrayList<>(chunk);
            params.add(integrationId);
            params.add(entity);
            jdbc.sql("SELECT ser.external_id, ser.shard_id, ser.content_hash, s.deleted,"
                            + " CASE WHEN ser.last_synced_snapshot IS NULL THEN FALSE ELSE TRUE END AS has_base"
                            + " FROM " + ListedValues.table(chunk.size())
                            + " JOIN shard_external_relationships ser"
                            + " ON ser.integration_id = ? AND ser.external_entity = ? AND ser.external_id = listed.v"
                            + " JOIN shards s ON s.id = ser.shard_id")
                    .params(params)
                    .query((ResultSet rs) -> {
                        found.put(rs.getString("external_id"),
                                new Existing(rs.getString("shard_id"), rs.getString("content_hash"), rs.getBoolean("deleted"),
                                        rs.getBoolean("has_base")));
                    });
        }
        return found;
    }

    /** Current data and last synced base of these shards, by shard id. */
    public Map<String, SyncState> syncState(String integrationId, Collection<String> shardIds) {
        Map<String, SyncState> found = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(shardIds))) {
            jdbc.sql("""
                    SELECT s.id, s.structured_data, ser.last_synced_snapshot FROM shards s
                    JOIN shard_external_relationships ser ON ser.shard_id = s.id AND ser.integration_id = :integration
                      AND ser.sync_direction <> 'derived'
                    WHERE s.id IN (:ids)""").param("integration", integrationId).param("ids", chunk)
                    .query((ResultSet rs) -> {
                        found.put(rs.getString("id"), new SyncState(rs.getString("structured_data"), rs.getString("last_synced_snapshot")));
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
                  sync_direction, last_synced_at, external_version, content_hash, last_synced_snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
                    ps.setString(10, w.snapshotJson());
                });
        insertRelations(integrationId, writes);
    }

    public void update(String integrationId, String entity, List<ShardWrite> writes) {
        update(integrationId, entity, writes, true);
    }

    /**
     * Updates shards and their links; {@code relations}: the writes' relations replace the integration's on the shard (a
     * derived record has none of its own, and must not clear those of the record the shard also comes from).
     */
    public void update(String integrationId, String entity, List<ShardWrite> writes, boolean relations) {
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
                UPDATE shard_external_relationships SET last_synced_at = ?, external_version = ?, content_hash = ?, last_synced_snapshot = ?
                WHERE integration_id = ? AND external_entity = ? AND external_id = ?""", writes, writes.size(), (ps, w) -> {
            ps.setObject(1, now);
            ps.setString(2, w.externalVersion());
            ps.setString(3, w.contentHash());
            ps.setString(4, w.snapshotJson());
            ps.setString(5, integrationId);
            ps.setString(6, entity);
            ps.setString(7, w.externalId());
        });
        if (!relations) {
            return;
        }
        template.batchUpdate("DELETE FROM shard_relations WHERE shard_id = ? AND target_integration_id = ?", writes, writes.size(),
                (ps, w) -> {
                    ps.setString(1, w.shardId());
                    ps.setString(2, integrationId);
                });
        insertRelations(integrationId, writes);
    }

    /**
     * Gives links synced without a base (before every sync stored one) the provider's values as their base;
     * a link that has one keeps it.
     */
    public void fillMissingBase(String integrationId, String entity, List<ShardWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        template.batchUpdate("""
                UPDATE shard_external_relationships SET last_synced_snapshot = ?
                WHERE integration_id = ? AND external_entity = ? AND external_id = ? AND last_synced_snapshot IS NULL""",
                writes, writes.size(), (ps, w) -> {
                    ps.setString(1, w.snapshotJson());
                    ps.setString(2, integrationId);
                    ps.setString(3, entity);
                    ps.setString(4, w.externalId());
                });
    }

    /**
     * The provider deleted these records: a shard that only they hold is marked deleted; a shard that other records hold
     * too (merged) loses the deleted record's link and stays. Returns how many records this took out: shards not deleted
     * already, and links removed. In the caller's transaction, a shard deleted appends {@code shard.deleted}, a shard
     * that lost a link {@code shard.updated}.
     */
    public int markDeleted(String integrationId, String entity, Collection<String> externalIds) {
        int marked = 0;
        OffsetDateTime now = Timestamps.now();
        String provider = externalIds.isEmpty() ? null
                : jdbc.sql("SELECT provider_id FROM integrations WHERE id = ?").param(integrationId).query(String.class).optional().orElse(null);
        List<Event.New> changes = new ArrayList<>();
        for (List<String> chunk : chunks(new ArrayList<>(externalIds))) {
            List<Object[]> keys = keys(integrationId, entity, chunk);
            List<String[]> shared = jdbc.sql("""
                    SELECT ser.external_id, ser.shard_id, ser.sync_direction FROM shard_external_relationships ser
                    WHERE (ser.integration_id, ser.external_entity, ser.external_id) IN (:keys)
                      AND EXISTS (SELECT 1 FROM shard_external_relationships o WHERE o.shard_id = ser.shard_id
                        AND NOT (o.integration_id = ser.integration_id AND o.external_entity = ser.external_entity
                          AND o.external_id = ser.external_id))""")
                    .param("keys", keys)
                    .query((rs, n) -> new String[] {rs.getString("external_id"), rs.getString("shard_id"), rs.getString("sync_direction")})
                    .list();
            for (String[] link : shared) {
                jdbc.sql("DELETE FROM shard_external_relationships WHERE integration_id = ? AND external_entity = ? AND external_id = ?")
                        .params(integrationId, entity, link[0]).update();
                if (!DERIVED.equals(link[2])) {
                    jdbc.sql("DELETE FROM shard_relations WHERE shard_id = ? AND target_integration_id = ?").params(link[1], integrationId)
                            .update();
                }
                jdbc.sql("UPDATE shards SET version = version + 1, updated_at = ? WHERE id = ?").params(now, link[1]).update();
                marked++;
                shardEvent(ShardEvents.UPDATED, link[1], new ShardEvents.Source(integrationId, provider, entity, link[0]), changes);
            }
            jdbc.sql("""
                    SELECT ser.external_id, ser.shard_id FROM shard_external_relationships ser JOIN shards s ON s.id = ser.shard_id
                    WHERE s.deleted = FALSE AND (ser.integration_id, ser.external_entity, ser.external_id) IN (:keys)""")
                    .param("keys", keys)
                    .query((rs, n) -> new String[] {rs.getString("external_id"), rs.getString("shard_id")}).list()
                    .forEach(gone -> shardEvent(ShardEvents.DELETED, gone[1], new ShardEvents.Source(integrationId, provider, entity, gone[0]),
                            changes));
            marked += jdbc.sql("""
                    UPDATE shards SET deleted = TRUE, deleted_at = :now, updated_at = :now, version = version + 1
                    WHERE deleted = FALSE AND id IN (SELECT shard_id FROM shard_external_relationships
                      WHERE (integration_id, external_entity, external_id) IN (:keys))""")
                    .param("now", now).param("keys", keys)
                    .update();
        }
        events.appendAll(changes);
        return marked;
    }

    private void shardEvent(String type, String shardId, ShardEvents.Source source, List<Event.New> into) {
        jdbc.sql("SELECT tenant_id, shard_type FROM shards WHERE id = ?").param(shardId)
                .query((rs, n) -> ShardEvents.of(type, rs.getString("tenant_id"), shardId, rs.getString("shard_type"), ShardEvents.SYNC,
                        source, null, null)).optional().ifPresent(into::add);
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

    /**
     * The provider ids under {@code idPrefix} whose shards are live, among the records of an integration's entity linked or
     * synced before {@code syncedBefore}: what a provider's listing of the same prefix must name, or they were deleted there.
     */
    public List<String> liveExternalIds(String integrationId, String entity, String idPrefix, OffsetDateTime syncedBefore) {
        String like = idPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return jdbc.sql("""
                SELECT ser.external_id FROM shard_external_relationships ser JOIN shards s ON s.id = ser.shard_id
                WHERE ser.integration_id = ? AND ser.external_entity = ? AND ser.external_id LIKE ? ESCAPE '\\'
                  AND ser.last_synced_at < ? AND s.deleted = FALSE""")
                .params(integrationId, entity, like, syncedBefore)
                .query(String.class).list();
    }

    private Shard mapBare(ResultSet rs, int row) throws SQLException {
        return new Shard(rs.getString("id"), rs.getString("shard_type"), rs.getString("structured_data"), rs.getLong("version"),
                rs.getBoolean("deleted"), Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"), List.of(), null, null);
    }

    private static Shard withLinks(Shard s, List<ExternalRelationship> links, List<Relation> outgoing, List<IncomingRelation> incoming) {
        return new Shard(s.id(), s.shardType(), s.structuredData(), s.version(), s.deleted(), s.createdAt(), s.updatedAt(),
                links, outgoing, incoming);
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
