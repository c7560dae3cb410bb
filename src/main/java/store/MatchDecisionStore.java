package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Entity-resolution decisions, tenant-scoped; the review queue is the pending ones. */
@Repository
public class MatchDecisionStore {

    private final JdbcClient jdbc;

    private final EventStore events;

    public MatchDecisionStore(JdbcClient jdbc, EventStore events) {
        this.events = events;
        this.jdbc = jdbc;
    }

    /**
     * Records a decision; in the same transaction a pending one appends {@code match.pending}, a merge applied (a record
     * joined a shard) {@code shard.merged}, an unmerge {@code shard.unmerged}.
     */
    @Transactional
    public void insert(String tenantId, MatchDecision d) {
        jdbc.sql("""
                INSERT INTO match_decisions (id, tenant_id, shard_type, kind, status, shard_id, other_shard_id, integration_id,
                  external_entity, external_id, score, explanation, shard_version, other_version, created_at, decided_at, decided_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(d.id(), tenantId, d.shardType(), d.kind().value(), d.status().value(), d.shardId(), d.otherShardId(),
                        d.integrationId(), d.entity(), d.externalId(), d.score(), d.explanation(), d.shardVersion(), d.otherVersion(),
                        d.createdAt(), d.decidedAt(), d.decidedBy())
                .update();
        if (d.status() == MatchDecision.Status.PENDING) {
            emit(tenantId, "match.pending", d);
        } else if (d.kind() == MatchDecision.Kind.MERGE && d.status() == MatchDecision.Status.APPLIED) {
            emit(tenantId, "shard.merged", d);
        } else if (d.kind() == MatchDecision.Kind.UNMERGE) {
            emit(tenantId, "shard.unmerged", d);
        }
    }

    private void emit(String tenantId, String type, MatchDecision d) {
        events.append(tenantId, type, d.shardId(), EventStore.data("decisionId", d.id(), "kind", d.kind().value(),
                "shardType", d.shardType(), "shardId", d.shardId(), "otherShardId", d.otherShardId(), "integrationId", d.integrationId(),
                "entity", d.entity(), "externalId", d.externalId(), "score", d.score(), "decidedBy", d.decidedBy()));
    }

    public Optional<MatchDecision> find(String tenantId, String id) {
        return jdbc.sql("SELECT * FROM match_decisions WHERE id = ? AND tenant_id = ?").params(id, tenantId).query(this::map).optional();
    }

    /** The decisions that name the shard, on either side, newest first. */
    public List<MatchDecision> forShard(String tenantId, String shardId, int limit) {
        return jdbc.sql("""
                SELECT * FROM match_decisions WHERE tenant_id = ? AND (shard_id = ? OR other_shard_id = ?)
                ORDER BY created_at DESC, id DESC LIMIT ?""")
                .params(tenantId, shardId, shardId, limit).query(this::map).list();
    }

    /** The tenant's decisions in one status, oldest first (a review queue is worked from its head). */
    public Page<MatchDecision> list(String tenantId, MatchDecision.Status status, Cursor after, int limit) {
        String sql = "SELECT * FROM match_decisions WHERE tenant_id = :tenant AND status = :status"
                + (after == null ? "" : " AND (created_at > :at OR (created_at = :at AND id > :afterId))")
                + " ORDER BY created_at, id LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("status", status.value()).param("limit", limit + 1);
        if (after != null) {
            query = query.param("at", after.at()).param("afterId", after.id());
        }
        return Pages.of(query.query(this::map).list(), limit, d -> new Cursor(d.createdAt(), d.id()));
    }

    /** Moves a decision from one status to another; false when it was not in {@code from} any more. */
    /** A review accepted (the record's shard merged into the candidate) appends {@code shard.merged} in the same transaction. */
    @Transactional
    public boolean settle(String id, MatchDecision.Status from, MatchDecision.Status to, String by) {
        boolean settled = jdbc.sql("UPDATE match_decisions SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = ?")
                .params(to.value(), Timestamps.now(), by, id, from.value()).update() == 1;
        if (settled && to == MatchDecision.Status.ACCEPTED) {
            String tenantId = jdbc.sql("SELECT tenant_id FROM match_decisions WHERE id = ?").param(id).query(String.class).single();
            find(tenantId, id).filter(d -> d.kind() == MatchDecision.Kind.REVIEW).ifPresent(d -> emit(tenantId, "shard.merged", d));
        }
        return settled;
    }

    /** The pending decisions about a source record (a review or field differences), to settle when it moves. */
    public List<MatchDecision> pendingFor(String integrationId, String entity, String externalId) {
        return jdbc.sql("""
                SELECT * FROM match_decisions WHERE integration_id = ? AND external_entity = ? AND external_id = ? AND status = 'pending'""")
                .params(integrationId, entity, externalId).query(this::map).list();
    }

    /** Whether a review of the pair is pending: the candidate, and the record's own shard. */
    public boolean reviewPending(String shardId, String otherShardId) {
        return jdbc.sql("SELECT COUNT(*) FROM match_decisions WHERE other_shard_id = ? AND shard_id = ? AND kind = 'review' AND status = 'pending'")
                .params(otherShardId, shardId).query(Long.class).single() > 0;
    }

    private MatchDecision map(ResultSet rs, int row) throws SQLException {
        double score = rs.getDouble("score");
        Double scoreOrNull = rs.wasNull() ? null : score;
        long shardVersion = rs.getLong("shard_version");
        Long shardVersionOrNull = rs.wasNull() ? null : shardVersion;
        long otherVersion = rs.getLong("other_version");
        Long otherVersionOrNull = rs.wasNull() ? null : otherVersion;
        return new MatchDecision(rs.getString("id"), rs.getString("shard_type"),
                WireValue.parse(MatchDecision.Kind.class, rs.getString("kind")), WireValue.parse(MatchDecision.Status.class, rs.getString("status")),
                rs.getString("shard_id"), rs.getString("other_shard_id"), rs.getString("integration_id"), rs.getString("external_entity"),
                rs.getString("external_id"), scoreOrNull, rs.getString("explanation"), shardVersionOrNull, otherVersionOrNull,
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "decided_at"), rs.getString("decided_by"));
    }
}
