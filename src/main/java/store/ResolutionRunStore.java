package store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Batch entity-resolution runs, tenant-scoped, with their progress (the cursor moves in each page's transaction). */
@Repository
public class ResolutionRunStore {

    private final JdbcClient jdbc;

    public ResolutionRunStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a queued run.
     *
     * @return false when the tenant has a run of the type queued or running already (nothing recorded)
     */
    public boolean insert(ResolutionRun run) {
        try {
            jdbc.sql("""
                    INSERT INTO resolution_runs (id, tenant_id, shard_type, status, phase, requested_by, created_at, active_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(run.id(), run.tenantId(), run.shardType(), run.status().value(), run.phase().value(), run.requestedBy(),
                            run.createdAt(), run.tenantId() + "/" + run.shardType())
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public Optional<ResolutionRun> find(String tenantId, String id) {
        return jdbc.sql("SELECT * FROM resolution_runs WHERE id = ? AND tenant_id = ?").params(id, tenantId).query(this::map).optional();
    }

    /** A run by id alone: for the queue consumer, which carries the id it was given. */
    public Optional<ResolutionRun> find(String id) {
        return jdbc.sql("SELECT * FROM resolution_runs WHERE id = ?").param(id).query(this::map).optional();
    }

    /** The tenant's queued or running run of the shard type, if any (one at a time). */
    public Optional<ResolutionRun> active(String tenantId, String shardType) {
        return jdbc.sql("SELECT * FROM resolution_runs WHERE tenant_id = ? AND shard_type = ? AND status IN ('queued', 'running')")
                .params(tenantId, shardType).query(this::map).optional();
    }

    /** The tenant's runs, newest first. */
    public Page<ResolutionRun> list(String tenantId, Cursor before, int limit) {
        String sql = "SELECT * FROM resolution_runs WHERE tenant_id = :tenant"
                + (before == null ? "" : " AND (created_at < :at OR (created_at = :at AND id < :beforeId))")
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("tenant", tenantId).param("limit", limit + 1);
        if (before != null) {
            query = query.param("at", before.at()).param("beforeId", before.id());
        }
        return Pages.of(query.query(this::map).list(), limit, r -> new Cursor(r.createdAt(), r.id()));
    }

    /**
     * A hub takes the run up (first time or again after a crash): running, one more attempt; the first time, also the
     * shards to go through (a resumed run has merged some of them away since).
     */
    public void start(String id, long shardsTotal) {
        jdbc.sql("""
                UPDATE resolution_runs SET status = 'running', attempts = attempts + 1,
                  shards_total = CASE WHEN attempts = 0 THEN ? ELSE shards_total END,
                  started_at = COALESCE(started_at, ?) WHERE id = ?""")
                .params(shardsTotal, Timestamps.now(), id).update();
    }

    /** A committed page of the keys phase: the cursor moves past it. */
    public void indexed(String id, String cursorShardId, long shards, long unblocked) {
        jdbc.sql("UPDATE resolution_runs SET cursor_shard_id = ?, shards_indexed = shards_indexed + ?, unblocked = unblocked + ? WHERE id = ?")
                .params(cursorShardId, shards, unblocked, id).update();
    }

    /** The keys are indexed: matching starts from the first shard. */
    public void startMatching(String id) {
        jdbc.sql("UPDATE resolution_runs SET phase = 'matching', cursor_shard_id = NULL WHERE id = ?").param(id).update();
    }

    /** A committed page of the matching phase, with what it found. */
    public void matched(String id, String cursorShardId, long shards, ResolutionRun.Counts found) {
        jdbc.sql("""
                UPDATE resolution_runs SET cursor_shard_id = ?, shards_matched = shards_matched + ?, pairs_compared = pairs_compared + ?,
                  merged = merged + ?, in_review = in_review + ? WHERE id = ?""")
                .params(cursorShardId, shards, found.pairsCompared(), found.merged(), found.inReview(), id).update();
    }

    public void complete(String id) {
        jdbc.sql("UPDATE resolution_runs SET status = 'completed', finished_at = ?, active_key = NULL WHERE id = ? AND status = 'running'")
                .params(Timestamps.now(), id).update();
    }

    public void fail(String id, String error) {
        jdbc.sql("UPDATE resolution_runs SET status = 'failed', error = ?, finished_at = ?, active_key = NULL WHERE id = ?"
                        + " AND status IN ('queued', 'running')")
                .params(error.length() > 2000 ? error.substring(0, 2000) : error, Timestamps.now(), id).update();
    }

    private ResolutionRun map(ResultSet rs, int row) throws SQLException {
        return new ResolutionRun(rs.getString("id"), rs.getString("tenant_id"), rs.getString("shard_type"),
                WireValue.parse(ResolutionRun.Status.class, rs.getString("status")), WireValue.parse(ResolutionRun.Phase.class, rs.getString("phase")),
                rs.getString("cursor_shard_id"), rs.getLong("shards_total"), rs.getLong("shards_indexed"), rs.getLong("shards_matched"),
                new ResolutionRun.Counts(rs.getLong("pairs_compared"), rs.getLong("merged"), rs.getLong("in_review"), rs.getLong("unblocked")),
                rs.getInt("attempts"), rs.getString("error"), rs.getString("requested_by"), Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "started_at"), Timestamps.read(rs, "finished_at"));
    }
}
